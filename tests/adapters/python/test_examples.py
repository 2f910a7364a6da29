"""The examples (examples/asgi, examples/lambda-python, examples/kafka-python), started as their
READMEs start them (with this venv's python), get every case; nothing they print or answer holds
a secret value."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import httpx
import pytest

from conftest import free_port, start, stop
from portcases import DEMO, EXPECTED, REPO, SECRET, flask_answer, flask_reference, http_cases

EXAMPLES = REPO / "examples"
PLAINTEXTS = [v if isinstance(v, str) else "db.internal"
              for n, v in EXPECTED["payload"]["properties"].items() if n != "reason"]
PLAINTEXTS += ["correct horse", "sk_demo_", "BEGIN CERTIFICATE"]
ENV = {"PORT_CLIENT_SECRET": SECRET, "PORT_PRIVATE_KEY_FILE": str(DEMO / "private_key.pem")}


def assert_no_secret(text: str) -> None:
    for plain in PLAINTEXTS:
        assert plain not in text


def test_asgi_example_every_case():
    port = free_port()
    proc = start([sys.executable, "app.py"], EXAMPLES / "asgi", port, {**ENV, "PORT": str(port)})
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"ok": True}
        for case in http_cases():
            res = httpx.post(f"http://127.0.0.1:{port}/port/actions", content=case.raw, timeout=30,
                             headers={"content-type": "application/json", **case.headers})
            assert_no_secret(res.text)
            if case.body is None:
                assert (res.status_code, res.json()) == (200, {
                    "ok": True, "runId": "r_DEMO0001", "action": "rotate_database_credentials",
                    "secrets": ["db_connection", "db_password", "tls_certificate", "vendor_api_key"]})
            else:
                assert (res.status_code, res.json()) == flask_answer(flask_reference(), case), case.name
    finally:
        log = stop(proc)
    assert "run r_DEMO0001: rotated with db_connection" in log
    assert_no_secret(log)


def test_lambda_example_local_invoke():
    out = subprocess.run([sys.executable, "invoke.py"], cwd=EXAMPLES / "lambda-python", env={**os.environ, **ENV},
                         capture_output=True, text=True, timeout=60, check=True)
    assert 'webhook signed: 200 {"ok":true,"runId":"r_DEMO0001"' in out.stdout
    assert 'webhook unsigned: 401 {"error":"invalid_signature"}' in out.stdout
    assert 'kafka batch: {"batchItemFailures": []}' in out.stdout
    assert "'code': 'invalid_signature'" in out.stderr
    assert_no_secret(out.stdout + out.stderr)


@pytest.mark.skipif(not os.environ.get("KAFKA_BOOTSTRAP"), reason="no broker: KAFKA_BOOTSTRAP is not set")
def test_kafka_example_consumer():
    topic = f"port-runs-example-{uuid.uuid4().hex[:8]}"
    out = subprocess.run([sys.executable, "consumer.py", "--topic", topic, "--group", f"g-{topic}",
                          "--produce-demo", "--max-messages", "2"], cwd=EXAMPLES / "kafka-python",
                         env={**os.environ, **ENV}, capture_output=True, text=True, timeout=90, check=True)
    assert "run r_DEMO0001: rotated with db_connection, db_password, tls_certificate, vendor_api_key" in out.stderr
    assert f"refused {{'code': 'invalid_signature', 'topic': '{topic}', 'partition': 0, 'offset': 1}}" in out.stderr
    assert_no_secret(out.stdout + out.stderr)
