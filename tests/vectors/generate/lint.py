#!/usr/bin/env python3
"""Checks every vector file under tests/vectors/ (see README.md, "JSON format").

Structure: schema, top-level fields and their order, format vs directory, unique tcIds 1..N,
numberOfTests, fields of each test, flags vs notes, error codes, plaintext vs plaintextHex,
referenced key files, canonical formatting (json.dumps(indent=1, ensure_ascii=False) + "\\n"),
size under 2 MB, keys/keys.json, and the verbatim Fernet spec files (SHA-256).
Then (unless --no-crypto) runs generate/reference.py on every test (generate/reference_runs.py on the
run tests of runs/runs_test.json) and compares the outcome.
Exits 1 on any problem.
"""
import glob
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import GEN_DIR, KEY_DIR, SCHEMA, TEST_FIELD_ORDER, VEC_DIR, dumps  # noqa: E402
from reference_runs import DEFAULTS as RUN_DEFAULTS, DELIVERIES, RUN_FIELD_ORDER  # noqa: E402

FORMATS = {"aes256_gcm": "aes256-gcm", "client_side": "client-side", "fernet": "fernet", "signature": "signature",
           "properties": "properties", "runs": "run"}
TOP = ["schema", "format", "source", "generator", "verifiedBy", "numberOfTests", "notes", "tests"]
CODES = {"invalid_base64", "malformed", "authentication_failed", "invalid_key", "invalid_utf8", "invalid_json",
         "expired", "unsupported_encryption", "invalid_signature"}
INPUTS = {
    "aes256-gcm": ({"clientSecret", "value"}, set()),
    "client-side": ({"privateKey", "value"}, {"publicKey"}),
    "fernet": ({"clientSecret", "token"}, {"ttl", "now"}),
    "signature": ({"clientSecret", "body", "timestamp", "signature", "now", "tolerance"}, set()),
    "properties": ({"clientSecret", "properties", "userInputs"}, {"privateKey"}),
}
OUTCOME_FIELDS = {"tcId", "comment", "flags", "result", "plaintextHex", "plaintext", "expected", "error", "input"}
SPEC_SHA256 = {
    "generate.json": "b4b18aec84cb721e72229c147c169eb8f76e47827a58914b7b3ffae644889844",
    "verify.json": "489184ab9c6965e15aca47993ec5b156f488e70ca780c5634239d5498ec5cf65",
    "invalid.json": "90909d69cfdc0703c688242652c8edf02830e81ec40adb91875c44109f689fa6",
}
MAX_BYTES = 2 * 1024 * 1024

problems = []


def bad(where, msg):
    problems.append("%s: %s" % (where, msg))


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def load_keys_index():
    p = os.path.join(KEY_DIR, "keys.json")
    try:
        text = open(p, encoding="utf-8").read()
        doc = json.loads(text)
    except (OSError, ValueError) as e:
        bad("keys/keys.json", "unreadable: %s" % e)
        return {}
    if text != dumps(doc):
        bad("keys/keys.json", "not in canonical formatting")
    index = {e["file"]: e for e in doc.get("keys", [])}
    for name in index:
        if not os.path.isfile(os.path.join(KEY_DIR, name)):
            bad("keys/keys.json", "lists missing file %s" % name)
    for p in glob.glob(os.path.join(KEY_DIR, "*.pem")):
        if os.path.basename(p) not in index:
            bad("keys/keys.json", "does not list %s" % os.path.basename(p))
    return index


