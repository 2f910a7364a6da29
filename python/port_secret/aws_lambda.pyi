# Stub of port_secret.aws_lambda (no AWS package is needed to import or type-check it).
from collections.abc import Sequence
from typing import Any, Callable, Final, Literal, Optional, TypeVar, Union

from ._native import Decryptor
from .kafka import KafkaRejection as KafkaRejection
from .kafka import PortKafkaRejection as PortKafkaRejection

__all__ = [
    "DEFAULT_MAX_BODY",
    "KafkaRejection",
    "PortKafkaRejection",
    "event_body",
    "event_headers",
    "port_kafka_handler",
    "port_webhook_handler",
]

DEFAULT_MAX_BODY: Final[int]

_Handler = TypeVar("_Handler", bound=Callable[..., Any])

def event_body(event: dict[str, Any], max_body: int = 1048576) -> Optional[bytes]: ...
def event_headers(event: dict[str, Any]) -> list[tuple[str, str]]: ...
def port_webhook_handler(
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
) -> Callable[[_Handler], _Handler]: ...
def port_kafka_handler(
    decryptor: Decryptor,
    *,
    on_error: Literal["skip", "retry", "raise"] = "skip",
    on_reject: Optional[Callable[[KafkaRejection], Any]] = None,
    report_batch_item_failures: bool = False,
    user_inputs: Optional[Union[dict[str, Any], Sequence[str]]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = 1048576,
    user_inputs_pointer: str = "/payload/action/userInputs",
    default_encryption: Union[str, dict[str, Any]] = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Callable[[_Handler], _Handler]: ...
