"""The adapters' plumbing with only the wheel installed (no Starlette, AWS or Kafka package):
port_secret.aws_lambda with hand-made events, port_secret.kafka with bytes and message-like
objects, the answers shared with the Flask helper (port_secret._http), and port_secret.asgi
importable without Starlette. tests/adapters/python (scripts/test-adapters-python.sh) runs them
against the real runtimes."""

from __future__ import annotations

import base64
import json
import sys
import time

import pytest

import port_secret
from port_secret import Decryptor
from port_secret._http import answer, base64_limit

from conftest import SECRET

@pytest.fixture(autouse=True)
def _unimport_adapters():
    """Importing port_secret.kafka etc. adds them to the package's namespace; test_package.py
    checks that namespace, so each test here leaves it as it found it."""
    names, modules = set(vars(port_secret)), set(sys.modules)
    yield
    for name in set(vars(port_secret)) - names:
        delattr(port_secret, name)
    for module in set(sys.modules) - modules:
        if module.startswith("port_secret."):
            del sys.modules[module]


USER_INPUTS = {"properties": {"token": {"type": "string", "encryption": "aes256-gcm"}}}


def body(token: str = "tok-1") -> bytes:
    return json.dumps({"payload": {"action": {"userInputs": USER_INPUTS},
                                   "properties": {"token": port_secret.encrypt_aes256_gcm(token.encode(), SECRET)}},
                       "context": {"runId": "r_1"}}).encode()


def signed(raw: bytes, secret: str = SECRET) -> dict:
    ts = str(int(time.time()))
    return {"X-Port-Timestamp": ts, "X-Port-Signature": port_secret.sign_payload(raw, ts, secret)}


def test_answers_shared_by_every_helper():
    assert answer("invalid_signature") == (401, {"error": "invalid_signature"})
    assert answer("expired") == (401, {"error": "expired"})
    assert answer("authentication_failed", "token") == (400, {"error": "authentication_failed", "input": "token"})
    assert answer("invalid_json") == (400, {"error": "invalid_json"})
    assert answer("body_too_large") == (413, {"error": "body_too_large"})
    for n in (0, 1, 2, 3, 100, 1 << 20):
        assert len(base64.b64encode(b"x" * n)) <= base64_limit(n) < len(base64.b64encode(b"x" * (n + 4))) + 8


def test_lambda_webhook_events(decryptor: Decryptor):
    from port_secret.aws_lambda import port_webhook_handler

    handler = port_webhook_handler(decryptor)(lambda run, event, context: run["payload"]["properties"])
    raw = body()
    v1 = {"httpMethod": "POST", "headers": {"X-Port-Signature": "v1,AAAA"},
          "multiValueHeaders": {k: [v] for k, v in signed(raw).items()}, "body": raw.decode(),
          "isBase64Encoded": False}
    res = handler(v1, None)
    assert (res["statusCode"], json.loads(res["body"])) == (200, {"token": "tok-1"})
    v2 = {"version": "2.0", "headers": {k.lower(): v for k, v in signed(raw, "x" * 40).items()},
          "body": base64.b64encode(raw).decode(), "isBase64Encoded": True}
    res = handler(v2, None)
    assert (res["statusCode"], json.loads(res["body"])) == (401, {"error": "invalid_signature"})
    v2["body"] = base64.b64encode(b"x" * (2 << 20)).decode()
    assert handler(v2, None)["statusCode"] == 413


def test_lambda_kafka_event_and_consumer_helper(decryptor: Decryptor):
    from port_secret.aws_lambda import port_kafka_handler
    from port_secret.kafka import KafkaRejection, MessageOpener, PortKafkaRejection, open_message

    message = json.loads(body())
    message["headers"] = {}
    text = json.dumps(message, separators=(",", ":")).encode()
    ts = str(int(time.time()))
    message["headers"] = {"X-Port-Signature": port_secret.sign_payload(text, ts, SECRET), "X-Port-Timestamp": ts}
    good = json.dumps(message).encode()
    values = [good, b"{}", b"not json"]
    records = [{"topic": "t", "partition": 0, "offset": i, "value": base64.b64encode(v).decode()}
               for i, v in enumerate(values)]
    seen, rejected = [], []
    wrapped = port_kafka_handler(decryptor, on_error="retry", report_batch_item_failures=True,
                                 on_reject=rejected.append)(lambda run, record, ctx: seen.append(record["offset"]))
    assert wrapped({"eventSource": "aws:kafka", "records": {"t-0": records}}, None) == {"batchItemFailures": [
        {"itemIdentifier": {"partition": "t-0", "offset": 1}}, {"itemIdentifier": {"partition": "t-0", "offset": 2}}]}
    assert seen == [0]
    assert rejected == [KafkaRejection("invalid_signature", None, "t", 0, 1),
                        KafkaRejection("invalid_json", None, "t", 0, 2)]

    assert open_message(decryptor, good)["payload"]["properties"] == {"token": "tok-1"}
    assert open_message(decryptor, b"x" * (2 << 20), on_reject=rejected.append) is None
    assert rejected[-1].code == "body_too_large"
    with pytest.raises(PortKafkaRejection) as info:
        MessageOpener(decryptor, on_error="raise", on_reject=lambda r: None).open(b"{}")
    assert isinstance(info.value, port_secret.PortSecretError) and info.value.code == "invalid_signature"


def test_asgi_imports_without_starlette(decryptor: Decryptor):
    from port_secret.asgi import PortRejection, PortWebhook

    rejection = PortRejection(*answer("authentication_failed", "token"))
    assert (rejection.status_code, rejection.code, rejection.input) == (400, "authentication_failed", "token")
    with pytest.raises(TypeError, match="PortWebhook: tolerance"):
        PortWebhook(decryptor, tolerance=-1)