def check_test(where, fmt, t, notes, keys, used_flags):
    if fmt == "run":
        check_run_test(where, t, notes, keys, used_flags)
        return
    if list(t) != [k for k in TEST_FIELD_ORDER if k in t]:
        bad(where, "fields unknown or out of order: %s" % list(t))
    if not isinstance(t.get("comment"), str) or not t["comment"]:
        bad(where, "comment missing")
    flags = t.get("flags")
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        bad(where, "flags must be a list of strings")
        flags = []
    for f in flags:
        used_flags.add(f)
        if f not in notes:
            bad(where, "flag %s has no note" % f)
    required, optional = INPUTS[fmt]
    present = set(t) & (set(TEST_FIELD_ORDER) - OUTCOME_FIELDS)
    if not required <= present:
        bad(where, "missing inputs %s" % sorted(required - present))
    if present - required - optional:
        bad(where, "inputs foreign to %s: %s" % (fmt, sorted(present - required - optional)))
    for k in ("clientSecret", "value", "token", "body", "timestamp", "signature", "privateKey", "publicKey"):
        if k in t and not isinstance(t[k], str):
            bad(where, "%s must be a string" % k)
    for k in ("ttl", "now", "tolerance"):
        if k in t and not (is_int(t[k]) and t[k] >= 0):
            bad(where, "%s must be a non-negative integer" % k)
    if fmt == "fernet" and (("ttl" in t) != ("now" in t)):
        bad(where, "fernet: ttl and now go together")
    if fmt == "signature" and not re.fullmatch(r"\S*", t.get("timestamp", "")):
        bad(where, "timestamp with white space")
    for k in ("privateKey", "publicKey"):
        if k in t and t[k] not in keys:
            bad(where, "%s %r is not in keys/keys.json" % (k, t[k]))
    result = t.get("result")
    if fmt == "properties":
        check_properties_outcome(where, t, keys)
        return
    if "expected" in t or "input" in t:
        bad(where, "expected/input are for properties tests only")
    if result == "valid":
        if fmt == "signature":
            for k in ("plaintextHex", "plaintext", "error"):
                if k in t:
                    bad(where, "a valid signature test has no %s" % k)
        else:
            h = t.get("plaintextHex")
            if not isinstance(h, str) or not re.fullmatch(r"(?:[0-9a-f]{2})*", h):
                bad(where, "plaintextHex missing or not lower-case hex")
                return
            data = bytes.fromhex(h)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is None:
                if "plaintext" in t:
                    bad(where, "plaintext given for non-UTF-8 bytes")
                if t.get("error") != "invalid_utf8":
                    bad(where, "non-UTF-8 plaintext needs error invalid_utf8")
            else:
                if t.get("plaintext") != text:
                    bad(where, "plaintext missing or differs from plaintextHex")
                if "error" in t:
                    bad(where, "valid UTF-8 plaintext with an error")
        if fmt == "client-side" and "publicKey" in t and t.get("privateKey") in keys and t["publicKey"] in keys:
            a, b = keys[t["privateKey"]].get("spkiSha256"), keys[t["publicKey"]].get("spkiSha256")
            if not a or a != b:
                bad(where, "publicKey is not the public key of privateKey")
        if fmt == "client-side" and not keys.get(t.get("privateKey"), {}).get("validPrivateKey"):
            bad(where, "valid test with a key file not valid as a private key")
    elif result == "invalid":
        if t.get("error") not in CODES:
            bad(where, "invalid test needs an error code, got %r" % t.get("error"))
        if "plaintextHex" in t or "plaintext" in t:
            bad(where, "invalid test with a plaintext")
        if t.get("error") == "invalid_utf8":
            bad(where, "invalid_utf8 goes on a valid test (authentic value)")
    else:
        bad(where, "result must be valid or invalid")


