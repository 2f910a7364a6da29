# Type stubs for the native module (bindings/python/src/functions.rs and decryptor.rs). Checked
# against the built module by mypy.stubtest in scripts/check-python.sh.
from collections.abc import Iterable, Sequence
from typing import Any, Final, Literal, Optional, Protocol, Union

from typing_extensions import TypeAlias, final

__all__ = [
    "__version__",
    "RSA_BACKEND",
    "DEFAULT_TOLERANCE",
    "DEFAULT_MAX_INPUT_LEN",
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_CLIENT_SIDE_INPUTS",
    "ERROR_CODES",
    "Decryptor",
    "decrypt_aes256_gcm",
    "decrypt_aes256_gcm_bytes",
    "encrypt_aes256_gcm",
    "decrypt_client_side",
    "decrypt_client_side_bytes",
    "encrypt_client_side",
    "generate_key_pair",
    "decrypt_fernet",
    "decrypt_fernet_bytes",
    "encrypt_fernet",
    "sign_payload",
    "verify_signature",
    "_encrypt_fernet_from_parts",
]

# Plaintexts, bodies and encoded values: text (UTF-8) or raw bytes.
_Data: TypeAlias = Union[str, bytes, bytearray, memoryview]
# A webhook timestamp: the header's text, or unix seconds as an int (`int(time.time())`).
_Timestamp: TypeAlias = Union[str, int]
# What an action input's definition holds in `encryption`.
_Encryption: TypeAlias = Union[str, dict[str, Any]]
# One key, or several during a rotation (tried in the order given).
_OneOrMany: TypeAlias = Union[str, list[str], tuple[str, ...]]
# A header name or value: text, or raw bytes (ASGI).
_HeaderPart: TypeAlias = Union[str, bytes, bytearray, memoryview]

class _HeaderItems(Protocol):
    # dict, werkzeug's Headers / EnvironHeaders, starlette's Headers, aiohttp's CIMultiDict...
    def items(self) -> Iterable[tuple[_HeaderPart, _HeaderPart]]: ...

# A request's headers: a mapping, or (name, value) pairs (a name may repeat).
_Headers: TypeAlias = Union[_HeaderItems, Iterable[Sequence[_HeaderPart]]]
# The action's definitions (its `userInputs`, or that `properties` map), or secret input names.
_UserInputs: TypeAlias = Union[dict[str, Any], list[str], tuple[str, ...]]

__version__: Final[str]
RSA_BACKEND: Final[str]
DEFAULT_TOLERANCE: Final[int]
DEFAULT_MAX_INPUT_LEN: Final[int]
DEFAULT_MAX_BODY: Final[int]
DEFAULT_MAX_CLIENT_SIDE_INPUTS: Final[int]
ERROR_CODES: Final[tuple[str, ...]]

def decrypt_aes256_gcm(value: _Data, client_secret: str) -> str: ...
def decrypt_aes256_gcm_bytes(value: _Data, client_secret: str) -> bytes: ...
def encrypt_aes256_gcm(plaintext: _Data, client_secret: str) -> str: ...
def decrypt_client_side(value: _Data, private_key_pem: str) -> str: ...
def decrypt_client_side_bytes(value: _Data, private_key_pem: str) -> bytes: ...
def encrypt_client_side(plaintext: _Data, public_key_pem: str) -> str: ...
def generate_key_pair(bits: int = 2048) -> tuple[str, str]: ...
# `now` (keyword-only, every function or method that reads the clock): unix seconds to use
# instead of the clock, for tests and replays.
def decrypt_fernet(
    token: _Data, client_secret: str, ttl: Optional[int] = None, *, now: Optional[int] = None
) -> str: ...
def decrypt_fernet_bytes(
    token: _Data, client_secret: str, ttl: Optional[int] = None, *, now: Optional[int] = None
) -> bytes: ...
def encrypt_fernet(plaintext: _Data, client_secret: str) -> str: ...
def sign_payload(body: _Data, timestamp: _Timestamp, client_secret: str) -> str: ...
def verify_signature(
    body: _Data,
    signature: str,
    timestamp: _Timestamp,
    client_secret: str,
    tolerance: int = 300,
    *,
    now: Optional[int] = None,
) -> None: ...

# Test hook (fixed time and IV: the Fernet spec's vectors). Not part of the public API.
def _encrypt_fernet_from_parts(
    plaintext: _Data, client_secret: str, now: int, iv: _Data
) -> str: ...

@final
class Decryptor:
    """Keys parsed once; immutable, safe to share between threads."""

    def __new__(
        cls,
        client_secret: Optional[_OneOrMany] = None,
        private_key: Optional[_OneOrMany] = None,
        *,
        max_input_len: Optional[int] = None,
        fernet_ttl: Optional[int] = None,
    ) -> Decryptor: ...
    @property
    def client_secret_count(self) -> int: ...
    @property
    def private_key_count(self) -> int: ...
    @property
    def max_input_len(self) -> int: ...
    def decrypt(self, value: _Data, encryption: _Encryption) -> str: ...
    def decrypt_bytes(self, value: _Data, encryption: _Encryption) -> bytes: ...
    def decrypt_json(self, value: _Data, encryption: _Encryption) -> Any: ...
    def decrypt_properties(
        self, properties: dict[str, Any], user_inputs: dict[str, Any]
    ) -> dict[str, Any]: ...
    def open_webhook(
        self,
        body: _Data,
        headers: _Headers,
        *,
        delivery: Literal["port", "agent"] = "port",
        tolerance: int = 300,
        user_inputs: Optional[_UserInputs] = None,
        verify_signature: bool = True,
        properties_pointer: str = "/payload/properties",
        user_inputs_pointer: str = "/payload/action/userInputs",
        default_encryption: _Encryption = "aes256-gcm",
        max_body: int = 1048576,
        max_client_side_inputs: int = 64,
        now: Optional[int] = None,
    ) -> dict[str, Any]: ...
    def open_kafka_message(
        self,
        message: _Data,
        *,
        tolerance: int = 300,
        user_inputs: Optional[_UserInputs] = None,
        verify_signature: bool = True,
        properties_pointer: str = "/payload/properties",
        user_inputs_pointer: str = "/payload/action/userInputs",
        default_encryption: _Encryption = "aes256-gcm",
        max_body: int = 1048576,
        max_client_side_inputs: int = 64,
        now: Optional[int] = None,
    ) -> dict[str, Any]: ...
    def verify_signature(
        self,
        body: _Data,
        signature: str,
        timestamp: _Timestamp,
        tolerance: int = 300,
        *,
        now: Optional[int] = None,
    ) -> None: ...
