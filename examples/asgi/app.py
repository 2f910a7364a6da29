"""A Port action backend in FastAPI: receives runs of "Rotate database credentials"
(../demo/action.json) and rotates (for show) the service's database password.

    PORT_CLIENT_SECRET=...              the organisation's client secret (required)
    PORT_PRIVATE_KEY_FILE=key.pem       RSA private key for client-side inputs (optional)
    PORT_DELIVERY=agent                 runs forwarded by port-agent (default: port, Port's webhook)
    DOWNSTREAM_URL=https://...          your service that applies the new credentials (optional)
    PORT=8000                           listens on 127.0.0.1:$PORT

Depends(port_run) opens the run in one call (Decryptor.open_webhook, in a worker thread: the
signature, the JSON, every secret input decrypted). The values go only to DOWNSTREAM_URL: this
file never logs or returns a secret value, nor anything computed from one (no hash, length or
part), only the names of the inputs it received.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import urllib.request
from typing import Any, Dict, Optional

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse

from port_secret import Decryptor
from port_secret.asgi import PortWebhook, install

log = logging.getLogger("rotate-credentials")


def make_decryptor() -> Decryptor:
    key_file = os.environ.get("PORT_PRIVATE_KEY_FILE")
    private_key = None
    if key_file:
        with open(key_file, encoding="utf-8") as f:
            private_key = f.read()
    return Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"], private_key=private_key)


def secret_inputs(run: Dict[str, Any]) -> Dict[str, Any]:
    """The run's secret inputs that arrived, decrypted: {name: value} (`object` inputs parsed)."""
    payload = run["payload"]
    values = payload["properties"]
    return {name: values[name] for name, spec in payload["action"]["userInputs"]["properties"].items()
            if "encryption" in spec and values.get(name) is not None}


def rotate(run_id: Optional[str], secrets: Dict[str, Any]) -> None:
    """Uses the values: POSTs them to your service at DOWNSTREAM_URL. Without it, only holds them."""
    url = os.environ.get("DOWNSTREAM_URL")
    if not url:
        return
    data = json.dumps({"runId": run_id, "secrets": secrets}).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # raises unless 2xx
        response.read()


port_run = PortWebhook(make_decryptor(), delivery=os.environ.get("PORT_DELIVERY", "port"))
app = FastAPI(title="rotate-credentials")
install(app)  # refusals: 401 / 400 / 413 {"error": code[, "input": name]}


@app.get("/healthz")
async def healthz() -> Dict[str, Any]:
    return {"ok": True}


@app.post("/port/actions")
async def port_action(run: dict = Depends(port_run)) -> Any:
    run_id = run.get("context", {}).get("runId")
    secrets = secret_inputs(run)
    try:
        await asyncio.to_thread(rotate, run_id, secrets)
    except OSError as error:  # urllib's URLError / HTTPError, a timeout
        log.error("run %s: downstream failed (%s)", run_id, type(error).__name__)
        return JSONResponse({"error": "downstream_failed"}, status_code=502)
    log.info("run %s: rotated with %s", run_id, ", ".join(sorted(secrets)))  # names only
    return {"ok": True, "runId": run_id, "action": run.get("action"), "secrets": sorted(secrets)}


if __name__ == "__main__":
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), access_log=False)
