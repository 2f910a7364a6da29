#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the shared vectors (values, tokens, keys, signatures) and the
demo payload, so the fuzzers start from inputs that reach deep paths."""
import glob
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def main():
    for path in glob.glob(os.path.join(ROOT, "tests", "vectors", "*", "*_test.json")):
        doc = json.load(open(path))
        fmt = doc["format"]
        for t in doc["tests"][:60]:
            if fmt == "aes256-gcm":
                put("decrypt_aes256_gcm", t["value"])
            elif fmt == "client-side":
                put("decrypt_client_side", t["value"])
            elif fmt == "fernet":
                put("decrypt_fernet", t["token"])
            elif fmt == "signature":
                put("verify_signature", f"{t['signature']}\0{t['timestamp']}\0{t['body']}")
    for pem in glob.glob(os.path.join(ROOT, "tests", "vectors", "keys", "*.pem")):
        put("parse_keys", open(pem).read())
    for enc in ['"aes256-gcm"', '{"algorithm":"client-side","key":null}', "fernet"]:
        put("parse_keys", enc)
    demo = os.path.join(ROOT, "examples", "demo")
    action = open(os.path.join(demo, "action.json")).read()
    body = json.load(open(os.path.join(demo, "body.json")))
    # cli_payload: mode byte (delivery, signature), action, NUL, body; also without the action.
    for mode in (b"\x00", b"\x01", b"\x02"):
        put("cli_payload", mode + (action + "\0" + json.dumps(body)).encode())
        put("cli_payload", mode + b"\0" + json.dumps(body).encode())
    # open_run: every delivery of the run vectors, verified (webhooks: signature NUL timestamp
    # NUL body) and not.
    runs = json.load(open(os.path.join(ROOT, "tests", "vectors", "runs", "runs_test.json")))
    for t in runs["tests"]:
        raw = bytes.fromhex(t["bodyHex"]) if "bodyHex" in t else t["body"].encode()
        kind = {"port": 0, "agent": 1, "kafka": 2}[t["delivery"]]
        put("open_run", bytes([kind]) + raw)
        if kind == 2:
            put("open_run", bytes([kind | 4]) + raw)
        else:
            headers = {n.lower(): v for n, v in t.get("headers", [])}
            sig = headers.get("x-port-signature", "").encode()
            ts = headers.get("x-port-timestamp", "").encode()
            put("open_run", bytes([kind | 4]) + sig + b"\0" + ts + b"\0" + raw)
    for name, value in body["payload"]["properties"].items():
        if isinstance(value, str) and len(value) > 40:
            put("decrypt_client_side" if name == "vendor_api_key" else "decrypt_aes256_gcm", value)
    inputs = json.load(open(os.path.join(demo, "action.json")))["trigger"]["userInputs"]
    put("decrypt_properties", json.dumps([body["payload"]["properties"], inputs]))
    print("seeded", ", ".join(f"{t}: {len(os.listdir(os.path.join(CORPUS, t)))}" for t in sorted(os.listdir(CORPUS))))


if __name__ == "__main__":
    main()
