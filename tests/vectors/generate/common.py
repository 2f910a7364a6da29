"""Helpers shared by the Python generators (not by the Node one).

Canonical JSON: json.dumps(doc, indent=1, ensure_ascii=False) + "\n", UTF-8, keys in insertion order.
gen_node.mjs writes the same bytes with JSON.stringify(doc, null, 1) + "\n"; lint.py checks it.
"""
import base64
import binascii
import json
import os
import re
import sys

GEN_DIR = os.path.dirname(os.path.abspath(__file__))
VEC_DIR = os.path.dirname(GEN_DIR)
KEY_DIR = os.path.join(VEC_DIR, "keys")
SCHEMA = "port-secret-vectors/v1"

# Order of the fields of a test object (inputs in the middle, outcome last).
TEST_FIELD_ORDER = [
    "tcId", "comment", "flags", "result",
    "clientSecret", "privateKey", "publicKey", "value", "token", "ttl", "now",
    "body", "timestamp", "signature", "tolerance", "properties", "userInputs",
    "plaintextHex", "plaintext", "expected", "error", "input",
]


def dumps(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def load_inputs():
    with open(os.path.join(GEN_DIR, "inputs.json"), encoding="utf-8") as f:
        doc = json.load(f)
    secrets = {k: v["value"] for k, v in doc["clientSecrets"].items()}
    plaintexts = []
    for p in doc["plaintexts"]:
        data = bytes.fromhex(p["hex"]) if "hex" in p else p["text"].encode("utf-8")
        plaintexts.append((p["name"], data))
    return secrets, plaintexts


def read_key(name):
    with open(os.path.join(KEY_DIR, name), "rb") as f:
        return f.read()


def b64e(data):
    return base64.b64encode(data).decode("ascii")


def ub64e(data):
    return base64.urlsafe_b64encode(data).decode("ascii")


_STD_RE = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_URL_RE = re.compile(r"[A-Za-z0-9_\-]*={0,2}")


def strict_b64decode(s, urlsafe=False):
    """The strictness the vectors assume: whole string in the alphabet, padding required,
    no whitespace, not empty. Raises ValueError. (Non-canonical trailing bits are not
    exercised by any vector, see README.)"""
    if not isinstance(s, str) or s == "":
        raise ValueError("empty")
    if not (_URL_RE if urlsafe else _STD_RE).fullmatch(s):
        raise ValueError("alphabet")
    if len(s) % 4 != 0:
        raise ValueError("padding")
    try:
        if urlsafe:
            return base64.b64decode(s.replace("-", "+").replace("_", "/"), validate=True)
        return base64.b64decode(s, validate=True)
    except binascii.Error as e:
        raise ValueError(str(e))


def python_rejects_b64(s, urlsafe=False):
    """Independent check for invalid_base64 cases: Python's own base64.b64decode(validate=True)
    (after checking that a URL-safe token holds no '+' or '/', and a standard one no '-' or '_')
    rejects it, or it is empty."""
    if s == "":
        return True
    if urlsafe and ("+" in s or "/" in s):
        return True
    try:
        if urlsafe:
            base64.b64decode(s, altchars=b"-_", validate=True)
        else:
            base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return True
    return False


def make_test(comment, flags, result, inputs, plaintext=None, error=None):
    t = {"comment": comment, "flags": list(flags), "result": result}
    t.update(inputs)
    if result == "valid" and plaintext is not None:
        t["plaintextHex"] = plaintext.hex()
        try:
            t["plaintext"] = plaintext.decode("utf-8")
        except UnicodeDecodeError:
            t["error"] = "invalid_utf8"
    elif error is not None:
        t["error"] = error
    return t


def order_test(t, tc_id):
    t = dict(t, tcId=tc_id)
    unknown = set(t) - set(TEST_FIELD_ORDER)
    if unknown:
        raise KeyError("unknown test fields %s" % sorted(unknown))
    return {k: t[k] for k in TEST_FIELD_ORDER if k in t}


def write_vectors(relpath, fmt, source, generator, verified_by, notes, tests):
    used = sorted({f for t in tests for f in t["flags"]})
    missing = [f for f in used if f not in notes]
    if missing:
        raise KeyError("flags without a note: %s" % missing)
    doc = {
        "schema": SCHEMA,
        "format": fmt,
        "source": source,
        "generator": "tests/vectors/generate/" + generator,
        "verifiedBy": list(verified_by),
        "numberOfTests": len(tests),
        "notes": {f: notes[f] for f in used},
        "tests": [order_test(t, i + 1) for i, t in enumerate(tests)],
    }
    path = os.path.join(VEC_DIR, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(doc))
    return len(tests)


class Checker:
    """Counts self-check failures; a generator exits non-zero if any."""

    def __init__(self, name):
        self.name = name
        self.failures = []

    def check(self, cond, what):
        if not cond:
            self.failures.append(what)
            print("SELF-CHECK FAILED [%s]: %s" % (self.name, what), file=sys.stderr)

    def finish(self, summary):
        if self.failures:
            print("%s: %d self-check failure(s)" % (self.name, len(self.failures)), file=sys.stderr)
            sys.exit(1)
        print(summary)


def _plaintext_meta():
    with open(os.path.join(GEN_DIR, "inputs.json"), encoding="utf-8") as f:
        doc = json.load(f)
    return doc["plaintextFlags"], {p["name"]: p["flags"] for p in doc["plaintexts"]}


COMMON_NOTES, _PT_FLAGS = _plaintext_meta()


def pt_flags(name, data=None):
    return list(_PT_FLAGS[name])
