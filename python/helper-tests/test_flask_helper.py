"""port_secret.flask.port_webhook's options, through Flask's test client (the example app in
examples/flask covers the defaults over real HTTP, see examples.test.mjs). The helper is one
Decryptor.open_webhook call plus HTTP: these check the statuses and bodies it answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, jsonify

from port_secret import Decryptor
from port_secret.flask import DEFAULT_MAX_BODY, port_webhook

ROOT = Path(__file__).resolve().parents[2]
SECRET = (ROOT / "examples" / "demo" / "client_secret.txt").read_text().strip()
PRIVATE_KEY = (ROOT / "examples" / "demo" / "private_key.pem").read_text()
USER_INPUTS = {
    "properties": {
        "token": {"type": "string", "encryption": "aes256-gcm"},
        "config": {"type": "object", "encryption": "aes256-gcm"},
        "note": {"type": "string"},
    }
}


def encrypt(plaintext: str, secret: str = SECRET) -> str:
    """aes256-gcm as Port's server does it (pyca cryptography, not port_secret)."""
    iv = os.urandom(16)
    sealed = AESGCM(secret.encode()[:32]).encrypt(iv, plaintext.encode(), None)
    return base64.b64encode(iv + sealed).decode()


def sign(raw: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).digest()
    return {"x-port-timestamp": ts, "x-port-signature": "v1," + base64.b64encode(mac).decode()}


def shaped_body(token: str = "tok-123") -> dict:
    """A body an action shapes itself: no payload.action, the inputs at /inputs."""
    return {"run_id": "r_1", "inputs": {"token": encrypt(token), "config": encrypt('{"region": "eu"}'),
                                         "note": "plain"}}


def legacy_body() -> dict:
    return {"action": "a", "resourceType": "run", "status": "TRIGGERED", "context": {"runId": "r_2"},
            "payload": {"entity": None, "action": {"identifier": "a", "userInputs": USER_INPUTS},
                        "properties": {"token": encrypt("tok-9"), "note": "n"},
                        "censoredProperties": ["token"]}}


decryptor = Decryptor(client_secret=SECRET, private_key=PRIVATE_KEY)


def make_app(**options) -> Flask:
    app = Flask(__name__)

    @app.post("/hook/<int:tenant>")
    @port_webhook(decryptor, **options)
    def hook(run: dict, tenant: int):
        return jsonify(run=run, tenant=tenant)

    return app


def send(app: Flask, body, headers=None, signed=True, secret=SECRET):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    h = {"content-type": "application/json", **(sign(raw, secret) if signed else {}), **(headers or {})}
    return app.test_client().post("/hook/7", data=raw, headers=h)


def test_defaults_on_a_legacy_body_and_url_arguments_pass_through():
    res = send(make_app(), legacy_body())
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["run"]["payload"]["properties"] == {"token": "tok-9", "note": "n"}
    assert res.get_json()["tenant"] == 7


def test_given_user_inputs_and_a_pointer_for_a_body_the_action_shapes():
    res = send(make_app(user_inputs=USER_INPUTS, properties_pointer="/inputs"), shaped_body())
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["run"] == {"run_id": "r_1", "inputs": {"token": "tok-123", "config": {"region": "eu"},
                                                                  "note": "plain"}}


def test_user_inputs_as_the_properties_map_and_the_empty_pointer():
    res = send(make_app(user_inputs=USER_INPUTS["properties"], properties_pointer=""), shaped_body()["inputs"])
    assert res.status_code == 200
    assert res.get_json()["run"]["config"] == {"region": "eu"}


def test_without_user_inputs_a_shaped_body_is_malformed():
    res = send(make_app(properties_pointer="/inputs"), shaped_body())
    assert (res.status_code, res.get_json()) == (400, {"error": "malformed"})


def test_verify_signature_false_accepts_unsigned():
    app = make_app(user_inputs=USER_INPUTS, properties_pointer="/inputs", verify_signature=False)
    res = send(app, shaped_body(), signed=False)
    assert res.status_code == 200
    assert res.get_json()["run"]["inputs"]["token"] == "tok-123"


