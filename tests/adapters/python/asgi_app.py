"""The app the ASGI tests serve under uvicorn (one worker, in a subprocess):

- POST /hook            FastAPI dependency: Depends(PortWebhook(decryptor)) -> {"run": run}
- POST /endpoint-hook   the Starlette form: @port_run.endpoint (request, run) -> {"run": run}
- POST /hook-count      the helper, answering only counts (the throughput route)
- POST /docs-snippet    the same work done the way Port's docs page does it (hmac + pycryptodome
                        AES-GCM per input, RSA-OAEP for client-side), in Starlette's thread pool
- GET  /ping            a plain route: must keep answering while runs are in flight
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any, Dict

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from port_secret import Decryptor
from port_secret.asgi import PortWebhook, install

from portcases import PRIVATE_KEY, SECRET

decryptor = Decryptor(client_secret=SECRET, private_key=PRIVATE_KEY)
port_run = PortWebhook(decryptor)
app = FastAPI()
install(app)


@app.get("/ping")
async def ping() -> Dict[str, Any]:
    return {"ok": True}


@app.post("/hook")
async def hook(run: dict = Depends(port_run)) -> Dict[str, Any]:
    return {"run": run}


@app.post("/hook-count")
async def hook_count(run: dict = Depends(port_run)) -> Dict[str, Any]:
    return {"ok": True, "inputs": len(run["payload"]["properties"])}


@port_run.endpoint
async def endpoint_hook(request: Request, run: Dict[str, Any]) -> JSONResponse:
    assert await request.body()  # the body stays readable after the helper read it
    return JSONResponse({"run": run})


app.add_route("/endpoint-hook", endpoint_hook, methods=["POST"])


# --- the docs' snippet: what a backend writes by hand today -----------------------------------
from Crypto.Cipher import AES, PKCS1_OAEP  # noqa: E402
from Crypto.Hash import SHA256  # noqa: E402
from Crypto.PublicKey import RSA  # noqa: E402

RSA_KEY = RSA.import_key(PRIVATE_KEY)


def docs_decrypt(value: str, key: str) -> str:
    """aes256-gcm, as Port's docs page decrypts it with pycryptodome."""
    data = base64.b64decode(value)
    iv, ciphertext, tag = data[:16], data[16:-16], data[-16:]
    return AES.new(key.encode()[:32], AES.MODE_GCM, nonce=iv).decrypt_and_verify(ciphertext, tag).decode()


def docs_decrypt_client_side(value: str) -> str:
    raw = base64.b64decode(value)
    k = RSA_KEY.size_in_bytes()
    iv, wrapped, rest = raw[:12], raw[12:12 + k], raw[12 + k:]
    aes_key = PKCS1_OAEP.new(RSA_KEY, hashAlgo=SHA256).decrypt(wrapped)
    return AES.new(aes_key, AES.MODE_GCM, nonce=iv).decrypt_and_verify(rest[:-16], rest[-16:]).decode()


def docs_open(raw: bytes, signature: str, timestamp: str) -> Dict[str, Any]:
    mac = hmac.new(SECRET.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).digest()
    if not hmac.compare_digest("v1," + base64.b64encode(mac).decode(), signature):
        raise ValueError("invalid_signature")
    if abs(time.time() - int(timestamp)) > 300:
        raise ValueError("expired")
    body = json.loads(raw)
    props = body["payload"]["properties"]
    for name, spec in body["payload"]["action"]["userInputs"]["properties"].items():
        enc = spec.get("encryption")
        if enc is None or props.get(name) is None:
            continue
        if isinstance(enc, dict) and enc.get("algorithm") == "client-side":
            plain = docs_decrypt_client_side(props[name])
        else:
            plain = docs_decrypt(props[name], SECRET)
        props[name] = json.loads(plain) if spec.get("type") == "object" else plain
    return body


@app.post("/docs-snippet")
async def docs_snippet(request: Request) -> Any:
    raw = await request.body()
    try:
        run = await run_in_threadpool(docs_open, raw, request.headers.get("x-port-signature", ""),
                                      request.headers.get("x-port-timestamp", "0"))
    except ValueError as err:
        return JSONResponse({"error": str(err)}, status_code=401)
    return {"ok": True, "inputs": len(run["payload"]["properties"])}
