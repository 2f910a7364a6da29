#!/usr/bin/env python3
"""Turns tests/vectors/**/*_test.json into one tab-separated file the C tests read.

A C test cannot parse JSON easily, so every test becomes one line. Every free-form field is
lower-case hex of its UTF-8 bytes ("-" when empty), so no field can hold a tab or a newline:

    gcm     id  flags  result  error  secret  value  plaintext
    cs      id  flags  result  error  private_pem  value  plaintext  public_pem  key_file
    fernet  id  flags  result  error  secret  token  plaintext  ttl  now
    sig     id  flags  result  error  secret  body  timestamp  signature  tolerance  now
    props   id  flags  result  error  secret  private_pem  properties  user_inputs  expected  input
    run     id  flags  result  error  delivery  secret  private_pem  body  headers  user_inputs
            user_inputs_pointer  properties_pointer  default_encryption  verify  tolerance
            max_body  max_client_side_inputs  now  expected  input

`props` rows: `properties`, `user_inputs` and `expected` are compact JSON text (hex), `expected`
exactly as the library writes it (serde_json: no spaces, non-ASCII as UTF-8, control characters
as backslash-u00XX; the vectors hold no float that the two would spell differently); `private_pem` "-"
when the test has no private key; `input` "-" when the error names no input, else "=" followed by
the hex of the name (so an empty name is "=").

`run` rows (runs/runs_test.json): `delivery` port|agent|kafka; `body` the delivery's bytes (hex);
`headers` "-" for a Kafka message, else "=" followed by the header pairs joined by ",", each
"<hex name>:<hex value>" (empty hex for an empty string); the four optional texts
(`user_inputs` and `default_encryption` as compact JSON) are "-" when the option is absent (the
C API then gets NULL: the default) and "=" followed by the hex of the text otherwise (an empty
pointer "" is "="); `verify` 1|0, `max_body` and `max_client_side_inputs` decimal with "0" for
the default; `expected` the exact JSON text the library must write (see `run_expected`).

`id` is "<file>#<tcId>", `flags` comma-separated, `result` valid|invalid, `error` the expected
code or "-", `ttl`/`now`/`tolerance` decimal ("0" when absent: no TTL, the system clock).
PEM files from tests/vectors/keys/ are inlined (hex) as the C API takes PEM text.

Tests flagged Base64Nul are left out (their value holds a NUL byte, which a NUL-terminated C
string cannot carry; tests/vectors/README.md says C consumers skip them), as is any other test
with a NUL in a string argument; the count is printed.

Usage: vectors_to_tsv.py VECTORS_DIR OUT_FILE
"""

import decimal
import json
import pathlib
import sys


def hx(text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return data.hex() if data else "-"


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Num:
    """A JSON number with the exact text it was written with."""

    def __init__(self, text):
        self.text = text

    def value(self):
        return decimal.Decimal(self.text)


def parse_raw(text):
    """JSON text to Python values, numbers kept as `Num` (their spelling)."""
    return json.loads(text, parse_int=Num, parse_float=Num, parse_constant=Num)


def dump_raw(v):
    """Compact JSON as serde_json (with arbitrary_precision) writes it: no spaces, UTF-8, the
    same string escapes as Python's ensure_ascii=False (\\n, \\u0001, ...), numbers as spelled."""
    if isinstance(v, Num):
        return v.text
    if isinstance(v, dict):
        return "{" + ",".join(compact(k) + ":" + dump_raw(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dump_raw(x) for x in v) + "]"
    return compact(v)


def respell(expected, body):
    """`expected` (numbers spelled as Python wrote the vector file) with each number that sits
    at the same place in the delivery, with the same value, spelled as the delivery spells it.

    serde_json with arbitrary_precision writes a number exactly as it read it, so the library's
    output spells the body's numbers as the body does (agent and Kafka deliveries may arrive
    as "1.50" or "10000000000000000.0": they are verified on the parsed values). Numbers that
    are not in the body (inside decrypted `object` inputs) keep the vector file's spelling,
    which is how the generator (Python) wrote their plaintext."""
    if isinstance(expected, Num):
        if isinstance(body, Num) and body.value() == expected.value():
            return body
        return expected
    if isinstance(expected, dict):
        sub = body if isinstance(body, dict) else {}
        return {k: respell(v, sub.get(k)) for k, v in expected.items()}
    if isinstance(expected, list):
        sub = body if isinstance(body, list) else []
        return [respell(v, sub[i] if i < len(sub) else None) for i, v in enumerate(expected)]
    return expected


def run_expected(t_raw, body_bytes):
    """The exact JSON text the C API must return for a valid run test."""
    return dump_raw(respell(t_raw["expected"], parse_raw(body_bytes.decode("utf-8"))))


def opt_text(text):
    return "-" if text is None else "=" + text.encode("utf-8").hex()


def run_row(t, t_raw, keys):
    options = t["options"]
    body = bytes.fromhex(t["bodyHex"]) if "bodyHex" in t else t["body"].encode("utf-8")
    if t["delivery"] == "kafka":
        headers = "-"
    else:
        headers = "=" + ",".join(
            n.encode("utf-8").hex() + ":" + v.encode("utf-8").hex() for n, v in t["headers"]
        )
    key = t.get("privateKey")
    name = t.get("input")
    inputs = options.get("userInputs")
    default_enc = options.get("defaultEncryption")
    return [
        t["delivery"],
        hx(t["clientSecret"]),
        hx((keys / key).read_bytes()) if key else "-",
        hx(body),
        headers,
        opt_text(None if inputs is None else compact(inputs)),
        opt_text(options.get("userInputsPointer")),
        opt_text(options.get("propertiesPointer")),
        opt_text(None if default_enc is None else compact(default_enc)),
        "1" if options.get("verifySignature", True) else "0",
        str(options.get("tolerance", 300)),
        str(options.get("maxBody", 0)),
        str(options.get("maxClientSideInputs", 0)),
        str(t["now"]),
        hx(run_expected(t_raw, body)) if "expected" in t else "-",
        "-" if name is None else "=" + (name.encode("utf-8").hex()),
    ]


def main():
    vectors = pathlib.Path(sys.argv[1])
    out_path = pathlib.Path(sys.argv[2])
    keys = vectors / "keys"
    lines = []
    skipped = 0
    counts = {}
    for path in sorted(vectors.glob("*/*_test.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        raw_tests = parse_raw(path.read_text(encoding="utf-8"))["tests"]
        fmt = doc["format"]
        for t, t_raw in zip(doc["tests"], raw_tests):
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
            elif fmt == "run":
                kind = "run"
                for k in ("maxBody", "maxClientSideInputs"):
                    if t["options"].get(k) == 0:
                        sys.exit(f"{path}#{t['tcId']}: {k} 0 means 'the default' in the C API")
                if any("\0" in n for n, _ in t.get("headers", [])):
                    skipped += 1
                    continue
                rest = run_row(t, t_raw, keys)
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
