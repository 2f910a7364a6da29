# Stub of port_secret.flask (Flask is not needed to import or type-check it).
from collections.abc import Sequence
from typing import Any, Callable, Final, Literal, Optional, TypeVar, Union

from ._native import Decryptor

__all__ = ["DEFAULT_MAX_BODY", "port_webhook"]

DEFAULT_MAX_BODY: Final[int]

_View = TypeVar("_View", bound=Callable[..., Any])

def port_webhook(
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
) -> Callable[[_View], _View]: ...
