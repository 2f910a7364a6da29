"""A Port action backend in Flask: receives runs of "Rotate database credentials" and rotates
(for show) the service's database password with the decrypted secret inputs.

    PORT_CLIENT_SECRET=...              the organisation's client secret (required)
    PORT_PRIVATE_KEY_FILE=key.pem       RSA private key for client-side inputs (optional)
    PORT_DELIVERY=agent                 runs forwarded by port-agent (default: port, Port's webhook)
    PORT=8000                           listens on 127.0.0.1:$PORT

port_webhook opens the run in one call (Decryptor.open_webhook: signature, parse, decryption of
every secret input); this file never logs or returns a secret value, only SHA-256 fingerprints.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Any

from flask import Flask, jsonify

from port_secret import Decryptor
from port_secret.flask import port_webhook

log = logging.getLogger("rotate-credentials")


def fingerprint(value: str) -> str:
    """Identifies a secret without revealing it (like a key ID): SHA-256, first 16 hex digits."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def make_decryptor() -> Decryptor:
    key_file = os.environ.get("PORT_PRIVATE_KEY_FILE")
    private_key = None
    if key_file:
        with open(key_file, encoding="utf-8") as f:
            private_key = f.read()
    # Keys are parsed once; the Decryptor is immutable and shared by every thread.
    return Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"], private_key=private_key)


def rotate(run: dict[str, Any]) -> dict[str, Any]:
    """What a real backend would do: connect with the connection settings, set the new password,
    install the certificate, register the vendor key. Here: check the inputs and describe it."""
    payload = run["payload"]
    inputs = payload["properties"]
    definitions = payload["action"]["userInputs"]["properties"]
    secrets: dict[str, Any] = {}
    for name, definition in definitions.items():
        if "encryption" not in definition or inputs.get(name) is None:
            continue
        value = inputs[name]
        if isinstance(value, str):
            secrets[name] = {"type": "string", "bytes": len(value.encode("utf-8")),
                             "fingerprint": fingerprint(value)}
        else:  # a `type: object` secret, already parsed
            secrets[name] = {"type": "object", "keys": sorted(value)}
    result: dict[str, Any] = {"runId": run.get("context", {}).get("runId"),
                              "action": run.get("action"),
                              "entity": payload.get("entity", {}).get("identifier"),
                              "secrets": secrets}
    connection = inputs.get("db_connection")
    if isinstance(connection, dict):
        result["database"] = f"{connection.get('user')}@{connection.get('host')}:{connection.get('port')}"
    certificate = inputs.get("tls_certificate")
    if isinstance(certificate, str):
        result["certificates"] = certificate.count("-----BEGIN CERTIFICATE-----")
    return result


def create_app() -> Flask:
    app = Flask(__name__)
    decryptor = make_decryptor()

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(ok=True)

    @app.post("/port/actions")
    @port_webhook(decryptor, delivery=os.environ.get("PORT_DELIVERY", "port"))
    def port_action(run: dict[str, Any]) -> Any:
        result = rotate(run)
        # Names and fingerprints only: never a value.
        log.info("run %s: rotated %s", result["runId"], ", ".join(sorted(result["secrets"])))
        return jsonify(ok=True, **result)

    return app


app = create_app()

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), threaded=True)
