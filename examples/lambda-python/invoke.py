"""Local invoke of handler.py with events shaped as AWS sends them: the demo run as a function
URL request (signed as Port signs it) and an unsigned one, then an MSK event with the demo run
as a Kafka message and a tampered one. Prints each response (no value is in any)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import logging
import os
import time
from pathlib import Path

logging.basicConfig(level=logging.INFO, format="%(name)s %(message)s")

import handler  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "demo"
SECRET = os.environ["PORT_CLIENT_SECRET"]
BODY = (DEMO / "body.json").read_bytes()


def sign(text: bytes, ts: str) -> str:
    return "v1," + base64.b64encode(hmac.new(SECRET.encode(), ts.encode() + b"." + text,
                                             hashlib.sha256).digest()).decode()


def url_event(body: bytes, headers: dict) -> dict:
    return {"version": "2.0", "routeKey": "$default", "rawPath": "/port/actions", "rawQueryString": "",
            "headers": {"content-type": "application/json", "host": "abc.lambda-url.us-east-1.on.aws",
                        **headers},
            "requestContext": {"http": {"method": "POST", "path": "/port/actions", "protocol": "HTTP/1.1",
                                        "sourceIp": "203.0.113.10", "userAgent": "Port"},
                               "routeKey": "$default", "stage": "$default", "requestId": "local"},
            "body": base64.b64encode(body).decode(), "isBase64Encoded": True}


def kafka_message(ts: str) -> bytes:
    message = json.loads(BODY)
    message["headers"] = {}
    text = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
    message["headers"] = {"X-Port-Signature": sign(text, ts), "X-Port-Timestamp": ts}
    return json.dumps(message).encode()


ts = str(int(time.time()))
for label, event in [("signed", url_event(BODY, {"x-port-timestamp": ts, "x-port-signature": sign(BODY, ts)})),
                     ("unsigned", url_event(BODY, {}))]:
    response = handler.webhook(event, None)
    print(f"webhook {label}: {response['statusCode']} {response['body']}")

good = kafka_message(ts)
bad = good.replace(b"quarterly rotation", b"quarterly rotatioN")
records = [{"topic": "port-runs", "partition": 0, "offset": i, "timestamp": int(time.time() * 1000),
            "timestampType": "CREATE_TIME", "value": base64.b64encode(v).decode(), "headers": []}
           for i, v in enumerate([good, bad])]
event = {"eventSource": "aws:kafka", "eventSourceArn": "arn:aws:kafka:us-east-1:123456789012:cluster/demo/x",
         "bootstrapServers": "b-1.demo:9092", "records": {"port-runs-0": copy.deepcopy(records)}}
print(f"kafka batch: {json.dumps(handler.kafka(event, None))}")
