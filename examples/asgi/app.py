"""A Port action backend in FastAPI: receives runs of "Rotate database credentials"
(../demo/action.json) and rotates (for show) the service's database password.

    PORT_CLIENT_SECRET=...              the organisation's client secret (required)
    PORT_PRIVATE_KEY_FILE=key.pem       RSA private key for client-side inputs (optional)
    PORT_DELIVERY=agent                 runs forwarded by port-agent (default: port, Port's webhook)
    PORT=8000                           listens on 127.0.0.1:$PORT

Depends(port_run) opens the run in one call (Decryptor.open_webhook, in a worker thread: the
signature, the JSON, every secret input decrypted). This file never logs or returns a secret
value, nor anything computed from one: only the names of the inputs it received.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict

from fastapi import Depends, FastAPI

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


port_run = PortWebhook(make_decryptor(), delivery=os.environ.get("PORT_DELIVERY", "port"))
app = FastAPI(title="rotate-credentials")
install(app)  # refusals: 401 / 400 / 413 {"error": code[, "input": name]}


@app.get("/healthz")
async def healthz() -> Dict[str, Any]:
    return {"ok": True}


@app.post("/port/actions")
async def port_action(run: dict = Depends(port_run)) -> Dict[str, Any]:
    payload = run["payload"]
    inputs = payload["properties"]
    definitions = payload["action"]["userInputs"]["properties"]
    secrets = sorted(name for name, spec in definitions.items()
                     if "encryption" in spec and inputs.get(name) is not None)
    # A real backend would now connect with inputs["db_connection"] and set inputs["db_password"].
    run_id = run.get("context", {}).get("runId")
    log.info("run %s: rotated with %s", run_id, ", ".join(secrets))  # names only, never a value
    return {"ok": True, "runId": run_id, "action": run.get("action"), "secrets": secrets}


if __name__ == "__main__":
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), access_log=False)
