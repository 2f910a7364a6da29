#!/usr/bin/env python3
"""Turns tests/vectors/**/*_test.json into one tab-separated file the C tests read.

A C test cannot parse JSON easily, so every test becomes one line. Every free-form field is
lower-case hex of its UTF-8 bytes ("-" when empty), so no field can hold a tab or a newline:

    gcm     id  flags  result  error  secret  value  plaintext
    cs      id  flags  result  error  private_pem  value  plaintext  public_pem  key_file
    fernet  id  flags  result  error  secret  token  plaintext  ttl  now
    sig     id  flags  result  error  secret  body  timestamp  signature  tolerance  now
    props   id  flags  result  error  secret  private_pem  properties  user_inputs  expected  input

`props` rows: `properties`, `user_inputs` and `expected` are compact JSON text (hex), `expected`
exactly as the library writes it (serde_json: no spaces, non-ASCII as UTF-8, control characters
as backslash-u00XX; the vectors hold no float that the two would spell differently); `private_pem` "-"
when the test has no private key; `input` "-" when the error names no input, else "=" followed by
the hex of the name (so an empty name is "=").

`id` is "<file>#<tcId>", `flags` comma-separated, `result` valid|invalid, `error` the expected
code or "-", `ttl`/`now`/`tolerance` decimal ("0" when absent: no TTL, the system clock).
PEM files from tests/vectors/keys/ are inlined (hex) as the C API takes PEM text.

Tests flagged Base64Nul are left out (their value holds a NUL byte, which a NUL-terminated C
string cannot carry; tests/vectors/README.md says C consumers skip them), as is any other test
with a NUL in a string argument; the count is printed.

Usage: vectors_to_tsv.py VECTORS_DIR OUT_FILE
"""

import json
import pathlib
import sys


def hx(text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return data.hex() if data else "-"


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def main():
    vectors = pathlib.Path(sys.argv[1])
    out_path = pathlib.Path(sys.argv[2])
    keys = vectors / "keys"
    lines = []
    skipped = 0
    counts = {}
    for path in sorted(vectors.glob("*/*_test.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        fmt = doc["format"]
        for t in doc["tests"]:
            flags = t.get("flags", [])
            c_strings = ("clientSecret", "value", "token", "timestamp", "signature")
            if "Base64Nul" in flags or any("\0" in t.get(k, "") for k in c_strings):
                skipped += 1
                continue
            head = [
                f"{path.name}#{t['tcId']}",
                ",".join(flags) or "-",
                t["result"],
                t.get("error", "-"),
            ]
            if fmt == "aes256-gcm":
                kind = "gcm"
                rest = [hx(t["clientSecret"]), hx(t["value"]), t.get("plaintextHex") or "-"]
            elif fmt == "client-side":
                kind = "cs"
                private_pem = (keys / t["privateKey"]).read_bytes()
                public = t.get("publicKey")
                rest = [
                    hx(private_pem),
                    hx(t["value"]),
                    t.get("plaintextHex") or "-",
                    hx((keys / public).read_bytes()) if public else "-",
                    t["privateKey"],
                ]
            elif fmt == "fernet":
                kind = "fernet"
                rest = [
                    hx(t["clientSecret"]),
                    hx(t["token"]),
                    t.get("plaintextHex") or "-",
                    str(t.get("ttl") or 0),
                    str(t.get("now") or 0),
                ]
            elif fmt == "properties":
                kind = "props"
                key = t.get("privateKey")
                name = t.get("input")
                rest = [
                    hx(t["clientSecret"]),
                    hx((keys / key).read_bytes()) if key else "-",
                    hx(compact(t["properties"])),
                    hx(compact(t["userInputs"])),
                    hx(compact(t["expected"])) if "expected" in t else "-",
                    "-" if name is None else "=" + (name.encode("utf-8").hex()),
                ]
            elif fmt == "signature":
                kind = "sig"
                rest = [
                    hx(t["clientSecret"]),
                    hx(t["body"]),
                    hx(t["timestamp"]),
                    hx(t["signature"]),
                    str(t["tolerance"]),
                    str(t["now"]),
                ]
            else:
                sys.exit(f"{path}: unknown format {fmt!r}")
            if t.get("ttl") == 0:
                sys.exit(f"{path}#{t['tcId']}: ttl 0 means 'no TTL' in the C API")
            lines.append("\t".join([kind, *head, *rest]))
            counts[kind] = counts.get(kind, 0) + 1
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines) + "\n", encoding="ascii")
    summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    print(f"vectors: {len(lines)} tests ({summary}); {skipped} tests with a NUL in a C string argument skipped")


if __name__ == "__main__":
    main()
