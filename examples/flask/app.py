"""A Port action backend in Flask: receives runs of "Rotate database credentials" and rotates
the service's database password with the decrypted secret inputs.

    PORT_CLIENT_SECRET=...              the organisation's client secret (required)
    PORT_PRIVATE_KEY_FILE=key.pem       RSA private key for client-side inputs (optional)
    PORT_DELIVERY=agent                 runs forwarded by port-agent (default: port, Port's webhook)
    DOWNSTREAM_URL=https://...          your service that applies the new credentials (optional)
    PORT=8000                           listens on 127.0.0.1:$PORT

port_webhook opens the run in one call (Decryptor.open_webhook: signature, parse, decryption of
every secret input). The values go only to DOWNSTREAM_URL: this file never logs or answers a
secret value nor anything computed from one (no hash, length or part), only input names.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Any

from flask import Flask, jsonify

from port_secret import Decryptor
from port_secret.flask import port_webhook

log = logging.getLogger("rotate-credentials")


def make_decryptor() -> Decryptor:
    key_file = os.environ.get("PORT_PRIVATE_KEY_FILE")
    private_key = None
    if key_file:
        with open(key_file, encoding="utf-8") as f:
            private_key = f.read()
    # Keys are parsed once; the Decryptor is immutable and shared by every thread.
    return Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"], private_key=private_key)


def secret_inputs(run: dict[str, Any]) -> dict[str, Any]:
    """The run's secret inputs that arrived, decrypted: {name: value} (`object` inputs parsed)."""
    payload = run["payload"]
    values = payload["properties"]
    return {name: values[name] for name, spec in payload["action"]["userInputs"]["properties"].items()
            if "encryption" in spec and values.get(name) is not None}


def rotate(run_id: str | None, secrets: dict[str, Any]) -> None:
    """Uses the values: POSTs them to your service at DOWNSTREAM_URL. Without it, only holds them."""
    url = os.environ.get("DOWNSTREAM_URL")
    if not url:
        return
    data = json.dumps({"runId": run_id, "secrets": secrets}).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # raises unless 2xx
        response.read()


def create_app() -> Flask:
    app = Flask(__name__)
    decryptor = make_decryptor()

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(ok=True)

    @app.post("/port/actions")
    @port_webhook(decryptor, delivery=os.environ.get("PORT_DELIVERY", "port"))
    def port_action(run: dict[str, Any]) -> Any:
        run_id = run.get("context", {}).get("runId")
        secrets = secret_inputs(run)
        try:
            rotate(run_id, secrets)
        except OSError as error:  # urllib's URLError / HTTPError, a timeout
            log.error("run %s: downstream failed (%s)", run_id, type(error).__name__)
            return jsonify(error="downstream_failed"), 502
        log.info("run %s: rotated with %s", run_id, ", ".join(sorted(secrets)))  # names only
        return jsonify(ok=True, runId=run_id, action=run.get("action"),
                       entity=run["payload"].get("entity", {}).get("identifier"), secrets=sorted(secrets))

    return app


app = create_app()

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), threaded=True)
