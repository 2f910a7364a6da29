"""port_secret.asgi over real HTTP: asgi_app.py under uvicorn (a subprocess on a free port).
Every case answers as the Flask helper answers the same request; the event loop keeps serving a
plain route while client-side runs are in flight; a throughput report against the docs' snippet."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import time

import httpx
import pytest
from Crypto.Cipher import AES, PKCS1_OAEP
from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from fastapi import Depends, FastAPI
from starlette.applications import Starlette
from starlette.routing import Route

from port_secret import Decryptor
from port_secret.asgi import PortRejection, PortWebhook, install
from portcases import (BODY, EXPECTED, PRIVATE_KEY, PUBLIC_KEY, SECRET, flask_answer, flask_reference,
                       http_cases, sign_headers)

CASES = http_cases()


def post(url: str, case) -> httpx.Response:
    return httpx.post(url, content=case.raw, headers={"content-type": "application/json", **case.headers},
                      timeout=30)


@pytest.mark.parametrize("route", ["/hook", "/endpoint-hook"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_over_http_matches_flask(uvicorn_url, route, case):
    res = post(uvicorn_url + route, case)
    status, body = flask_answer(flask_reference(), case)
    assert (res.status_code, res.json()) == (status, body)
    assert res.status_code == case.status
    if case.body is None:
        assert res.json() == {"run": EXPECTED}
    else:
        assert res.json() == case.body


def chunks(raw: bytes, size: int = 65536):
    for i in range(0, len(raw), size):
        yield raw[i:i + size]


@pytest.mark.parametrize("route", ["/hook", "/endpoint-hook"])
def test_chunked_body_without_content_length(uvicorn_url, route):
    ok = next(c for c in CASES if c.name == "valid")
    res = httpx.post(uvicorn_url + route, content=chunks(ok.raw, 1000), headers=ok.headers, timeout=30)
    assert res.request.headers.get("transfer-encoding") == "chunked"
    assert (res.status_code, res.json()) == (200, {"run": EXPECTED})
    big = next(c for c in CASES if c.name == "oversize")
    res = httpx.post(uvicorn_url + route, content=chunks(big.raw), headers=big.headers, timeout=30)
    assert (res.status_code, res.json()) == (413, {"error": "body_too_large"})


def test_content_length_over_the_cap_is_refused_before_the_body(uvicorn_url):
    """A Content-Length over max_body is answered 413 from the header alone."""
    import socket
    host, port = uvicorn_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 999999999\r\n\r\n{")
        reply = b""
        try:
            while chunk := s.recv(65536):  # the server closes: Connection: close
                reply += chunk
        except ConnectionResetError:  # it closes with our body unread: a reset may race the body
            pass
    text = reply.decode()
    assert text.startswith("HTTP/1.1 413"), text
    head, _, body = text.partition("\r\n\r\n")
    assert "connection: close" in head.lower() and "content-length: 26" in head.lower(), text
    assert body in ("", '{"error":"body_too_large"}'), text


# --- in-process forms (no server): options, install(), the Starlette decorator -----------------

decryptor = Decryptor(client_secret=SECRET, private_key=PRIVATE_KEY)


class AsgiClient:
    """In-process requests to an ASGI app (httpx.ASGITransport)."""

    def __init__(self, app):
        self.app = app

    def post(self, path: str, content: bytes, headers=None) -> httpx.Response:
        async def go():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.post(path, content=content, headers=headers)

        return asyncio.run(go())


def test_bad_options_raise_type_error_when_made():
    with pytest.raises(TypeError, match="PortWebhook: tolerance"):
        PortWebhook(decryptor, tolerance=-1)
    with pytest.raises(TypeError, match="PortWebhook: max_body"):
        PortWebhook(decryptor, max_body=0)
    with pytest.raises(TypeError, match="PortWebhook: .*pointer"):
        PortWebhook(decryptor, properties_pointer="no-slash")
    with pytest.raises(TypeError, match="PortWebhook: decryptor"):
        PortWebhook("not a decryptor")  # type: ignore[arg-type]


def test_without_install_fastapi_keeps_the_status():
    app = FastAPI()
    dep = PortWebhook(decryptor)

    @app.post("/h")
    async def h(run: dict = Depends(dep)):
        return {"ok": True}

    res = AsgiClient(app).post("/h", content=b"{}")
    assert (res.status_code, res.json()) == (401, {"detail": {"error": "invalid_signature"}})
    install(app)
    app.middleware_stack = None  # rebuilt with the handler
    res = AsgiClient(app).post("/h", content=b"{}")
    assert (res.status_code, res.json()) == (401, {"error": "invalid_signature"})


def test_open_by_hand_and_the_rejection_object():
    dep = PortWebhook(decryptor, max_body=10)
    seen = {}

    async def endpoint(request):
        try:
            await dep.open(request)
        except PortRejection as rejection:
            seen["r"] = rejection
            return rejection.response()

    client = AsgiClient(Starlette(routes=[Route("/h", endpoint, methods=["POST"])]))
    res = client.post("/h", content=b"x" * 11)
    assert (res.status_code, res.json()) == (413, {"error": "body_too_large"})
    assert res.headers["connection"] == "close"
    r = seen["r"]
    assert (r.status_code, r.code, r.input, r.body) == (413, "body_too_large", None, {"error": "body_too_large"})
    assert repr(r) == "PortRejection(413, {'error': 'body_too_large'})"


def test_options_pass_through_agent_delivery_and_user_inputs():
    body = {"inputs": {"token": base64.b64encode(b"x").decode()}}
    dep = PortWebhook(decryptor, user_inputs=["token"], properties_pointer="/inputs", verify_signature=False)

    @dep.endpoint
    def endpoint(request, run):  # a sync endpoint works too
        from starlette.responses import JSONResponse
        return JSONResponse(run)

    client = AsgiClient(Starlette(routes=[Route("/h", endpoint, methods=["POST"])]))
    res = client.post("/h", content=json.dumps(body).encode())
    assert (res.status_code, res.json()) == (400, {"error": "malformed", "input": "token"})


# --- the event loop keeps serving: p99 of a plain route during 32 client-side runs ------------


def client_side(plaintext: str) -> str:
    key = RSA.import_key(PUBLIC_KEY)
    aes_key, iv = os.urandom(32), os.urandom(12)
    wrapped = PKCS1_OAEP.new(key, hashAlgo=SHA256).encrypt(aes_key)
    ct, tag = AES.new(aes_key, AES.MODE_GCM, nonce=iv).encrypt_and_digest(plaintext.encode())
    return base64.b64encode(iv + wrapped + ct + tag).decode()


def heavy_body(n: int = 8) -> bytes:
    """The demo run with n client-side (RSA-2048) inputs."""
    body = json.loads(json.dumps(BODY))
    spec = body["payload"]["action"]["userInputs"]["properties"]["vendor_api_key"]
    for i in range(n - 1):
        body["payload"]["action"]["userInputs"]["properties"][f"key_{i}"] = spec
        body["payload"]["properties"][f"key_{i}"] = client_side(f"demo value {i}")
    return json.dumps(body).encode()


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def load(url: str, route: str, raw: bytes, workers: int, seconds: float) -> int:
    """`workers` concurrent clients posting signed runs for `seconds`: completed count."""
    done = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=workers + 4, max_keepalive_connections=workers + 4)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        async def worker():
            nonlocal done
            while time.monotonic() < deadline:
                res = await client.post(route, content=raw, headers=sign_headers(raw))
                assert res.status_code == 200, res.text
                done += 1

        await asyncio.gather(*(worker() for _ in range(workers)))
    return done


async def pings(url: str, seconds: float, interval: float = 0.01) -> list[float]:
    latencies = []
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await client.get("/ping")
        while time.monotonic() < deadline:
            t = time.perf_counter()
            res = await client.get("/ping")
            latencies.append((time.perf_counter() - t) * 1000)
            assert res.status_code == 200
            await asyncio.sleep(interval)
    return latencies


def test_event_loop_keeps_answering_during_32_client_side_runs(uvicorn_url):
    raw = heavy_body(8)
    idle = asyncio.run(pings(uvicorn_url, 1.0))
    seconds = float(os.environ.get("ADAPTERS_STALL_SECONDS", "3"))

    async def both():
        return await asyncio.gather(load(uvicorn_url, "/hook-count", raw, 32, seconds),
                                    pings(uvicorn_url, seconds))

    runs, busy = asyncio.run(both())
    print(f"\n[asgi stall] {runs} runs of 8 client-side inputs in {seconds:.0f}s with 32 in flight; "
          f"/ping p50 {statistics.median(busy):.1f} ms, p99 {p(busy, 0.99):.1f} ms over {len(busy)} pings "
          f"(idle p99 {p(idle, 0.99):.1f} ms)")
    assert runs >= 32
    assert len(busy) >= 20, "the plain route stopped answering"
    assert p(busy, 0.99) < float(os.environ.get("ADAPTERS_P99_BOUND_MS", "500"))


def wrk_rps(url: str, route: str, raw: bytes, seconds: float, tmp_path) -> float:
    """wrk -t1 -c16 POSTing the signed run: requests/s; every answer must be 200."""
    headers = sign_headers(raw)
    script = tmp_path / f"{route.strip('/')}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [==[{raw.decode()}]==]\n"
        'wrk.headers["content-type"] = "application/json"\n'
        + "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items()))
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds:g}s", "-s", str(script), url + route],
                         capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    assert "Non-2xx" not in out and "Socket errors" not in out, out
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def test_throughput_report_helper_vs_docs_snippet(uvicorn_url, tmp_path):
    """Requests/s of the helper route and of the docs' snippet (pycryptodome per input, in the
    thread pool) on the demo run, 16 connections (wrk when installed, else httpx clients in this
    process): a report, not an assertion."""
    seconds = float(os.environ.get("ADAPTERS_RPS_SECONDS", "3"))
    raw = next(c for c in CASES if c.name == "valid").raw
    asyncio.run(load(uvicorn_url, "/docs-snippet", raw, 4, 0.5))  # warm both
    asyncio.run(load(uvicorn_url, "/hook-count", raw, 4, 0.5))
    if shutil.which("wrk"):
        client = "wrk -t1 -c16"
        helper = wrk_rps(uvicorn_url, "/hook-count", raw, seconds, tmp_path)
        snippet = wrk_rps(uvicorn_url, "/docs-snippet", raw, seconds, tmp_path)
    else:
        client = "16 httpx clients"
        helper = asyncio.run(load(uvicorn_url, "/hook-count", raw, 16, seconds)) / seconds
        snippet = asyncio.run(load(uvicorn_url, "/docs-snippet", raw, 16, seconds)) / seconds
    print(f"\n[asgi rps] demo run (3 aes256-gcm + 1 client-side RSA-2048 input), uvicorn 1 worker, "
          f"{client}, {seconds:g}s each: helper {helper:.0f} req/s, docs' snippet {snippet:.0f} req/s, "
          f"ratio {helper / snippet:.2f}x")
    assert helper > 0 and snippet > 0
