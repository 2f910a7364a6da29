"""ASGI helper (FastAPI, Starlette): open a Port webhook run (signature, parse, decryption) from
the raw request, off the event loop.

FastAPI, as a dependency::

    from fastapi import Depends, FastAPI
    from port_secret import Decryptor
    from port_secret.asgi import PortWebhook, install

    decryptor = Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"])
    port_run = PortWebhook(decryptor)           # delivery="agent" behind port-agent
    app = FastAPI()
    install(app)                                # refusals answered {"error": code[, "input": name]}

    @app.post("/port/actions")
    async def run_action(run: dict = Depends(port_run)):
        password = run["payload"]["properties"]["db_password"]   # decrypted
        ...

Starlette (or any framework on Starlette's ``Request``), as an endpoint decorator::

    @port_run.endpoint
    async def run_action(request, run):
        ...
    app = Starlette(routes=[Route("/port/actions", run_action, methods=["POST"])])

or by hand: ``run = await port_run.open(request)``, which raises :class:`PortRejection` (its
``.response()`` is the answer to send).

The helper only adds HTTP to :meth:`port_secret.Decryptor.open_webhook`: it reads the raw body
with a cap (Content-Length first, then the stream), makes that one call in a worker thread
(``anyio.to_thread.run_sync``; the call releases the GIL, so the event loop and other threads go
on while RSA and AES run) and maps its error to the answer every helper gives:

- 401 ``{"error": code}``: ``invalid_signature`` or ``expired``;
- 400 ``{"error": code, "input": name}``: a secret input that fails to decrypt;
- 400 ``{"error": code}``: any other refusal (``invalid_json``, ``malformed``);
- 413 ``{"error": "body_too_large"}``: a body over ``max_body`` bytes.

Without :func:`install`, FastAPI still answers a refusal with its status (``PortRejection`` is a
Starlette ``HTTPException``), but with its own body shape ``{"detail": {...}}``. Nothing is
logged, and no response contains a value.
"""

# No `from __future__ import annotations`: FastAPI reads PortWebhook.__call__'s annotation at
# runtime to inject the Request.

import functools
import inspect
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Union

from . import DEFAULT_MAX_BODY, Decryptor, PortSecretError
from ._http import BODY_TOO_LARGE, answer, answer_for, run_options

# Starlette is imported when present, so that `import port_secret.asgi` (and its stub) loads
# without it; the helper itself needs it (FastAPI depends on it).
try:
    from starlette.exceptions import HTTPException as _Base
    from starlette.requests import Request
except ImportError:  # pragma: no cover - exercised by the package's own test venv
    _Base = Exception  # type: ignore[assignment,misc]
    Request = Any  # type: ignore[assignment,misc]

__all__ = ["DEFAULT_MAX_BODY", "PortRejection", "PortWebhook", "install", "rejection_handler"]


class PortRejection(_Base):  # type: ignore[misc,valid-type]
    """A request the helper refused: ``status_code`` (401, 400, 413), ``body`` (the JSON object:
    ``{"error": code}``, plus ``"input"`` for a secret input that failed), ``code``, ``input``.
    ``response()`` is the Starlette ``JSONResponse`` to answer with."""

    status_code: int
    body: Dict[str, str]
    code: str
    input: Optional[str]

    def __init__(self, status_code: int, body: Dict[str, str]) -> None:
        headers = {"Connection": "close"} if status_code == 413 else None
        if _Base is Exception:  # pragma: no cover
            Exception.__init__(self, status_code, body)
            self.status_code = status_code
            self.headers = headers
        else:
            super().__init__(status_code, detail=body, headers=headers)  # type: ignore[call-arg]
        self.body = body
        self.code = body["error"]
        self.input = body.get("input")

    def __str__(self) -> str:
        return f"{self.status_code} {self.code}" + (f" (input {self.input!r})" if self.input else "")

    def __repr__(self) -> str:
        return f"PortRejection({self.status_code}, {self.body!r})"

    def response(self) -> Any:
        """The answer as a ``starlette.responses.JSONResponse``."""
        from starlette.responses import JSONResponse

        return JSONResponse(self.body, status_code=self.status_code, headers=self.headers)


