#!/usr/bin/env python3
"""The fixed part of the soak mix, shared by soak.py (imported), soak.c (as a TSV file) and
soak.mjs (as JSON).

Standard library only. The keys of the shared Decryptor and the cases that do not need the
package's encrypt functions come from checked-in files:

- keys: client secrets [demo, vectors' main secret], private keys [demo, rsa2048, rsa2048b];
- the demo webhook body (examples/demo/body.json) and what decrypt_properties must return
  (examples/demo/expected.json), plus the same body with one input tampered;
- values made by pyca/cryptography (tests/vectors/*/*_pyca_test.json) and damaged values
  (tests/vectors/*/*_invalid_test.json) that a Decryptor holding these keys must treat exactly
  as the vectors say.

    python3 bench/soak/cases.py [REPO] > cases.tsv          # the TSV soak.c reads
    python3 bench/soak/cases.py [REPO] --json > cases.json  # load() as JSON, what soak.mjs reads

TSV records (fields after the second are lower-case hex of UTF-8 text, "-" for empty):
    secret       NAME  HEX
    private_key  NAME  HEX
    public_key   NAME  HEX
    decrypt      LABEL ENCRYPTION_JSON VALUE           EXPECT OUTPUT        -
    properties   LABEL PROPERTIES_JSON USER_INPUTS_JSON EXPECT OUTPUT_JSON  ERROR_INPUT
EXPECT is "ok" or an error code ("authentication_failed", ...). OUTPUT_JSON is compact JSON in
the key order of the input (what the C API returns).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

#: How many damaged values to take from each *_invalid_test.json (evenly spread over the file).
INVALID_PER_FILE = 24
#: The 2048-bit vector keys the Decryptor holds besides the demo key.
VECTOR_KEYS = ("rsa2048", "rsa2048b")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def tamper(value: str) -> str:
    """The same base64 text with its middle character changed (still valid base64; the
    decoded bytes differ, so authentication must fail)."""
    i = len(value) // 2
    return value[:i] + ("B" if value[i] == "A" else "A") + value[i + 1 :]


def load(root: Path) -> dict[str, Any]:
    """Keys and fixed cases. A case is a dict: label, kind ("decrypt" or "properties"),
    for decrypt: encryption (str or dict), value (str); for properties: properties, user_inputs
    (dicts); expect ("ok" or an error code); output (str plaintext / dict properties, when ok);
    input (the failing input's name for a properties error, else None)."""
    vectors = root / "tests" / "vectors"
    keys_dir = vectors / "keys"
    demo = root / "examples" / "demo"
    index = json.loads(_read(keys_dir / "keys.json"))["keys"]
    key_id = {k["file"]: k["keyId"] for k in index}

    aes = json.loads(_read(vectors / "aes256_gcm" / "aes256_gcm_pyca_test.json"))["tests"]
    # The vectors' main client secret: the one most of the pyca aes256-gcm values use.
    counts: dict[str, int] = {}
    for t in aes:
        counts[t["clientSecret"]] = counts.get(t["clientSecret"], 0) + 1
    vector_secret = max(counts, key=lambda s: counts[s])

    secrets = {"demo": _read(demo / "client_secret.txt").strip(), "vectors": vector_secret}
    private_keys = {"demo": _read(demo / "private_key.pem")}
    public_keys = {"demo": _read(demo / "public_key.pem")}
    for name in VECTOR_KEYS:
        private_keys[name] = _read(keys_dir / f"{name}_pkcs8.pem")
        public_keys[name] = _read(keys_dir / f"{name}_public.pem")

    cases: list[dict[str, Any]] = []

    def decrypt_case(label: str, encryption: Any, value: str, t: dict[str, Any]) -> None:
        if t["result"] == "valid" and "error" not in t:
            expect, output = "ok", bytes.fromhex(t["plaintextHex"]).decode("utf-8")
        else:
            expect, output = t["error"], None
        cases.append({"label": label, "kind": "decrypt", "encryption": encryption,
                      "value": value, "expect": expect, "output": output, "input": None})

    # Valid values made by pyca/cryptography (NonUtf8 ones must fail with invalid_utf8).
    for t in aes:
        if t["clientSecret"] == vector_secret:
            decrypt_case(f"pyca aes256-gcm #{t['tcId']}", "aes256-gcm", t["value"], t)
    fernet = json.loads(_read(vectors / "fernet" / "fernet_pyca_test.json"))["tests"]
    for t in fernet:
        if t["clientSecret"] == vector_secret and "ttl" not in t:
            decrypt_case(f"pyca fernet #{t['tcId']}", "fernet", t["token"], t)
    client = json.loads(_read(vectors / "client_side" / "client_side_pyca_test.json"))["tests"]
    for t in client:
        if key_id.get(t["privateKey"]) in VECTOR_KEYS:
            # Even tcIds name the public key (selects the private key), odd ones try each key.
            if t["tcId"] % 2 == 0 and "publicKey" in t:
                enc: Any = {"algorithm": "client-side", "key": _read(keys_dir / t["publicKey"])}
            else:
                enc = "client-side"
            decrypt_case(f"pyca client-side #{t['tcId']}", enc, t["value"], t)

    # Damaged values: those whose expected error does not depend on holding only the vector's
    # key (no other secret, other key, short secret, ttl; no NUL, which C strings cannot carry).
    skip = {"WrongSecret", "ShortSecret", "WrongKey", "BadKey", "Base64Nul"}
    invalid: list[tuple[str, str, str, Callable[[dict[str, Any]], bool]]] = [
        ("aes256_gcm", "aes256-gcm", "value", lambda t: t["clientSecret"] == vector_secret),
        ("fernet", "fernet", "token", lambda t: t["clientSecret"] == vector_secret),
        ("client_side", "client-side", "value", lambda t: key_id.get(t["privateKey"]) == "rsa2048"),
    ]
    for folder, encryption, field, ours in invalid:
        tests = json.loads(_read(vectors / folder / f"{folder}_invalid_test.json"))["tests"]
        picked = [t for t in tests
                  if ours(t) and "ttl" not in t and not skip.intersection(t["flags"])]
        step = max(1, len(picked) // INVALID_PER_FILE)
        for t in picked[::step][:INVALID_PER_FILE]:
            decrypt_case(f"invalid {encryption} #{t['tcId']}", encryption, t[field], t)

    # The demo webhook body, and the same body with db_password tampered.
    body = json.loads(_read(demo / "body.json"))
    expected = json.loads(_read(demo / "expected.json"))
    properties = body["payload"]["properties"]
    user_inputs = body["payload"]["action"]["userInputs"]
    cases.append({"label": "demo body", "kind": "properties", "properties": properties,
                  "user_inputs": user_inputs, "expect": "ok",
                  "output": expected["payload"]["properties"], "input": None})
    bad = dict(properties, db_password=tamper(properties["db_password"]))
    cases.append({"label": "demo body, db_password tampered", "kind": "properties",
                  "properties": bad, "user_inputs": user_inputs,
                  "expect": "authentication_failed", "output": None, "input": "db_password"})
    return {"secrets": secrets, "private_keys": private_keys, "public_keys": public_keys,
            "cases": cases}


def _hex(text: str | None) -> str:
    return text.encode("utf-8").hex() if text else "-"


def _compact(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def tsv(data: dict[str, Any]) -> str:
    lines = []
    for kind in ("secret", "private_key", "public_key"):
        for name, text in data[kind + "s"].items():
            lines.append(f"{kind}\t{name}\t{_hex(text)}")
    for c in data["cases"]:
        if c["kind"] == "decrypt":
            enc = c["encryption"]
            a, b = (enc if isinstance(enc, str) else _compact(enc)), c["value"]
            output = c["output"]
        else:
            a, b = _compact(c["properties"]), _compact(c["user_inputs"])
            output = None if c["output"] is None else _compact(c["output"])
        fields = [c["kind"], c["label"].replace("\t", " "), _hex(a), _hex(b), c["expect"],
                  _hex(output), _hex(c["input"])]
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--json"]
    repo = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    data = load(repo)
    sys.stdout.write(json.dumps(data, ensure_ascii=False) if "--json" in sys.argv else tsv(data))
