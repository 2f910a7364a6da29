"""A small reference opener of runs (format "run", runs/runs_test.json), on pyca/cryptography + the stdlib.

It implements the steps of README.md ("run") in the order given there, written from the spec of
`Decryptor.open_webhook(body, headers, options)` (deliveries "port" and "agent") and
`Decryptor.open_kafka_message(message, options)` (delivery "kafka"):

  1. size cap (maxBody)                                    -> malformed
  2. signature and timestamp (unless verifySignature false) -> invalid_signature / expired
     (agent and kafka parse the body first: invalid_json; kafka: not an object -> malformed)
  3. parse the body                                          -> invalid_json
  4. properties at propertiesPointer (RFC 6901)              -> malformed
  5. the definitions (options, body userInputs, names list)  -> malformed
  6. decrypt_properties' rules, with a cap on client-side inputs first
  7. the whole run with the properties decrypted in place

gen_runs.py checks every outcome it builds against this file, lint.py re-runs it on the file.
It is test tooling, not the library: no constant time, no zeroization. The value decryption and
the per-input rules come from reference.py (the decrypt_properties reference).
"""
import base64
import copy
import hashlib
import hmac
import json
import re

import reference
from reference import Fail

# Order of the fields of a run test object.
RUN_FIELD_ORDER = [
    "tcId", "comment", "flags", "result", "delivery", "clientSecret", "privateKey", "body", "bodyHex",
    "headers", "options", "now", "expected", "error", "input",
]
DELIVERIES = ("port", "agent", "kafka")
DEFAULTS = {
    "tolerance": 300,
    "verifySignature": True,
    "userInputs": None,
    "userInputsPointer": "/payload/action/userInputs",
    "propertiesPointer": "/payload/properties",
    "defaultEncryption": "aes256-gcm",
    "maxBody": 1048576,
    "maxClientSideInputs": 64,
}
SIGNATURE_HEADER = "X-Port-Signature"
TIMESTAMP_HEADER = "X-Port-Timestamp"
_MISSING = object()


# ---------------------------------------------------------------- JSON

def _reject_constant(name):
    raise ValueError(name)


def _finite_float(text):
    f = float(text)
    if f in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return f


def parse_body(raw):
    """The body bytes as JSON: strict UTF-8, RFC 8259 (no NaN/Infinity, finite numbers, no lone
    surrogates, no BOM, nesting at most 127); integers of any size kept exact."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Fail("invalid_json")
    if reference._json_depth(text) > reference.JSON_MAX_DEPTH:
        raise Fail("invalid_json")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError):
        raise Fail("invalid_json")
    if not reference._no_surrogates(value):
        raise Fail("invalid_json")
    return value


def _pointer_tokens(pointer):
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise Fail("malformed")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _walk(doc, tokens):
    """The value at tokens (RFC 6901), or _MISSING."""
    cur = doc
    for t in tokens:
        if isinstance(cur, dict):
            if t not in cur:
                return _MISSING
            cur = cur[t]
        elif isinstance(cur, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", t) or int(t) >= len(cur):
                return _MISSING
            cur = cur[int(t)]
        else:
            return _MISSING
    return cur


# ---------------------------------------------------------------- signature

def _mac(secret, timestamp, signed):
    """"v1," + base64(HMAC-SHA256(secret UTF-8, timestamp + "." + signed bytes))."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + b"." + signed, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode("ascii")


def _check(signature, timestamp, signed, secret, tolerance, now):
    expected = _mac(secret, timestamp, signed).encode("utf-8")
    if not any(hmac.compare_digest(e.encode("utf-8"), expected) for e in signature.split(" ")):
        raise Fail("invalid_signature")
    m = re.fullmatch(r"[ \t]*(-?[0-9]+)[ \t]*", timestamp)
    if not m:
        raise Fail("invalid_signature")
    if abs(now - int(m.group(1))) > tolerance:
        raise Fail("expired")


def _webhook_headers(headers):
    """(signature, timestamp) from HTTP headers, names case-insensitive; several signature headers
    are joined by a space, several timestamp headers must be equal."""
    sigs = [v for n, v in headers if n.lower() == SIGNATURE_HEADER.lower()]
    tss = [v for n, v in headers if n.lower() == TIMESTAMP_HEADER.lower()]
    signature = " ".join(sigs)
    if not signature or not tss or any(t != tss[0] for t in tss) or not tss[0]:
        raise Fail("invalid_signature")
    return signature, tss[0]


def _is_gitlab(msg):
    cur = msg
    for k in ("payload", "action", "invocationMethod"):
        cur = cur.get(k) if isinstance(cur, dict) else None
    return isinstance(cur, dict) and cur.get("type") == "GITLAB"


