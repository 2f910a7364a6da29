"""Port secret-input cryptography for Python webhook backends.

Decrypts what Port sends for secret action inputs (``aes256-gcm``, ``client-side`` RSA-OAEP +
AES-GCM, legacy ``fernet``) and verifies webhook signatures; ``Decryptor.open_webhook`` and
``Decryptor.open_kafka_message`` open a whole run (signature, parse, decryption) in one call. The
work is done by the Rust crate ``port-secret-core``; the GIL is released around every call, so
threads decrypt in parallel.

Usage::

    from port_secret import Decryptor, PortSecretError

    decryptor = Decryptor(client_secret=secret, private_key=private_pem)
    run = decryptor.open_webhook(raw_body, request_headers)  # verify, parse, decrypt
    password = run["payload"]["properties"]["db_password"]
    text = decryptor.decrypt(value, "aes256-gcm")  # or one value at a time

The one-shot signature functions take one argument order, under the same names: what was signed
first, the key last -- ``sign_payload(body, timestamp, client_secret)`` and
``verify_signature(body, signature, timestamp, client_secret, tolerance=300)``. (Earlier builds
took ``sign_payload(body, client_secret, timestamp)``; a call in that order passes the secret as
the timestamp and raises ``malformed``.)

Time, for tests and replays: every function and method that reads the clock (``verify_signature``
and ``Decryptor.verify_signature``, ``decrypt_fernet`` and ``decrypt_fernet_bytes`` when a ``ttl``
is given, ``Decryptor.open_webhook`` and ``Decryptor.open_kafka_message``) takes a keyword-only
``now``: unix seconds (an ``int``) to use instead of the clock, e.g.
``verify_signature(body, signature, timestamp, secret, now=1764583200)``. ``Decryptor.decrypt``
of a ``fernet`` value with ``fernet_ttl`` reads the clock and has no ``now`` yet.

Every failure is a :class:`PortSecretError` (a ``ValueError``) with a stable ``.code``.
"""

from ._errors import PortSecretError
from ._native import (
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_CLIENT_SIDE_INPUTS,
    DEFAULT_MAX_INPUT_LEN,
    DEFAULT_TOLERANCE,
    ERROR_CODES,
    RSA_BACKEND,
    Decryptor,
    __version__,
    decrypt_aes256_gcm,
    decrypt_aes256_gcm_bytes,
    decrypt_client_side,
    decrypt_client_side_bytes,
    decrypt_fernet,
    decrypt_fernet_bytes,
    encrypt_aes256_gcm,
    encrypt_client_side,
    encrypt_fernet,
    generate_key_pair,
    sign_payload,
    verify_signature,
)

__all__ = [
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_CLIENT_SIDE_INPUTS",
    "DEFAULT_MAX_INPUT_LEN",
    "DEFAULT_TOLERANCE",
    "ERROR_CODES",
    "RSA_BACKEND",
    "Decryptor",
    "PortSecretError",
    "__version__",
    "decrypt_aes256_gcm",
    "decrypt_aes256_gcm_bytes",
    "decrypt_client_side",
    "decrypt_client_side_bytes",
    "decrypt_fernet",
    "decrypt_fernet_bytes",
    "encrypt_aes256_gcm",
    "encrypt_client_side",
    "encrypt_fernet",
    "generate_key_pair",
    "sign_payload",
    "verify_signature",
]