@pytest.mark.parametrize("headers, code", [
    ({}, "invalid_signature"),
    ({"x-port-signature": "v1,AAAA"}, "invalid_signature"),
    ({"x-port-timestamp": "1700000000"}, "invalid_signature"),
])
def test_missing_or_bad_signature_headers(headers, code):
    res = send(make_app(), legacy_body(), headers=headers, signed=False)
    assert (res.status_code, res.get_json()) == (401, {"error": code})


def test_tolerance():
    raw = json.dumps(legacy_body()).encode()
    headers = {"content-type": "application/json", **sign(raw, timestamp=int(time.time()) - 400)}
    assert make_app(tolerance=600).test_client().post("/hook/1", data=raw, headers=headers).status_code == 200
    res = make_app().test_client().post("/hook/1", data=raw, headers=headers)
    assert (res.status_code, res.get_json()) == (401, {"error": "expired"})


def test_rotation_either_secret_signs():
    previous = "previous-client-secret-0123456789abcdef"
    rotating = Decryptor(client_secret=[SECRET, previous])
    app = Flask(__name__)

    @app.post("/hook/<int:tenant>")
    @port_webhook(rotating)
    def hook(run: dict, tenant: int):
        return jsonify(ok=True)

    assert send(app, legacy_body()).status_code == 200
    assert send(app, legacy_body(), secret=previous).status_code == 200
    assert send(app, legacy_body(), secret="a-third-secret-0123456789abcdef012").status_code == 401


def test_failing_input_is_named():
    body = legacy_body()
    body["payload"]["properties"]["token"] = encrypt("x", "another-secret-of-at-least-32-bytes!!")
    res = send(make_app(), body)
    assert (res.status_code, res.get_json()) == (400, {"error": "authentication_failed", "input": "token"})


def test_max_body_declared_and_chunked():
    app = make_app(max_body=4096)
    res = send(app, b" " * 5000)
    assert (res.status_code, res.get_json()) == (413, {"error": "body_too_large"})
    # No Content-Length (chunked): read at most max_body + 1 bytes, then refuse.
    res = app.test_client().post("/hook/1", input_stream=io.BytesIO(b" " * 200_000),
                                 headers={"content-type": "application/json", "transfer-encoding": "chunked"},
                                 environ_overrides={"wsgi.input_terminated": True})
    assert (res.status_code, res.get_json()) == (413, {"error": "body_too_large"})
    assert DEFAULT_MAX_BODY == 1024 * 1024


def test_non_json_and_non_utf8_bodies():
    # The last one nests 200 000 arrays: json.loads raises RecursionError, not ValueError.
    for raw in (b'{"payload": ', b'\xff\xfe{}', b'', b"[" * 200_000 + b"]" * 200_000):
        res = send(make_app(), raw)
        assert (res.status_code, res.get_json()) == (400, {"error": "invalid_json"}), raw


def agent_send(app: Flask, body: dict, secret: str = SECRET, headers=None):
    """As port-agent forwards a run: it signs json.dumps(body, separators=(",", ":")) and sends
    json.dumps(body) (with spaces), headers X-Port-Signature / X-Port-Timestamp."""
    ts = str(int(time.time()))
    compact = json.dumps(body, separators=(",", ":"))
    mac = hmac.new(secret.encode(), f"{ts}.{compact}".encode(), hashlib.sha256).digest()
    h = {"Content-Type": "application/json", "X-Port-Signature": "v1," + base64.b64encode(mac).decode(),
         "X-Port-Timestamp": ts, **(headers or {})}
    return app.test_client().post("/hook/3", data=json.dumps(body), headers=h)


