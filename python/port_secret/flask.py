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
from ._http import BODY_TOO_LARGE, answer, answer_for, run_options

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

# Flask itself is imported where it is used, so that `import port_secret` and this module load
# (and type-check, see flask.pyi) without Flask installed.

__all__ = ["DEFAULT_MAX_BODY", "port_webhook"]

_View = TypeVar("_View", bound=Callable[..., Any])


def _reject(status: int, body: Dict[str, str]) -> "Response":
    """The response for a refused request: status and body from the shared mapping (_http)."""
    from flask import jsonify

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
    options = run_options(
        "port_webhook",
        decryptor,
        user_inputs=user_inputs,
        verify_signature=verify_signature,
        tolerance=tolerance,
        properties_pointer=properties_pointer,
        max_body=max_body,
        user_inputs_pointer=user_inputs_pointer,
        delivery=delivery,
        default_encryption=default_encryption,
        max_client_side_inputs=max_client_side_inputs,
    )

    from flask import request

    def decorate(view: _View) -> _View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            length = request.content_length
            if length is not None and length > max_body:
                return _reject(*answer(BODY_TOO_LARGE))
            raw = request.get_data(cache=True) if length is not None else _read_capped(max_body)
            if raw is None or len(raw) > max_body:
                return _reject(*answer(BODY_TOO_LARGE))
            try:
                run = decryptor.open_webhook(raw, request.headers, **options)
            except PortSecretError as err:
                return _reject(*answer_for(err))
            return view(run, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
