"""What every helper of port_secret shares (private): the check of the run options, once, when a
helper is made, and the answer to a refused delivery. The helpers (flask, asgi, aws_lambda,
kafka) only convert their runtime's request or event to (raw bytes, headers) and this answer to
their runtime's response; the verification, parsing and decryption are one call into Rust.

The answers, the same in every HTTP helper:

- 401 ``{"error": code}``: ``invalid_signature`` (a missing or bad ``x-port-signature``) or
  ``expired`` (``x-port-timestamp`` more than ``tolerance`` seconds away);
- 400 ``{"error": code, "input": name}``: a secret input that fails to decrypt;
- 400 ``{"error": code}``: any other refusal (``invalid_json``, ``malformed``, ...);
- 413 ``{"error": "body_too_large"}``: a body over ``max_body`` bytes.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from . import DEFAULT_MAX_BODY, Decryptor, PortSecretError

__all__ = [
    "BODY_TOO_LARGE",
    "UNAUTHENTICATED",
    "answer",
    "answer_for",
    "base64_limit",
    "run_options",
]

# Refusals of the signature check: the request is not authenticated.
UNAUTHENTICATED = frozenset({"invalid_signature", "expired"})

# The code of a delivery over ``max_body`` bytes, refused before the core reads it.
BODY_TOO_LARGE = "body_too_large"


def answer(code: str, input: Optional[str] = None) -> Tuple[int, Dict[str, str]]:
    """The HTTP status and JSON body for a refused delivery with this code (and input name)."""
    if code == BODY_TOO_LARGE:
        return 413, {"error": code}
    status = 401 if code in UNAUTHENTICATED else 400
    return status, ({"error": code} if input is None else {"error": code, "input": input})


def answer_for(err: PortSecretError) -> Tuple[int, Dict[str, str]]:
    """:func:`answer` for a :class:`PortSecretError` of ``open_webhook``."""
    return answer(err.code, err.input)


def base64_limit(limit: int) -> int:
    """The longest base64 text that can decode to at most ``limit`` bytes (4 characters carry 3),
    with room for padding and line breaks: longer text is over the cap without decoding it."""
    return (limit + 2) // 3 * 4 + 4


def run_options(
    where: str,
    decryptor: Decryptor,
    *,
    kafka: bool = False,
    user_inputs: Any = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = DEFAULT_MAX_BODY,
    user_inputs_pointer: str = "/payload/action/userInputs",
    delivery: str = "port",
    default_encryption: Any = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Dict[str, Any]:
    """Checks a helper's options once, when it is made (bad ones raise ``TypeError`` there, not on
    the first delivery), and returns the keyword arguments of ``open_webhook`` (or, with
    ``kafka=True``, of ``open_kafka_message``: no ``delivery``)."""
    if not isinstance(decryptor, Decryptor):
        raise TypeError(f"{where}: decryptor must be a port_secret.Decryptor")
    if not isinstance(verify_signature, bool):
        raise TypeError(f"{where}: verify_signature must be a bool")
    if verify_signature and decryptor.client_secret_count == 0:
        raise TypeError(f"{where}: verifying signatures needs a Decryptor with a client_secret")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise TypeError(f"{where}: tolerance must be a non-negative int (seconds)")
    if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body <= 0:
        raise TypeError(f"{where}: max_body must be a positive int (bytes)")
    if user_inputs is not None and not isinstance(user_inputs, (dict, list, tuple)):
        raise TypeError(
            f"{where}: user_inputs must be the action's userInputs dict or a list of input names"
        )
    options: Dict[str, Any] = {
        "tolerance": tolerance,
        "user_inputs": user_inputs,
        "verify_signature": verify_signature,
        "properties_pointer": properties_pointer,
        "user_inputs_pointer": user_inputs_pointer,
        "default_encryption": default_encryption,
        "max_body": max_body,
        "max_client_side_inputs": max_client_side_inputs,
    }
    if not kafka:
        options["delivery"] = delivery
    _check_options(where, decryptor, options, kafka)
    return options


def _check_options(where: str, decryptor: Decryptor, options: Dict[str, Any], kafka: bool) -> None:
    """Checks every option with the code that will use it on each delivery: one open of an empty
    body, signature off. The core checks its options (the JSON pointers) before it reads the body,
    so valid options end at the body: ``invalid_json``."""
    try:
        if kafka:
            decryptor.open_kafka_message(b"", **{**options, "verify_signature": False})
        else:
            decryptor.open_webhook(b"", (), **{**options, "verify_signature": False})
    except PortSecretError as err:
        if err.code == "invalid_json":
            return
        raise TypeError(f"{where}: {err}") from None
    except (TypeError, ValueError) as err:
        raise TypeError(f"{where}: {err}") from None
    raise AssertionError("an empty body opened as a run")  # pragma: no cover
