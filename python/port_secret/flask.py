"""Flask helper: verify a Port webhook on its raw body and decrypt the run's secret inputs.

Usage::

    from flask import Flask
    from port_secret import Decryptor
    from port_secret.flask import port_webhook

    app = Flask(__name__)
    decryptor = Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"])

    @app.post("/port/actions")
    @port_webhook(decryptor)
    def run_action(run):
        password = run["payload"]["properties"]["db_password"]   # decrypted
        ...

The view receives the parsed body (a ``dict``) with every secret input under
``payload.properties`` decrypted (``object`` inputs parsed), then its URL arguments as keywords.
Refused requests never reach it:

- 401 ``{"error": code}``: a missing or bad ``x-port-signature`` (``invalid_signature``), or an
  ``x-port-timestamp`` more than ``tolerance`` seconds away (``expired``);
- 400 ``{"error": code, "input": name}``: a secret input that fails to decrypt;
- 400 ``{"error": "invalid_json"}`` / ``{"error": "malformed"}``: a body that is not a JSON object
  with the properties and ``userInputs``;
- 413 ``{"error": "body_too_large"}``: a body over ``max_body`` bytes.

Nothing is logged, and no response contains a value.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, TypeVar

from . import Decryptor, PortSecretError

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

# Flask itself is imported where it is used, so that `import port_secret` and this module load
# (and type-check, see flask.pyi) without Flask installed.

__all__ = ["DEFAULT_MAX_BODY", "port_webhook"]

#: The default cap on a webhook body, in bytes (1 MiB).
DEFAULT_MAX_BODY = 1024 * 1024

_View = TypeVar("_View", bound=Callable[..., Any])


def _pointer(pointer: str, option: str) -> List[str]:
    """RFC 6901 JSON pointer to its reference tokens (``""``: the whole document)."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise TypeError(f'{option} must be a JSON pointer ("" or starting with "/")')
    if pointer == "":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _lookup(document: Any, tokens: List[str]) -> Any:
    node = document
    for token in tokens:
        if not isinstance(node, dict) or token not in node:
            return None
        node = node[token]
    return node


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


def port_webhook(
    decryptor: Decryptor,
    user_inputs: Optional[Dict[str, Any]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = DEFAULT_MAX_BODY,
    user_inputs_pointer: str = "/payload/action/userInputs",
) -> Callable[[_View], _View]:
    """Decorates a Flask view (put it under ``@app.post(...)``) that handles Port action runs.

    ``user_inputs``: the action's ``userInputs`` (with ``properties``) or that ``properties`` map;
    ``None`` takes it from the body at ``user_inputs_pointer``, once the signature is verified.
    ``verify_signature=False`` skips the signature check (only behind something that checked it).
    ``properties_pointer``: where the inputs' values are, for bodies an action shapes itself.
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
    if user_inputs is not None and not isinstance(user_inputs, dict):
        raise TypeError("port_webhook: user_inputs must be the action's userInputs dict")
    properties_path = _pointer(properties_pointer, "properties_pointer")
    user_inputs_path = _pointer(user_inputs_pointer, "user_inputs_pointer")

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

            if verify_signature:
                signature = request.headers.get("x-port-signature")
                timestamp = request.headers.get("x-port-timestamp")
                if not signature or not timestamp:
                    return _reject(401, "invalid_signature")
                try:
                    decryptor.verify_signature(raw, signature, timestamp, tolerance)
                except PortSecretError as err:
                    return _reject(401, err.code)

            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                # RecursionError: json.loads on deeply nested arrays/objects.
                return _reject(400, "invalid_json")
            if not isinstance(body, dict):
                return _reject(400, "malformed")
            inputs = user_inputs if user_inputs is not None else _lookup(body, user_inputs_path)
            properties = _lookup(body, properties_path)
            if not isinstance(inputs, dict) or not isinstance(properties, dict):
                return _reject(400, "malformed")
            try:
                decrypted = decryptor.decrypt_properties(properties, inputs)
            except PortSecretError as err:
                return _reject(400, err.code, err.input)

            run: Any
            if properties_path:
                _lookup(body, properties_path[:-1])[properties_path[-1]] = decrypted
                run = body
            else:
                run = decrypted
            return view(run, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
