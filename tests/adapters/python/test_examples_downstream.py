"""examples/asgi, examples/lambda-python and examples/kafka-python with DOWNSTREAM_URL: each hands
the decrypted values of the demo run to a real HTTP server here (the customer's own service),
which must receive exactly the plaintexts of examples/demo/expected.json; nothing an example
answers or logs holds a value or anything computed from one (its SHA-256, a field of an object).
Without DOWNSTREAM_URL, test_examples.py runs them."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List

import httpx
import pytest

from conftest import free_port, start, stop
from portcases import DEMO, EXPECTED, REPO, SECRET, sign_headers

EXAMPLES = REPO / "examples"
ENV = {"PORT_CLIENT_SECRET": SECRET, "PORT_PRIVATE_KEY_FILE": str(DEMO / "private_key.pem")}
DEMO_SECRETS = {k: v for k, v in EXPECTED["payload"]["properties"].items() if k != "reason"}
NAMES = sorted(DEMO_SECRETS)


def derived(values: List[Any]) -> List[str]:
    """Each value (an object: its JSON and its long string fields), its SHA-256 hex, the hex's
    first 16 digits, and its base64."""
    texts: List[str] = []
    for value in values:
        if isinstance(value, str):
            texts.append(value)
        else:
            texts.append(json.dumps(value))
            texts += [v for v in value.values() if isinstance(v, str) and len(v) >= 8]
    out: List[str] = []
    for text in texts:
        digest = hashlib.sha256(text.encode()).digest()
        out += [text, digest.hex(), digest.hex()[:16], base64.b64encode(digest).decode()]
    return out


def assert_nothing_derived(text: str) -> None:
    for needle in derived([*DEMO_SECRETS.values(), SECRET]):
        assert needle not in text, "a decrypted value, or a hash of one, was answered or logged"


class Downstream:
    """A real HTTP server on 127.0.0.1: records each POST's JSON body, answers `status`."""

    def __init__(self) -> None:
        self.received: List[Dict[str, Any]] = []
        self.status = 204
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                outer.received.append({"contentType": self.headers.get("content-type"),
                                       "body": json.loads(self.rfile.read(length))})
                self.send_response(outer.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rotate"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def downstream() -> Iterator[Downstream]:
    server = Downstream()
    yield server
    server.close()


def test_asgi_example_hands_the_values_downstream(downstream: Downstream) -> None:
    port = free_port()
    proc = start([sys.executable, "app.py"], EXAMPLES / "asgi", port,
                 {**ENV, "PORT": str(port), "DOWNSTREAM_URL": downstream.url})
    answers = ""
    try:
        raw = (DEMO / "body.json").read_bytes()
        url = f"http://127.0.0.1:{port}/port/actions"
        res = httpx.post(url, content=raw, timeout=30,
                         headers={"content-type": "application/json", **sign_headers(raw)})
        answers += res.text
        assert (res.status_code, res.json()) == (200, {
            "ok": True, "runId": "r_DEMO0001", "action": "rotate_database_credentials", "secrets": NAMES})
        assert downstream.received == [{"contentType": "application/json",
                                        "body": {"runId": "r_DEMO0001", "secrets": DEMO_SECRETS}}]
        downstream.status = 503
        res = httpx.post(url, content=raw, timeout=30,
                         headers={"content-type": "application/json", **sign_headers(raw)})
        answers += res.text
        assert (res.status_code, res.json()) == (502, {"error": "downstream_failed"})
    finally:
        log = stop(proc)
    assert "run r_DEMO0001: rotated with db_connection" in log
    assert "run r_DEMO0001: downstream failed (HTTPError)" in log
    assert_nothing_derived(answers + log)


def test_lambda_example_hands_the_values_downstream(downstream: Downstream) -> None:
    out = subprocess.run([sys.executable, "invoke.py"], cwd=EXAMPLES / "lambda-python",
                         env={**os.environ, **ENV, "DOWNSTREAM_URL": downstream.url},
                         capture_output=True, text=True, timeout=60, check=True)
    assert 'webhook signed: 200 {"ok":true,"runId":"r_DEMO0001"' in out.stdout
    assert 'kafka batch: {"batchItemFailures": []}' in out.stdout
    # The signed webhook and the valid Kafka record; not the unsigned or the tampered one.
    assert [r["body"] for r in downstream.received] == [{"runId": "r_DEMO0001", "secrets": DEMO_SECRETS}] * 2
    assert_nothing_derived(out.stdout + out.stderr)


@pytest.mark.skipif(not os.environ.get("KAFKA_BOOTSTRAP"), reason="no broker: KAFKA_BOOTSTRAP is not set")
def test_kafka_example_hands_the_values_downstream(downstream: Downstream) -> None:
    topic = f"port-runs-downstream-{uuid.uuid4().hex[:8]}"
    out = subprocess.run([sys.executable, "consumer.py", "--topic", topic, "--group", f"g-{topic}",
                          "--produce-demo", "--max-messages", "2"], cwd=EXAMPLES / "kafka-python",
                         env={**os.environ, **ENV, "DOWNSTREAM_URL": downstream.url},
                         capture_output=True, text=True, timeout=90, check=True)
    assert "run r_DEMO0001: rotated with db_connection, db_password, tls_certificate, vendor_api_key" in out.stderr
    assert [r["body"] for r in downstream.received] == [{"runId": "r_DEMO0001", "secrets": DEMO_SECRETS}]
    assert_nothing_derived(out.stdout + out.stderr)