def check_run_test(where, t, notes, keys, used_flags):
    """A test of runs/runs_test.json (README.md, "run"): its own fields, in RUN_FIELD_ORDER."""
    if list(t) != [k for k in RUN_FIELD_ORDER if k in t]:
        bad(where, "fields unknown or out of order: %s" % list(t))
    if not isinstance(t.get("comment"), str) or not t["comment"]:
        bad(where, "comment missing")
    flags = t.get("flags")
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        bad(where, "flags must be a list of strings")
        flags = []
    for f in flags:
        used_flags.add(f)
        if f not in notes:
            bad(where, "flag %s has no note" % f)
    delivery = t.get("delivery")
    if delivery not in DELIVERIES:
        bad(where, "delivery must be one of %s" % (DELIVERIES,))
    if not isinstance(t.get("clientSecret"), str):
        bad(where, "clientSecret must be a string")
    if "privateKey" in t and not keys.get(t["privateKey"], {}).get("validPrivateKey"):
        bad(where, "privateKey is not a valid private key file in keys/keys.json")
    if ("body" in t) == ("bodyHex" in t):
        bad(where, "exactly one of body and bodyHex")
    elif "body" in t and not isinstance(t["body"], str):
        bad(where, "body must be a string")
    elif "bodyHex" in t:
        h = t["bodyHex"]
        if not isinstance(h, str) or not re.fullmatch(r"(?:[0-9a-f]{2})*", h):
            bad(where, "bodyHex must be lower-case hex")
        else:
            try:
                bytes.fromhex(h).decode("utf-8")
                bad(where, "bodyHex holds UTF-8: use body")
            except UnicodeDecodeError:
                pass
    if delivery == "kafka":
        if "headers" in t:
            bad(where, "a kafka test has no headers (they are inside the message)")
    else:
        hs = t.get("headers")
        if not (isinstance(hs, list) and all(isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)
                                              for h in hs)):
            bad(where, "headers must be a list of [name, value] string pairs")
    opts = t.get("options")
    if not isinstance(opts, dict):
        bad(where, "options must be an object")
        opts = {}
    for k, v in opts.items():
        if k not in RUN_DEFAULTS:
            bad(where, "unknown option %s" % k)
        elif v == RUN_DEFAULTS[k] and type(v) is type(RUN_DEFAULTS[k]):
            bad(where, "option %s equals its default: leave it out" % k)
        elif k in ("tolerance", "maxBody", "maxClientSideInputs") and not (is_int(v) and v >= 0):
            bad(where, "option %s must be a non-negative integer" % k)
        elif k == "verifySignature" and not isinstance(v, bool):
            bad(where, "option verifySignature must be a boolean")
        elif k in ("userInputsPointer", "propertiesPointer", "defaultEncryption") and not isinstance(v, str):
            bad(where, "option %s must be a string" % k)
    if not (is_int(t.get("now")) and t["now"] >= 0):
        bad(where, "now must be a non-negative integer")
    for k in ("options", "expected"):
        if k in t and json_depth(t[k]) > 120:
            bad(where, "%s nested more than 120 levels" % k)
    if t.get("result") == "valid":
        if not isinstance(t.get("expected"), dict):
            bad(where, "valid run test needs expected (an object)")
        if "error" in t or "input" in t:
            bad(where, "valid run test with error/input")
    elif t.get("result") == "invalid":
        if t.get("error") not in CODES:
            bad(where, "invalid test needs an error code, got %r" % t.get("error"))
        if "input" not in t or not (t["input"] is None or isinstance(t["input"], str)):
            bad(where, "invalid run test needs input: a string or null")
        if "expected" in t:
            bad(where, "invalid run test with expected")
    else:
        bad(where, "result must be valid or invalid")