async def rejection_handler(request: Any, exc: Exception) -> Any:
    """A Starlette/FastAPI exception handler for :class:`PortRejection` (see :func:`install`)."""
    if not isinstance(exc, PortRejection):  # pragma: no cover - registered for PortRejection only
        raise exc
    return exc.response()


def install(app: Any) -> None:
    """Registers :func:`rejection_handler` for :class:`PortRejection` on a FastAPI or Starlette
    app, so that a request the dependency refuses is answered ``{"error": code[, "input"]}``."""
    app.add_exception_handler(PortRejection, rejection_handler)


async def _to_thread(func: Callable[[], Any]) -> Any:
    try:
        import anyio.to_thread
    except ImportError:  # pragma: no cover - Starlette depends on anyio
        import asyncio

        return await asyncio.to_thread(func)
    return await anyio.to_thread.run_sync(func)


class PortWebhook:
    """Opens Port webhook runs from Starlette requests, with the options of
    :meth:`port_secret.Decryptor.open_webhook` (checked here: bad ones raise ``TypeError``).

    - ``Depends(port_webhook)`` (FastAPI): the run, or :class:`PortRejection` raised;
    - ``await port_webhook.open(request)``: the same, anywhere a Starlette ``Request`` is at hand;
    - ``@port_webhook.endpoint``: a Starlette endpoint ``(request, run)`` called only with a
      verified run, refusals answered without calling it.

    ``user_inputs``: the action's ``userInputs``, its ``properties`` map, or a list of the secret
    inputs' names; ``None`` takes them from the body at ``user_inputs_pointer`` once the signature
    verified. ``verify_signature=False`` only behind something that checked it.
    ``delivery="agent"``: forwarded by port-agent. ``max_body``: the cap on the raw body.
    """

    def __init__(
        self,
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
    ) -> None:
        self._options = run_options(
            "PortWebhook",
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
        self._decryptor = decryptor
        self._max_body = max_body

    def __repr__(self) -> str:
        return f"PortWebhook(delivery={self._options['delivery']!r}, max_body={self._max_body})"

    async def _read_body(self, request: Any) -> Optional[bytes]:
        """The raw body, at most ``max_body`` bytes, else None (refused from its Content-Length
        when that says so, else as soon as the stream passes the cap)."""
        cap = self._max_body
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > cap:
            return None
        chunks: List[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                return None
            chunks.append(chunk)
        raw = b"".join(chunks)
        # Starlette's cache of the body: the endpoint can still `await request.body()`.
        request._body = raw
        return raw

    async def open(self, request: Any) -> Dict[str, Any]:
        """The run of this request (its body with every secret input decrypted), or
        :class:`PortRejection` raised."""
        raw = await self._read_body(request)
        if raw is None:
            raise PortRejection(*answer(BODY_TOO_LARGE))
        call = functools.partial(
            self._decryptor.open_webhook, raw, request.headers.raw, **self._options
        )
        try:
            run: Dict[str, Any] = await _to_thread(call)
        except PortSecretError as err:
            raise PortRejection(*answer_for(err)) from None
        return run

    async def __call__(self, request: Request) -> Dict[str, Any]:
        """FastAPI dependency: ``run: dict = Depends(port_webhook)``."""
        return await self.open(request)

    def endpoint(
        self, func: Callable[[Any, Dict[str, Any]], Any]
    ) -> Callable[[Any], Awaitable[Any]]:
        """Decorates a Starlette endpoint ``(request, run)`` (async, or sync: then it runs on the
        event loop) into ``(request)``: refused requests are answered without calling it."""

        @functools.wraps(func)
        async def wrapper(request: Any) -> Any:
            try:
                run = await self.open(request)
            except PortRejection as rejection:
                return rejection.response()
            result = func(request, run)
            if inspect.isawaitable(result):
                result = await result
            return result

        return wrapper
