# Stub of port_secret.kafka (no Kafka client is needed to import or type-check it).
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Sequence
from typing import Any, Callable, ClassVar, Final, Literal, Optional, Union

from ._errors import PortSecretError
from ._native import Decryptor

__all__ = [
    "DEFAULT_MAX_BODY",
    "KafkaRejection",
    "MessageOpener",
    "PortKafkaRejection",
    "open_message",
    "warn_rejected",
]

DEFAULT_MAX_BODY: Final[int]

class KafkaRejection:
    code: str
    input: Optional[str]
    topic: Optional[str]
    partition: Optional[int]
    offset: Optional[int]
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(
        self,
        code: str,
        input: Optional[str] = None,
        topic: Optional[str] = None,
        partition: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def as_dict(self) -> dict[str, Any]: ...

class PortKafkaRejection(PortSecretError):
    rejection: KafkaRejection
    def __init__(self, rejection: KafkaRejection) -> None: ...

def warn_rejected(rejection: KafkaRejection) -> None: ...

class MessageOpener:
    on_error: str
    on_reject: Callable[[KafkaRejection], Any]
    def __init__(
        self,
        decryptor: Decryptor,
        *,
        on_error: Literal["skip", "raise"] = "skip",
        on_reject: Optional[Callable[[KafkaRejection], Any]] = None,
        user_inputs: Optional[Union[dict[str, Any], Sequence[str]]] = None,
        verify_signature: bool = True,
        tolerance: int = 300,
        properties_pointer: str = "/payload/properties",
        max_body: int = 1048576,
        user_inputs_pointer: str = "/payload/action/userInputs",
        default_encryption: Union[str, dict[str, Any]] = "aes256-gcm",
        max_client_side_inputs: int = 64,
    ) -> None: ...
    def open(self, message: Any) -> Optional[dict[str, Any]]: ...
    async def open_async(self, message: Any) -> Optional[dict[str, Any]]: ...
    def runs(self, messages: Iterable[Any]) -> Iterator[tuple[dict[str, Any], Any]]: ...
    def aruns(self, messages: AsyncIterable[Any]) -> AsyncIterator[tuple[dict[str, Any], Any]]: ...

def open_message(
    decryptor: Decryptor,
    message: Any,
    *,
    on_error: Literal["skip", "raise"] = "skip",
    on_reject: Optional[Callable[[KafkaRejection], Any]] = None,
    user_inputs: Optional[Union[dict[str, Any], Sequence[str]]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = 1048576,
    user_inputs_pointer: str = "/payload/action/userInputs",
    default_encryption: Union[str, dict[str, Any]] = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Optional[dict[str, Any]]: ...
