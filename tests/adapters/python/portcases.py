"""Port-shaped deliveries for the adapter tests: the demo run (examples/demo, DEMO-ONLY keys),
signed as Port signs it (hmac here, not port_secret), and every bad case. One table of cases,
sent to each adapter and to the Flask helper, whose answers are the reference."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import time
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

REPO = Path(os.environ.get("PORT_SECRET_REPO", Path(__file__).resolve().parents[3]))
DEMO = REPO / "examples" / "demo"
SECRET = (DEMO / "client_secret.txt").read_text().strip()
OTHER_SECRET = "pcs_" + "Zx9Wv8Ut7Sr6Qp5On4Ml3Kj2Ih1Gf0Ed" + "-not-the-demo-secret"
PRIVATE_KEY = (DEMO / "private_key.pem").read_text()
PUBLIC_KEY = (DEMO / "public_key.pem").read_text()
BODY_RAW = (DEMO / "body.json").read_bytes()
BODY = json.loads(BODY_RAW)
EXPECTED = json.loads((DEMO / "expected.json").read_text())
MAX_BODY = 1024 * 1024


def hmac_b64(secret: str, text: bytes) -> str:
    return "v1," + base64.b64encode(hmac.new(secret.encode(), text, hashlib.sha256).digest()).decode()


def sign_headers(raw: bytes, secret: str = SECRET, timestamp: Optional[int] = None) -> Dict[str, str]:
    """x-port-timestamp / x-port-signature for a raw body, as Port's webhook sends them."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"x-port-timestamp": ts, "x-port-signature": hmac_b64(secret, ts.encode() + b"." + raw)}


def tamper_secret(body: Dict[str, Any], name: str = "db_password") -> Dict[str, Any]:
    """The body with one secret input's ciphertext changed (one base64 character, not the last)."""
    bad = copy.deepcopy(body)
    value = bad["payload"]["properties"][name]
    i = len(value) // 2
    bad["payload"]["properties"][name] = value[:i] + ("A" if value[i] != "A" else "B") + value[i + 1:]
    return bad


class Case(NamedTuple):
    name: str
    raw: bytes
    headers: Dict[str, str]
    status: int
    body: Optional[Dict[str, str]]  # None: the run (200)


def http_cases() -> List[Case]:
    """The cases of issue "Where else Port runs land", fresh timestamps each call."""
    now = int(time.time())
    tampered = BODY_RAW.replace(b"quarterly rotation", b"quarterly rotatioN")
    bad_input = json.dumps(tamper_secret(BODY)).encode()
    oversize = json.dumps({"pad": "x" * MAX_BODY}).encode()
    return [
        Case("valid", BODY_RAW, sign_headers(BODY_RAW), 200, None),
        Case("unsigned", BODY_RAW, {}, 401, {"error": "invalid_signature"}),
        Case("tampered", tampered, sign_headers(BODY_RAW), 401, {"error": "invalid_signature"}),
        Case("stale", BODY_RAW, sign_headers(BODY_RAW, timestamp=now - 3600), 401, {"error": "expired"}),
        Case("wrong_secret", BODY_RAW, sign_headers(BODY_RAW, OTHER_SECRET), 401, {"error": "invalid_signature"}),
        Case("bad_secret_input", bad_input, sign_headers(bad_input), 400,
             {"error": "authentication_failed", "input": "db_password"}),
        Case("oversize", oversize, sign_headers(oversize), 413, {"error": "body_too_large"}),
        Case("non_json", b"not json {", sign_headers(b"not json {"), 400, {"error": "invalid_json"}),
    ]


# --- Kafka: the message carries its signature inside `headers` -------------------------------


def kafka_message(body: Dict[str, Any], secret: str = SECRET, timestamp: Optional[int] = None,
                  signed: bool = True) -> bytes:
    """A message of Port's Kafka topic: the run plus headers {X-Port-Signature, X-Port-Timestamp};
    signature = v1,base64(HMAC-SHA256(secret, f"{ts}." + compact JSON of the message without
    those two keys))."""
    message = copy.deepcopy(body)
    message["headers"] = {"Content-Type": "application/json"}
    ts = str(int(time.time()) if timestamp is None else timestamp)
    text = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    if signed:
        message["headers"]["X-Port-Signature"] = hmac_b64(secret, f"{ts}.{text}".encode())
        message["headers"]["X-Port-Timestamp"] = ts
    return json.dumps(message).encode()


def kafka_cases() -> List[Tuple[str, bytes, Optional[Dict[str, str]]]]:
    """(name, value, expected rejection {"error", "input"?} or None for a run)."""
    now = int(time.time())
    good = kafka_message(BODY)
    tampered = good.replace(b"quarterly rotation", b"quarterly rotatioN")
    return [
        ("valid", good, None),
        ("unsigned", kafka_message(BODY, signed=False), {"error": "invalid_signature"}),
        ("tampered", tampered, {"error": "invalid_signature"}),
        ("stale", kafka_message(BODY, timestamp=now - 3600), {"error": "expired"}),
        ("wrong_secret", kafka_message(BODY, OTHER_SECRET), {"error": "invalid_signature"}),
        ("bad_secret_input", kafka_message(tamper_secret(BODY)),
         {"error": "authentication_failed", "input": "db_password"}),
        ("oversize", kafka_message({**BODY, "pad": "x" * MAX_BODY}), {"error": "body_too_large"}),
        ("non_json", b"not json {", {"error": "invalid_json"}),
    ]


def expected_run_message(run: Dict[str, Any]) -> bool:
    """A Kafka run: the expected decrypted body plus its headers object."""
    return {k: v for k, v in run.items() if k != "headers"} == EXPECTED


def flask_reference():
    """The Flask helper over the same decryptor: the reference answers."""
    from flask import Flask, jsonify

    from port_secret import Decryptor
    from port_secret.flask import port_webhook

    app = Flask("reference")
    decryptor = Decryptor(client_secret=SECRET, private_key=PRIVATE_KEY)

    @app.post("/hook")
    @port_webhook(decryptor)
    def hook(run):
        return jsonify(run=run)

    return app.test_client()


def flask_answer(client, case: Case) -> Tuple[int, Any]:
    res = client.post("/hook", data=case.raw, headers={"content-type": "application/json", **case.headers})
    return res.status_code, res.get_json()
