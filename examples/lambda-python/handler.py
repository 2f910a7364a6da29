"""Lambda handlers for Port runs (demo action "Rotate database credentials"):

- `webhook`: behind API Gateway (REST or HTTP API) or a function URL, Port's webhook;
- `kafka`: an Amazon MSK or self-managed Kafka event source mapping on Port's Kafka topic
  (with FunctionResponseTypes ["ReportBatchItemFailures"] on the mapping).

Environment: PORT_CLIENT_SECRET (required), PORT_PRIVATE_KEY_FILE (client-side inputs),
DOWNSTREAM_URL (optional: your service that applies the new credentials). The values go only to
DOWNSTREAM_URL: neither handler logs or returns a secret value, nor anything computed from one
(no hash, length or part), only input names.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Any, Dict, Optional

from port_secret import Decryptor
from port_secret.aws_lambda import port_kafka_handler, port_webhook_handler

log = logging.getLogger("rotate-credentials")
log.setLevel(logging.INFO)


def make_decryptor() -> Decryptor:
    key_file = os.environ.get("PORT_PRIVATE_KEY_FILE")
    private_key = open(key_file, encoding="utf-8").read() if key_file else None
    return Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"], private_key=private_key)


decryptor = make_decryptor()  # once per cold start, shared by every invocation


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


@port_webhook_handler(decryptor)
def webhook(run: Dict[str, Any], event: Dict[str, Any], context: Any) -> Dict[str, Any]:
    run_id = run.get("context", {}).get("runId")
    secrets = secret_inputs(run)
    try:
        rotate(run_id, secrets)
    except OSError as error:  # urllib's URLError / HTTPError, a timeout
        log.error("run %s: downstream failed (%s)", run_id, type(error).__name__)
        return {"statusCode": 502, "headers": {"content-type": "application/json"},
                "body": '{"error":"downstream_failed"}'}
    log.info("run %s: rotated with %s", run_id, ", ".join(sorted(secrets)))  # names only
    return {"ok": True, "runId": run_id, "secrets": sorted(secrets)}


@port_kafka_handler(decryptor)
def kafka(run: Dict[str, Any], record: Dict[str, Any], context: Any) -> None:
    run_id = run.get("context", {}).get("runId")
    secrets = secret_inputs(run)
    rotate(run_id, secrets)  # raises when the service fails: the invocation fails, Lambda retries
    log.info("run %s (offset %s): rotated with %s", run_id, record["offset"], ", ".join(sorted(secrets)))
