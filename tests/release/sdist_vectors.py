#!/usr/bin/env python3
"""A few of the shared vectors through an installed port_secret (the one pip built from the
sdist): every valid aes256-gcm vector, the valid client-side vectors of one file, the Fernet
vectors that need no clock, and a sample of invalid ones with their error code.

    PORT_SECRET_VECTORS=tests/vectors python tests/release/sdist_vectors.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import port_secret

vectors = Path(os.environ["PORT_SECRET_VECTORS"])
passed = failed = 0


def check(name: str, ok: bool) -> None:
    global passed, failed
    passed += ok
    failed += not ok
    if not ok:
        print(f"FAIL {name}")


def load(rel: str) -> list[dict]:
    return json.loads((vectors / rel).read_text(encoding="utf-8"))["tests"]


def expected(t: dict) -> bytes:
    return bytes.fromhex(t["plaintextHex"]) if t.get("plaintextHex") is not None else t["plaintext"].encode()


for t in load("aes256_gcm/aes256_gcm_pyca_test.json"):
    check(f"aes256_gcm pyca #{t['tcId']}", port_secret.decrypt_aes256_gcm_bytes(t["value"], t["clientSecret"]) == expected(t))
for t in load("client_side/client_side_webcrypto_test.json")[:8]:
    if t["result"] == "valid":
        pem = (vectors / "keys" / t["privateKey"]).read_text(encoding="utf-8")
        check(f"client_side webcrypto #{t['tcId']}", port_secret.decrypt_client_side_bytes(t["value"], pem) == expected(t))
for t in load("fernet/fernet_pyca_test.json"):
    if "now" not in t and t.get("ttl") is None:
        check(f"fernet pyca #{t['tcId']}", port_secret.decrypt_fernet_bytes(t["token"], t["clientSecret"]) == expected(t))
for t in load("aes256_gcm/aes256_gcm_invalid_test.json")[::10]:
    try:
        port_secret.decrypt_aes256_gcm(t["value"], t["clientSecret"])
        check(f"aes256_gcm invalid #{t['tcId']}", False)
    except port_secret.PortSecretError as error:
        check(f"aes256_gcm invalid #{t['tcId']} ({error.code})", error.code == t["error"])

print(f"port_secret {port_secret.__version__} from {Path(port_secret.__file__).parent}")
print(f"sdist vectors: {passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
