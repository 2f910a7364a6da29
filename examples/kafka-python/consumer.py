"""A consumer of Port's Kafka topic (confluent-kafka): each message is opened with
port_secret.kafka.MessageOpener (signature and timestamp inside the message, JSON, every secret
input decrypted: one call into Rust); a refused message is logged with its code and skipped.

    KAFKA_BOOTSTRAP=host:port           the brokers (required)
    PORT_CLIENT_SECRET=...              the organisation's client secret (required)
    PORT_PRIVATE_KEY_FILE=key.pem       RSA private key for client-side inputs (optional)
    DOWNSTREAM_URL=https://...          your service that applies the new credentials (optional)

    python consumer.py --topic port-runs [--group rotate-credentials] [--max-messages N]
                       [--produce-demo]   # first produce the signed demo run and a tampered copy

The values go only to DOWNSTREAM_URL: it never logs or prints a secret value, nor anything
computed from one (no hash, length or part), only input names.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import logging
import os
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional

from confluent_kafka import Consumer, Producer

from port_secret import Decryptor
from port_secret.kafka import KafkaRejection, MessageOpener

log = logging.getLogger("rotate-credentials")
DEMO = Path(__file__).resolve().parent.parent / "demo"


def make_decryptor() -> Decryptor:
    key_file = os.environ.get("PORT_PRIVATE_KEY_FILE")
    private_key = open(key_file, encoding="utf-8").read() if key_file else None
    return Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"], private_key=private_key)


def refused(rejection: KafkaRejection) -> None:
    log.warning("refused %s", rejection.as_dict())  # code, input name, coordinates: no value


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


def handle(run: Dict[str, Any]) -> None:
    run_id = run.get("context", {}).get("runId")
    secrets = secret_inputs(run)
    rotate(run_id, secrets)  # raises when the service fails: the loop stops before the commit
    log.info("run %s: rotated with %s", run_id, ", ".join(sorted(secrets)))  # names only


def produce_demo(bootstrap: str, topic: str) -> None:
    """The demo run as Port's Kafka topic carries it (signed inside `headers`), and a tampered copy."""
    secret = os.environ["PORT_CLIENT_SECRET"].encode()
    message = json.loads((DEMO / "body.json").read_text())
    message["headers"] = {}
    ts = str(int(time.time()))
    text = f"{ts}.{json.dumps(message, separators=(',', ':'), ensure_ascii=False)}".encode()
    message["headers"] = {"X-Port-Signature": "v1," + base64.b64encode(
        hmac.new(secret, text, hashlib.sha256).digest()).decode(), "X-Port-Timestamp": ts}
    good = json.dumps(message).encode()
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    for value in (good, good.replace(b"quarterly rotation", b"quarterly rotatioN")):
        producer.produce(topic, value=value)
    if producer.flush(30) != 0:
        raise SystemExit("could not produce the demo messages")
    log.info("produced the demo run and a tampered copy to %s", topic)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topic", default="port-runs")
    parser.add_argument("--group", default="rotate-credentials")
    parser.add_argument("--max-messages", type=int, default=0, help="stop after N messages (0: never)")
    parser.add_argument("--produce-demo", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s %(message)s")
    bootstrap = os.environ["KAFKA_BOOTSTRAP"]
    if args.produce_demo:
        produce_demo(bootstrap, args.topic)

    opener = MessageOpener(make_decryptor(), on_reject=refused)  # on_error="skip": the loop goes on
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": args.group,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([args.topic])
    seen = 0
    try:
        while not args.max_messages or seen < args.max_messages:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            seen += 1
            run = opener.open(msg)  # None: refused, already reported
            if run is not None:
                handle(run)
            consumer.commit(message=msg, asynchronous=False)
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
