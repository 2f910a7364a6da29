"""Flask helper: open a Port webhook run (signature, parse, decryption) from the raw request.

Usage::

    from flask import Flask
    from port_secret import Decryptor
    from port_secret.flask import port_webhook

    app = Flask(__name__)
    decryptor = Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"])

    @app.post("/port/actions")
    @port_webhook(decryptor)                    # delivery="agent" behind port-agent
    def run_action(run):
        password = run["payload"]["properties"]["db_password"]   # decrypted
        ...

The helper only adds HTTP to :meth:`port_secret.Decryptor.open_webhook`: it reads the raw body,
makes that one call (which verifies the signature, parses the body and decrypts every secret
input, without the GIL) and maps its error to a status. The view receives the parsed body (a
``dict``) with every secret input under ``properties_pointer`` decrypted (``object`` inputs
parsed), then its URL arguments as keywords. Refused requests never reach it:

- 401 ``{"error": code}``: a missing or bad ``x-port-signature`` (``invalid_signature``), or an
  ``x-port-timestamp`` more than ``tolerance`` seconds away (``expired``);
- 400 ``{"error": code, "input": name}``: a secret input that fails to decrypt;
- 400 ``{"error": code}``: any other refusal, such as ``invalid_json`` (a body that is not JSON)
  or ``malformed`` (no properties object, no input definitions);
- 413 ``{"error": "body_too_large"}``: a body over ``max_body`` bytes (refused before reading it
  when its Content-Length says so).

Nothing is logged, and no response contains a value.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, TypeVar, Union

from . import DEFAULT_MAX_BODY, Decryptor, PortSecretError

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

# Flask itself is imported where it is used, so that `import port_secret` and this module load
# (and type-check, see flask.pyi) without Flask installed.

__all__ = ["DEFAULT_MAX_BODY", "port_webhook"]

_View = TypeVar("_View", bound=Callable[..., Any])

# Refusals of the signature check: the request is not authenticated.
_UNAUTHENTICATED = frozenset({"invalid_signature", "expired"})


def _reject(status: int, code: str, input: Optional[str] = None) -> "Response":
    from flask import jsonify

    body = {"error": code} if input is None else {"error": code, "input": input}
    response = jsonify(body)
    response.status_code = status
    if status == 413:
        response.headers["Connection"] = "close"
    return response


def _read_capped(cap: int) -> Optional[bytes]:
    """A body without Content-Length (chunked): at most ``cap`` bytes, else None."""
    from flask import request

    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = request.stream.read(min(65536, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)


def _check_options(decryptor: Decryptor, options: Dict[str, Any]) -> None:
    """Checks every option once, at decoration, with the code that will use it on each request:
    one ``open_webhook`` of an empty body, signature off. The core checks its options (the JSON
    pointers) before it reads the body, so valid options end at the body: ``invalid_json``."""
    try:
        decryptor.open_webhook(b"", (), **{**options, "verify_signature": False})
    except PortSecretError as err:
        if err.code == "invalid_json":
            return
        raise TypeError(f"port_webhook: {err}") from None
    except (TypeError, ValueError) as err:
        raise TypeError(f"port_webhook: {err}") from None
    raise AssertionError("an empty body opened as a run")  # pragma: no cover


def port_webhook(
    decryptor: Decryptor,
    user_inputs: Optional[Union[Dict[str, Any], Sequence[str]]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = DEFAULT_MAX_BODY,
    user_inputs_pointer: str = "/payload/action/userInputs",
    delivery: str = "port",
    default_encryption: Union[str, Dict[str, Any]] = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Callable[[_View], _View]:
    """Decorates a Flask view (put it under ``@app.post(...)``) that handles Port action runs.

    ``user_inputs``: the action's ``userInputs`` (with ``properties``), that ``properties`` map,
    or a list of the secret inputs' names (each decrypted as ``default_encryption``); ``None``
    takes the definitions from the body at ``user_inputs_pointer``, once the signature is
    verified. ``verify_signature=False`` skips the signature check (only behind something that
    checked it). ``properties_pointer``: where the inputs' values are, for bodies an action
    shapes itself. ``delivery="agent"``: the webhook is forwarded by port-agent, which signs a
    compact re-serialization of the body rather than the bytes it sends.
    ``max_client_side_inputs``: the most client-side (RSA) inputs one run may carry.

    Bad options raise ``TypeError`` here, not on the first request.
    """
    if not isinstance(decryptor, Decryptor):
        raise TypeError("port_webhook: decryptor must be a port_secret.Decryptor")
    if not isinstance(verify_signature, bool):
        raise TypeError("port_webhook: verify_signature must be a bool")
    if verify_signature and decryptor.client_secret_count == 0:
        raise TypeError("port_webhook: verifying signatures needs a Decryptor with a client_secret")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise TypeError("port_webhook: tolerance must be a non-negative int (seconds)")
    if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body <= 0:
        raise TypeError("port_webhook: max_body must be a positive int (bytes)")
    if user_inputs is not None and not isinstance(user_inputs, (dict, list, tuple)):
        raise TypeError(
            "port_webhook: user_inputs must be the action's userInputs dict or a list of input names"
        )
    options: Dict[str, Any] = {
        "delivery": delivery,
        "tolerance": tolerance,
        "user_inputs": user_inputs,
        "verify_signature": verify_signature,
        "properties_pointer": properties_pointer,
        "user_inputs_pointer": user_inputs_pointer,
        "default_encryption": default_encryption,
        "max_body": max_body,
        "max_client_side_inputs": max_client_side_inputs,
    }
    _check_options(decryptor, options)

    from flask import request

    def decorate(view: _View) -> _View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            length = request.content_length
            if length is not None and length > max_body:
                return _reject(413, "body_too_large")
            raw = request.get_data(cache=True) if length is not None else _read_capped(max_body)
            if raw is None or len(raw) > max_body:
                return _reject(413, "body_too_large")
            try:
                run = decryptor.open_webhook(raw, request.headers, **options)
            except PortSecretError as err:
                if err.code in _UNAUTHENTICATED:
                    return _reject(401, err.code)
                return _reject(400, err.code, err.input)
            return view(run, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