def json_depth(value):
    if isinstance(value, list):
        return 1 + max((json_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((json_depth(v) for v in value.values()), default=0)
    return 0


def check_properties_outcome(where, t, keys):
    for k in ("plaintextHex", "plaintext"):
        if k in t:
            bad(where, "a properties test has no %s" % k)
    for k in ("properties", "userInputs", "expected"):
        # the whole file must stay within the 127 levels the Rust and C consumers' JSON parser reads
        if k in t and json_depth(t[k]) > 120:
            bad(where, "%s nested more than 120 levels" % k)
    if "privateKey" in t and not keys.get(t["privateKey"], {}).get("validPrivateKey"):
        bad(where, "privateKey is not a valid private key file")
    if t.get("result") == "valid":
        if "expected" not in t:
            bad(where, "valid properties test without expected")
        elif not isinstance(t["expected"], dict):
            bad(where, "expected must be an object")
        if "error" in t or "input" in t:
            bad(where, "valid properties test with error/input")
    elif t.get("result") == "invalid":
        if t.get("error") not in CODES:
            bad(where, "invalid test needs an error code, got %r" % t.get("error"))
        if "input" not in t or not (t["input"] is None or isinstance(t["input"], str)):
            bad(where, "invalid properties test needs input: a string or null")
        if "expected" in t:
            bad(where, "invalid properties test with expected")
    else:
        bad(where, "result must be valid or invalid")


def check_file(path, keys, docs):
    rel = os.path.relpath(path, VEC_DIR)
    d = rel.split(os.sep)[0]
    if os.path.getsize(path) > MAX_BYTES:
        bad(rel, "larger than 2 MB")
    try:
        text = open(path, encoding="utf-8").read()
        doc = json.loads(text)
    except (OSError, ValueError) as e:
        bad(rel, "unreadable JSON: %s" % e)
        return
    if text != dumps(doc):
        bad(rel, "not in canonical formatting (json.dumps(indent=1, ensure_ascii=False) + newline)")
    if d == "runs":
        if os.path.basename(path) != "runs_test.json":
            bad(rel, "file name should be runs_test.json")
    elif not re.fullmatch(re.escape(d) + r"_[a-z0-9]+_test\.json", os.path.basename(path)):
        bad(rel, "file name should be %s_<source>_test.json" % d)
    if list(doc) != TOP:
        bad(rel, "top-level fields must be exactly %s in that order" % TOP)
    if doc.get("schema") != SCHEMA:
        bad(rel, "schema is not %s" % SCHEMA)
    fmt = doc.get("format")
    if fmt != FORMATS.get(d):
        bad(rel, "format %r does not match directory %s" % (fmt, d))
        return
    if not isinstance(doc.get("source"), str) or not doc["source"]:
        bad(rel, "source missing")
    gen = doc.get("generator", "")
    if not (isinstance(gen, str) and gen.startswith("tests/vectors/generate/")
            and os.path.isfile(os.path.join(GEN_DIR, gen[len("tests/vectors/generate/"):]))):
        bad(rel, "generator %r does not exist" % gen)
    vb = doc.get("verifiedBy")
    if not (isinstance(vb, list) and vb and all(isinstance(x, str) and x for x in vb)):
        bad(rel, "verifiedBy must be a non-empty list of strings")
    notes = doc.get("notes")
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        bad(rel, "notes must map flags to strings")
        notes = {}
    tests = doc.get("tests")
    if not isinstance(tests, list) or not tests:
        bad(rel, "no tests")
        return
    if doc.get("numberOfTests") != len(tests):
        bad(rel, "numberOfTests %r but %d tests" % (doc.get("numberOfTests"), len(tests)))
    ids = [t.get("tcId") for t in tests]
    if ids != list(range(1, len(tests) + 1)):
        bad(rel, "tcIds must be 1..N in order (unique)")
    used = set()
    for t in tests:
        check_test("%s tcId %s" % (rel, t.get("tcId")), fmt, t, notes, keys, used)
    for f in set(notes) - used:
        bad(rel, "note for unused flag %s" % f)
    docs.append((rel, doc))


def crypto_check(docs):
    import reference
    import reference_runs
    n = 0
    for rel, doc in docs:
        fmt = doc["format"]
        for t in doc["tests"]:
            where = "%s tcId %s" % (rel, t.get("tcId"))
            try:
                if fmt == "run":
                    got = reference_runs.run_test(t)
                elif fmt == "properties":
                    got = reference.run_properties(t)
                else:
                    got = reference.run_test(fmt, t)
            except Exception as e:  # noqa: BLE001
                bad(where, "reference raised %r" % e)
                continue
            n += 1
            if fmt in ("properties", "run"):
                if t.get("result") == "invalid":
                    if got != ("invalid", t.get("error"), t.get("input")):
                        bad(where, "reference gives %s, file says error %s input %r" % (got, t.get("error"), t.get("input")))
                elif got[0] != "valid" or dumps(got[1]) != dumps(t.get("expected")):
                    bad(where, "reference gives %s, file says valid with its expected output" % (str(got)[:200],))
                continue
            if t.get("result") == "invalid":
                if got != ("invalid", t.get("error")):
                    bad(where, "reference gives %s, file says error %s" % (got, t.get("error")))
            elif got[0] != "valid":
                bad(where, "reference gives %s, file says valid" % (got,))
            elif fmt != "signature" and got[1].hex() != t.get("plaintextHex"):
                bad(where, "reference decrypts to other bytes")
    return n


def main():
    keys = load_keys_index()
    docs = []
    files = sorted(p for d in FORMATS for p in glob.glob(os.path.join(VEC_DIR, d, "*.json")))
    for p in files:
        check_file(p, keys, docs)
    spec_dir = os.path.join(VEC_DIR, "fernet", "spec")
    for name, digest in SPEC_SHA256.items():
        p = os.path.join(spec_dir, name)
        if not os.path.isfile(p) or hashlib.sha256(open(p, "rb").read()).hexdigest() != digest:
            bad("fernet/spec/" + name, "missing or not the verbatim cryptography_vectors 48.0.0 file")
    checked = 0 if "--no-crypto" in sys.argv[1:] else crypto_check(docs)
    if problems:
        for p in problems:
            print("LINT: " + p, file=sys.stderr)
        print("lint: %d problem(s)" % len(problems), file=sys.stderr)
        sys.exit(1)
    total = sum(len(doc["tests"]) for _, doc in docs)
    print("lint: OK, %d files, %d tests, %d re-checked with reference.py / reference_runs.py; %d key files; "
          "fernet spec files verbatim"
          % (len(docs), total, checked, len(keys)))


if __name__ == "__main__":
    main()
