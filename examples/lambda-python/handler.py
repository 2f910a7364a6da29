"""Lambda handlers for Port runs (demo action "Rotate database credentials"):

- `webhook`: behind API Gateway (REST or HTTP API) or a function URL, Port's webhook;
- `kafka`: an Amazon MSK or self-managed Kafka event source mapping on Port's Kafka topic
  (with FunctionResponseTypes ["ReportBatchItemFailures"] on the mapping).

Environment: PORT_CLIENT_SECRET (required), PORT_PRIVATE_KEY_FILE (client-side inputs). Neither
handler logs or returns a secret value, nor anything computed from one: only input names.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List

from port_secret import Decryptor
from port_secret.aws_lambda import port_kafka_handler, port_webhook_handler

log = logging.getLogger("rotate-credentials")
log.setLevel(logging.INFO)


def make_decryptor() -> Decryptor:
    key_file = os.environ.get("PORT_PRIVATE_KEY_FILE")
    private_key = open(key_file, encoding="utf-8").read() if key_file else None
    return Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"], private_key=private_key)


decryptor = make_decryptor()  # once per cold start, shared by every invocation


def secret_names(run: Dict[str, Any]) -> List[str]:
    payload = run["payload"]
    definitions = payload["action"]["userInputs"]["properties"]
    return sorted(n for n, spec in definitions.items()
                  if "encryption" in spec and payload["properties"].get(n) is not None)


@port_webhook_handler(decryptor)
def webhook(run: Dict[str, Any], event: Dict[str, Any], context: Any) -> Dict[str, Any]:
    # A real backend would now use run["payload"]["properties"]["db_password"].
    run_id = run.get("context", {}).get("runId")
    log.info("run %s: rotated with %s", run_id, ", ".join(secret_names(run)))
    return {"ok": True, "runId": run_id, "secrets": secret_names(run)}


@port_kafka_handler(decryptor)
def kafka(run: Dict[str, Any], record: Dict[str, Any], context: Any) -> None:
    log.info("run %s (offset %s): rotated with %s", run.get("context", {}).get("runId"),
             record["offset"], ", ".join(secret_names(run)))