def _kafka_signed(msg):
    """(signature, timestamp, signed bytes) of a Kafka message value, as port-agent checks it."""
    h = msg.get("headers")
    if not isinstance(h, dict):
        raise Fail("invalid_signature")
    sig, ts = h.get(SIGNATURE_HEADER), h.get(TIMESTAMP_HEADER)
    if not isinstance(sig, str) or not sig:
        raise Fail("invalid_signature")
    if isinstance(ts, int) and not isinstance(ts, bool):
        ts = str(ts)
    if not isinstance(ts, str) or not ts:
        raise Fail("invalid_signature")
    signed = copy.deepcopy(msg)
    if _is_gitlab(msg):
        del signed["headers"]
    else:
        del signed["headers"][SIGNATURE_HEADER]
        del signed["headers"][TIMESTAMP_HEADER]
    text = json.dumps(signed, separators=(",", ":"), ensure_ascii=False)
    return sig, ts, text.encode("utf-8")


# ---------------------------------------------------------------- definitions and decryption

def _names(value):
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise Fail("malformed")
    return value


def _definitions(doc, o, prop_tokens):
    ui = o["userInputs"]
    if ui is None:
        ui = _walk(doc, _pointer_tokens(o["userInputsPointer"]))
        if ui is not _MISSING:
            if not isinstance(ui, dict):
                raise Fail("malformed")
        else:
            parent = _walk(doc, prop_tokens[:-1]) if prop_tokens else _MISSING
            ui = None
            if isinstance(parent, dict):
                for key in ("censoredProperties", "encryptedProperties"):
                    if key in parent:
                        ui = _names(parent[key])
                        break
            if ui is None:
                raise Fail("malformed")
    if isinstance(ui, list):
        return {n: {"encryption": o["defaultEncryption"]} for n in _names(ui)}
    return reference.definitions(ui)  # malformed when not an object; non-object definitions named


def _is_client_side(encryption):
    try:
        return reference.parse_encryption(encryption)[0] == "client-side"
    except Fail:
        return False


def decrypt_with_definitions(properties, defs, client_secret, private_key, max_client_side):
    count = 0
    for name, d in defs.items():
        if "encryption" in d and properties.get(name) is not None and _is_client_side(d["encryption"]):
            count += 1
            if count > max_client_side:
                raise Fail("malformed", name)
    out = dict(properties)
    for name, d in defs.items():
        if "encryption" not in d:
            continue
        value = properties.get(name)
        if value is None:
            continue
        try:
            if not isinstance(value, str):
                raise Fail("malformed")
            algorithm, _key = reference.parse_encryption(d["encryption"])
            if algorithm == "aes256-gcm":
                pt = reference.decrypt_aes256_gcm(value, client_secret)
            elif algorithm == "fernet":
                pt = reference.decrypt_fernet(value, client_secret)
            else:
                if private_key is None:
                    raise Fail("invalid_key")
                pt = reference.decrypt_client_side(value, private_key)
            text = reference.as_text(pt)
            out[name] = reference.parse_json_strict(text) if d.get("type") == "object" else text
        except Fail as e:
            raise Fail(e.code, name)
    return out


# ---------------------------------------------------------------- the run

def open_run(delivery, raw, headers, options, client_secret, private_key, now):
    """The opened run (the parsed body with its secret inputs decrypted), or raises Fail."""
    o = dict(DEFAULTS)
    o.update(options)
    if len(raw) > o["maxBody"]:
        raise Fail("malformed")
    doc = None
    if delivery == "port":
        if o["verifySignature"]:
            sig, ts = _webhook_headers(headers)
            _check(sig, ts, raw, client_secret, o["tolerance"], now)
        doc = parse_body(raw)
    elif delivery == "agent":
        doc = parse_body(raw)
        if o["verifySignature"]:
            sig, ts = _webhook_headers(headers)
            signed = json.dumps(doc, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
            _check(sig, ts, signed, client_secret, o["tolerance"], now)
    elif delivery == "kafka":
        doc = parse_body(raw)
        if o["verifySignature"]:
            if not isinstance(doc, dict):
                raise Fail("malformed")
            sig, ts, signed = _kafka_signed(doc)
            _check(sig, ts, signed, client_secret, o["tolerance"], now)
    else:
        raise ValueError(delivery)
    prop_tokens = _pointer_tokens(o["propertiesPointer"])
    properties = _walk(doc, prop_tokens)
    if not isinstance(properties, dict):
        raise Fail("malformed")
    defs = _definitions(doc, o, prop_tokens)
    out = decrypt_with_definitions(properties, defs, client_secret, private_key, o["maxClientSideInputs"])
    if not prop_tokens:
        return out
    parent = _walk(doc, prop_tokens[:-1])
    if isinstance(parent, list):
        parent[int(prop_tokens[-1])] = out
    else:
        parent[prop_tokens[-1]] = out
    return doc


def body_bytes(t):
    return bytes.fromhex(t["bodyHex"]) if "bodyHex" in t else t["body"].encode("utf-8")


def run_test(t):
    """("valid", run) or ("invalid", code, input name or None) for a run test."""
    key = reference.load_private_key_file(t["privateKey"]) if "privateKey" in t else None
    headers = [tuple(h) for h in t.get("headers", [])]
    try:
        return ("valid", open_run(t["delivery"], body_bytes(t), headers, t["options"], t["clientSecret"], key, t["now"]))
    except Fail as e:
        return ("invalid", e.code, e.input)
