# Stub of port_secret.asgi (Starlette/FastAPI are not needed to import or type-check it).
from collections.abc import Awaitable, Sequence
from typing import Any, Callable, Final, Literal, Optional, Union

from ._native import Decryptor

__all__ = ["DEFAULT_MAX_BODY", "PortRejection", "PortWebhook", "install", "rejection_handler"]

DEFAULT_MAX_BODY: Final[int]

class PortRejection(Exception):
    status_code: int
    body: dict[str, str]
    code: str
    input: Optional[str]
    def __init__(self, status_code: int, body: dict[str, str]) -> None: ...
    def response(self) -> Any: ...

async def rejection_handler(request: Any, exc: Exception) -> Any: ...
def install(app: Any) -> None: ...

class PortWebhook:
    def __init__(
        self,
        decryptor: Decryptor,
        user_inputs: Optional[Union[dict[str, Any], Sequence[str]]] = None,
        verify_signature: bool = True,
        tolerance: int = 300,
        properties_pointer: str = "/payload/properties",
        max_body: int = 1048576,
        user_inputs_pointer: str = "/payload/action/userInputs",
        delivery: Literal["port", "agent"] = "port",
        default_encryption: Union[str, dict[str, Any]] = "aes256-gcm",
        max_client_side_inputs: int = 64,
    ) -> None: ...
    async def open(self, request: Any) -> dict[str, Any]: ...
    async def __call__(self, request: Any) -> dict[str, Any]: ...
    def endpoint(
        self, func: Callable[[Any, dict[str, Any]], Any]
    ) -> Callable[[Any], Awaitable[Any]]: ...