def test_agent_delivery():
    body = legacy_body()
    body["context"]["note"] = "café ✓"  # the agent signs ASCII-escaped JSON
    res = agent_send(make_app(delivery="agent"), body)
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["run"]["payload"]["properties"] == {"token": "tok-9", "note": "n"}
    assert res.get_json()["run"]["context"]["note"] == "café ✓"
    # The same request to a Port-mode helper: the raw body is not what was signed.
    res = agent_send(make_app(), body)
    assert (res.status_code, res.get_json()) == (401, {"error": "invalid_signature"})
    # Another secret, or a body changed in transit.
    res = agent_send(make_app(delivery="agent"), body, secret="another-secret-0123456789abcdefghij")
    assert (res.status_code, res.get_json()) == (401, {"error": "invalid_signature"})
    ts = str(int(time.time()))
    compact = json.dumps(body, separators=(",", ":"))
    mac = hmac.new(SECRET.encode(), f"{ts}.{compact}".encode(), hashlib.sha256).digest()
    changed = dict(body, status="SUCCESS")
    res = make_app(delivery="agent").test_client().post(
        "/hook/3", data=json.dumps(changed),
        headers={"X-Port-Signature": "v1," + base64.b64encode(mac).decode(), "X-Port-Timestamp": ts})
    assert (res.status_code, res.get_json()) == (401, {"error": "invalid_signature"})


def test_agent_delivery_stale_and_failing_input():
    stale = legacy_body()
    ts = str(int(time.time()) - 400)
    compact = json.dumps(stale, separators=(",", ":"))
    mac = hmac.new(SECRET.encode(), f"{ts}.{compact}".encode(), hashlib.sha256).digest()
    res = make_app(delivery="agent").test_client().post(
        "/hook/3", data=json.dumps(stale),
        headers={"X-Port-Signature": "v1," + base64.b64encode(mac).decode(), "X-Port-Timestamp": ts})
    assert (res.status_code, res.get_json()) == (401, {"error": "expired"})
    body = legacy_body()
    body["payload"]["properties"]["token"] = encrypt("x", "another-secret-of-at-least-32-bytes!!")
    res = agent_send(make_app(delivery="agent"), body)
    assert (res.status_code, res.get_json()) == (400, {"error": "authentication_failed", "input": "token"})


def test_mixed_case_header_names():
    raw = json.dumps(legacy_body()).encode()
    signature = sign(raw)
    headers = {"Content-Type": "application/json", "X-PORT-SIGNATURE": signature["x-port-signature"],
               "x-Port-Timestamp": signature["x-port-timestamp"]}
    res = make_app().test_client().post("/hook/5", data=raw, headers=headers)
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["run"]["payload"]["properties"]["token"] == "tok-9"


def test_user_inputs_as_a_list_of_names():
    body = legacy_body()
    del body["payload"]["action"]["userInputs"]
    res = send(make_app(user_inputs=["token"]), body)
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["run"]["payload"]["properties"] == {"token": "tok-9", "note": "n"}
    # Without definitions, the body's censoredProperties names the secret inputs.
    res = send(make_app(), body)
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["run"]["payload"]["properties"]["token"] == "tok-9"


def test_other_refusals_are_400_with_the_code():
    body = legacy_body()
    body["payload"]["properties"] = ["not", "an", "object"]
    res = send(make_app(), body)
    assert (res.status_code, res.get_json()) == (400, {"error": "malformed"})
    res = send(make_app(max_client_side_inputs=0),
               legacy_body() | {"payload": {"properties": {"k": "AAAA"}, "action": {"userInputs": {
                   "properties": {"k": {"type": "string", "encryption": "client-side"}}}}}})
    assert (res.status_code, res.get_json()) == (400, {"error": "malformed", "input": "k"})


@pytest.mark.parametrize("kwargs", [
    {"tolerance": -1}, {"tolerance": 1.5}, {"max_body": 0}, {"user_inputs": "x"},
    {"properties_pointer": "payload/properties"}, {"verify_signature": "yes"},
    {"user_inputs_pointer": "payload"}, {"properties_pointer": 5}, {"delivery": "kafka"},
    {"delivery": None}, {"default_encryption": 5}, {"max_client_side_inputs": -1},
    {"user_inputs": {"properties": {"t": {"encryption": b"aes256-gcm"}}}},
])
def test_bad_options_raise_at_decoration(kwargs):
    with pytest.raises(TypeError):
        port_webhook(decryptor, **kwargs)


def test_needs_a_decryptor_with_a_secret_to_verify():
    with pytest.raises(TypeError):
        port_webhook("not a decryptor")  # type: ignore[arg-type]
    key_only = Decryptor(private_key=PRIVATE_KEY)
    with pytest.raises(TypeError):
        port_webhook(key_only)
    port_webhook(key_only, verify_signature=False)
