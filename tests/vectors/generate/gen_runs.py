#!/usr/bin/env python3
"""Whole runs for Decryptor.open_webhook / open_kafka_message: runs/runs_test.json.

Every encrypted value is made here with pyca/cryptography (aes256-gcm, client-side, fernet) and
every delivery is signed here the way its sender signs it:
  - "port": Port's webhook, HMAC over the raw body bytes;
  - "agent": port-agent's webhook invoker (github.com/port-labs/port-agent,
    app/invokers/webhook_invoker.py `_request` and app/utils.py `sign_sha_256`): the HMAC over
    json.dumps(body, separators=(",", ":")), the body sent as requests' json= (json.dumps(body));
  - "kafka": a message value on Port's Kafka topic, checked as port-agent's
    `validate_incoming_signature` does: signature and timestamp inside "headers", the HMAC over
    json.dumps(message without them, separators=(",", ":"), ensure_ascii=False) (without
    "headers" at all when the invocation method is GITLAB).
Each case is written by hand: the inputs, and either the expected error code and input name (from
the rules in README.md, "run") or, for a valid case, the expected run, built here from the
plaintexts that were encrypted (not by decrypting anything). Then reference_runs.py (the rules,
on pyca) must give exactly that outcome, or the generator fails.
"""
import base64
import copy
import hashlib
import hmac
import json
import os
import sys

import cryptography
from cryptography.fernet import Fernet

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_runs  # noqa: E402
from common import SCHEMA, VEC_DIR, Checker, b64e, dumps, load_inputs, read_key  # noqa: E402
from gen_invalid import aes_value, cs_value, flip  # noqa: E402
from reference_runs import RUN_FIELD_ORDER  # noqa: E402

PYCA = "pyca/cryptography %s" % cryptography.__version__
GEN = "gen_runs.py"
REL = "runs/runs_test.json"
SOURCE = ("written by gen_runs.py: values made with %s, deliveries signed with Python %d.%d stdlib hmac as Port "
          "and port-agent sign them" % (PYCA, sys.version_info[0], sys.version_info[1]))
VERIFIED = ["tests/vectors/generate/reference_runs.py gives the expected error and input name, or the expected run"]
SECRETS, _ = load_inputs()
S = SECRETS["port64"]
OTHER_SECRET = "Hq8Tz3Vw6Nb1Lc4Xk7Pd0Rf2Ys5Gm9Je3Ua6Wo1K"  # another client secret, 40 characters
assert len(OTHER_SECRET) == 40
KEY = "rsa2048_pkcs8.pem"
PUB = read_key("rsa2048_public.pem").decode("ascii")
NOW = 1764583200  # 2025-12-01T10:00:00Z
TS = NOW - 10  # sent 10 s before it is opened
C = Checker("gen_runs")
NONE = object()


# ---------------------------------------------------------------- values

def aes(text):
    return b64e(aes_value(S, text.encode("utf-8")))


def cs(text):
    return b64e(cs_value("rsa2048", text.encode("utf-8")))


def fer(text):
    return Fernet(base64.urlsafe_b64encode(S.encode("utf-8")[:32])).encrypt(text.encode("utf-8")).decode("ascii")


def aes_tampered(text):
    raw = aes_value(S, text.encode("utf-8"))
    return b64e(flip(raw, len(raw) - 1))


# ---------------------------------------------------------------- the run body

def invocation(kind):
    if kind == "port":
        return {"type": "WEBHOOK", "url": "https://hooks.example.com/port/deploy", "agent": False,
                "synchronized": True, "method": "POST"}
    if kind == "gitlab":
        return {"type": "GITLAB", "projectName": "checkout", "groupName": "platform", "agent": True,
                "defaultRef": "main", "omitPayload": False, "omitUserInputs": False}
    return {"type": "WEBHOOK", "url": "http://deployer.internal:8080/hooks/port", "agent": True,
            "synchronized": False, "method": "POST"}


class Run:
    """A run body being built, with the decrypted `payload.properties` expected in parallel."""

    def __init__(self, kind="port", user_inputs=True):
        self.props, self.exp, self.defs = {}, {}, {}
        self.kind, self.with_user_inputs = kind, user_inputs
        self.payload_extra = {}

    def secret(self, name, plaintext, encryption="aes256-gcm", type_="string", parsed=NONE, value=NONE, **extra):
        algorithm = encryption if isinstance(encryption, str) else encryption["algorithm"]
        self.props[name] = value if value is not NONE else {"aes256-gcm": aes, "client-side": cs, "fernet": fer}[algorithm](plaintext)
        self.exp[name] = plaintext if parsed is NONE else parsed
        self.defs[name] = dict({"type": type_, "title": name.replace("_", " ").title(), "encryption": encryption}, **extra)
        return self

    def plain(self, name, value, type_="string", **extra):
        self.props[name] = value
        self.exp[name] = value
        self.defs[name] = dict({"type": type_, "title": name.replace("_", " ").title()}, **extra)
        return self

    def user_inputs(self):
        return {"properties": self.defs, "required": [n for n in self.defs if n != "region"], "order": list(self.defs)}

    def body(self, props=None):
        """The run as Port sends it, with `props` (default: the encrypted properties)."""
        action = {"id": "action_3kQ9xVb2mR7tLw1Z", "identifier": "deploy_service", "title": "Deploy service",
                  "icon": "Rocket", "trigger": "DAY-2"}
        if self.with_user_inputs:
            action["userInputs"] = self.user_inputs()
        action["invocationMethod"] = invocation(self.kind)
        payload = {
            "entity": {
                "identifier": "checkout",
                "title": "Checkout café ✓ 😀",
                "blueprint": "service",
                "properties": {
                    "__proto__": {"isAdmin": True},
                    "owner": "Zoë Ñúñez",
                    "replicas": 3,
                    "budgetMicros": 12345678901234567890123,
                    "cpu": 1.5,
                    "errorRate": 0.1,
                    "maxBytes": 1e16,
                    "epsilon": 1e-05,
                    "drift": -0.0,
                    "motd": "tab\there \"quoted\" back\\slash </script> line\u2028sep ctrl\u0001 del\u007f",
                },
                "relations": {"system": "payments"},
            },
            "action": action,
            "properties": self.props if props is None else props,
        }
        payload.update(self.payload_extra)
        return {
            "action": "deploy_service",
            "resourceType": "run",
            "status": "TRIGGERED",
            "trigger": {"by": {"orgId": "org_QxV5bN2", "userId": "auth0|6f1c2d", "user": {
                "email": "zoe@example.com", "firstName": "Zoë", "lastName": "Ñúñez"}},
                "origin": "UI", "at": "2025-12-01T09:59:50.123Z"},
            "context": {"entity": "checkout", "blueprint": "service", "runId": "r_Ab3dE5fG7hJ9kL1m"},
            "payload": payload,
        }

    def expected(self, received, pointer=("payload", "properties")):
        """The run as opened: `received` (the delivered JSON, kafka headers included) with the
        decrypted properties in place."""
        out = copy.deepcopy(received)
        cur = out
        for k in pointer[:-1]:
            cur = cur[k]
        assert list(cur[pointer[-1]]) == list(self.exp)
        cur[pointer[-1]] = copy.deepcopy(self.exp)
        return out


def standard(kind="port", user_inputs=True):
    """The realistic run: three aes256-gcm inputs (one `object`), one client-side, one plain."""
    r = Run(kind, user_inputs)
    r.secret("db_password", "hunter2-ñ-🔑")
    r.secret("api_token", "tok_live_51HxQp9Ls2")
    config = '{"host":"db.internal","port":5432,"tls":true,"tags":["blue","grün"]}'
    r.secret("config", config, type_="object", parsed=json.loads(config))
    r.secret("vendor_key", "sk_vendor_9f8e7d6c", {"algorithm": "client-side", "key": PUB})
    r.plain("region", "eu-west-1", enum=["eu-west-1", "us-east-1"])
    return r


# ---------------------------------------------------------------- signing, as the senders do

def hmac_sig(secret, timestamp, signed_bytes):
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + b"." + signed_bytes, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode("ascii")


def sign_sha_256(input, secret, timestamp):
    """port-agent app/utils.py sign_sha_256."""
    to_sign = f"{timestamp}.{input}"
    new_hmac = hmac.new(bytes(secret, "utf-8"), digestmod=hashlib.sha256)
    new_hmac.update(bytes(to_sign, "utf-8"))
    return "v1," + base64.b64encode(new_hmac.digest()).decode("utf-8")


def compact(doc, ascii_=False):
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=ascii_)


def port_delivery(body, secret=S, ts=str(TS), style="compact"):
    """Port's webhook: (raw bytes, headers, received JSON). The body as Port's server writes it
    (compact, UTF-8), or pretty/ASCII-escaped: the HMAC is over whatever bytes are sent."""
    text = {"compact": lambda: compact(body), "pretty": lambda: json.dumps(body, indent=2),
            "compact-ascii": lambda: compact(body, True)}[style]()
    raw = text.encode("utf-8")
    headers = [["content-type", "application/json"], ["x-port-timestamp", ts],
               ["x-port-signature", hmac_sig(secret, ts, raw)]]
    return raw, headers, body


def agent_delivery(body, secret=S, ts=str(TS)):
    """port-agent's WebhookInvoker._request: (raw bytes, headers, received JSON)."""
    headers = {"X-Port-Timestamp": ts}
    headers["X-Port-Signature"] = sign_sha_256(json.dumps(body, separators=(",", ":")), secret, headers["X-Port-Timestamp"])
    raw = json.dumps(body).encode("utf-8")  # requests' json=: json.dumps with default separators
    return raw, [["Content-Type", "application/json"]] + [[k, v] for k, v in headers.items()], body


def kafka_message(body, secret=S, ts=str(TS), extra_headers=None, headers_first=False, style="compact",
                  signed_as=None):
    """A message value on Port's Kafka topic: (raw bytes, None, received JSON). `signed_as`:
    "gitlab"/"webhook" forces which headers the signer left out (default: by invocation type)."""
    gitlab = body["payload"]["action"]["invocationMethod"]["type"] == "GITLAB"
    if signed_as is not None:
        gitlab = signed_as == "gitlab"
    h = dict(extra_headers or {})
    if headers_first:
        msg = {"headers": h}
        msg.update(body)
    else:
        msg = dict(body, headers=h)
    unsigned = copy.deepcopy(msg)
    if gitlab:
        del unsigned["headers"]
    sig = hmac_sig(secret, str(ts), compact(unsigned).encode("utf-8"))
    h["X-Port-Signature"] = sig
    h["X-Port-Timestamp"] = ts
    text = compact(msg) if style == "compact" else json.dumps(msg, indent=2)
    return text.encode("utf-8"), None, msg


DELIVER = {"port": port_delivery, "agent": agent_delivery, "kafka": kafka_message}


def set_header(headers, name, value):
    """A copy of headers with `name` (any case) set to value, or removed when value is None."""
    out = [list(h) for h in headers if h[0].lower() != name.lower()]
    if value is not None:
        out.append([name, value])
    return out


def replace_once(raw, old, new):
    assert raw.count(old) == 1, (old, raw.count(old))
    return raw.replace(old, new)


# ---------------------------------------------------------------- corpus

class Corpus:
    def __init__(self):
        self.tests = []

    def add(self, comment, flags, delivery, delivered, options=None, expected=None, error=None, input_name=None,
            key=True, now=NOW, headers=NONE):
        raw, hdrs, _received = delivered
        if headers is not NONE:
            hdrs = headers
        t = {"comment": comment, "flags": list(flags), "result": "valid" if error is None else "invalid",
             "delivery": delivery, "clientSecret": S}
        if key:
            t["privateKey"] = KEY
        try:
            t["body"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            t["bodyHex"] = raw.hex()
        if delivery != "kafka":
            t["headers"] = hdrs
        else:
            assert hdrs is None
        t["options"] = dict(options or {})
        t["now"] = now
        if error is None:
            assert expected is not None
            t["expected"] = expected
        else:
            t["error"], t["input"] = error, input_name
        t = copy.deepcopy(t)
        got = reference_runs.run_test(t)
        if error is None:
            C.check(got[0] == "valid" and dumps(got[1]) == dumps(expected),
                    "reference gives %s, expected the run: %s" % (str(got)[:300], comment))
        else:
            want = ("invalid", error, input_name)
            C.check(got == want, "reference gives %s, expected %s: %s" % (str(got)[:300], want, comment))
        if "body" in t:  # the numbers' text is Python's: a JSON round trip keeps every value
            try:
                v = json.loads(t["body"])
                C.check(json.loads(dumps(v)) == v, "body survives a JSON round trip: %s" % comment)
            except ValueError:
                pass
        self.tests.append(t)


def gen():
    cor = Corpus()
    kinds = {"port": "port", "agent": "agent", "kafka": "agent"}
    gitlab_kind = "gitlab"

    # ---- for each delivery: the realistic run and what can go wrong with it
    for d in ("port", "agent", "kafka"):
        dl = DELIVER[d]
        kind = kinds[d]
        r = standard(kind)
        body = r.body()
        good = dl(body)
        cor.add("realistic run (aes256-gcm string and object inputs, a client-side input, a plain one; "
                "non-ASCII, __proto__, big integer and floats elsewhere)", ["Realistic"], d, good,
                expected=r.expected(good[2]))

        raw = replace_once(good[0], b"r_Ab3dE5fG7hJ9kL1m", b"r_Ab3dE5fG7hJ9kL1n")
        cor.add("one byte of the run id changed after signing", ["Tampered"], d, (raw, good[1], None),
                error="invalid_signature")

        for delta, what in ((-400, "400 s old"), (400, "400 s in the future")):
            cor.add("timestamp %s (tolerance 300)" % what, ["Expired"], d, dl(body, ts=str(NOW + delta)),
                    error="expired")
        if d == "port":
            old = dl(body, ts=str(NOW - 400))
            cor.add("timestamp 400 s old, tolerance 600", ["Tolerance"], d, old, options={"tolerance": 600},
                    expected=r.expected(old[2]))

        cor.add("signed with another client secret (40 characters)", ["WrongSecret"], d, dl(body, secret=OTHER_SECRET),
                error="invalid_signature")

        if d == "kafka":
            raw, _, msg = good
            for what, drop in (("X-Port-Signature", ["X-Port-Signature"]), ("X-Port-Timestamp", ["X-Port-Timestamp"])):
                m = copy.deepcopy(msg)
                for k in drop:
                    del m["headers"][k]
                cor.add("headers without %s" % what, ["MissingHeader"], d, (compact(m).encode("utf-8"), None, m),
                        error="invalid_signature")
        else:
            cor.add("no x-port-signature header", ["MissingHeader"], d, good,
                    headers=set_header(good[1], "X-Port-Signature", None), error="invalid_signature")
            cor.add("no x-port-timestamp header", ["MissingHeader"], d, good,
                    headers=set_header(good[1], "X-Port-Timestamp", None), error="invalid_signature")
            if d == "port":
                cor.add("x-port-signature header present but empty", ["MissingHeader"], d, good,
                        headers=set_header(good[1], "X-Port-Signature", ""), error="invalid_signature")

        cor.add("timestamp \"1764583190.5\" (signed as is): not an integer", ["BadTimestamp"], d,
                dl(body, ts="1764583190.5"), error="invalid_signature")

        if d != "kafka":
            sig = [v for n, v in good[1] if n.lower() == "x-port-signature"][0]
            other = dl(body, secret=OTHER_SECRET)[1]
            other_sig = [v for n, v in other if n.lower() == "x-port-signature"][0]
            cor.add("signature header with two v1 entries, the second one matching", ["MultipleSignatures"], d, good,
                    headers=set_header(good[1], "X-Port-Signature", other_sig + " " + sig), expected=r.expected(good[2]))

        raw = b'{"payload": {"properties": {"db_password": "x"}}'  # one brace short
        if d == "kafka":
            cor.add("message value is not JSON (one closing brace missing)", ["NotJson"], d, (raw, None, None),
                    error="invalid_json")
        else:
            hdrs = [["x-port-timestamp", str(TS)], ["x-port-signature", hmac_sig(S, str(TS), raw)]]
            cor.add("body is not JSON (one closing brace missing), signed over its raw bytes", ["NotJson"], d,
                    (raw, hdrs, None), error="invalid_json")
        raw = compact({"payload": {"properties": {"name": "caf"}}}).encode("utf-8").replace(b"caf", b"caf\xe9")
        if d == "kafka":
            cor.add("message value is not UTF-8 (Latin-1 \\xe9)", ["NotJson", "NonUtf8Body"], d, (raw, None, None),
                    error="invalid_json")
        else:
            hdrs = [["x-port-timestamp", str(TS)], ["x-port-signature", hmac_sig(S, str(TS), raw)]]
            cor.add("body is not UTF-8 (Latin-1 \\xe9), signed over its raw bytes", ["NotJson", "NonUtf8Body"], d,
                    (raw, hdrs, None), error="invalid_json")

        b = r.body()
        del b["payload"]["properties"]
        cor.add("no payload.properties", ["PropertiesMissing"], d, dl(b), error="malformed")
        b = r.body(props=[r.props])
        cor.add("payload.properties is an array", ["PropertiesNotObject"], d, dl(b), error="malformed")

        # where the definitions come from
        r2 = standard(kind, user_inputs=False)
        dv = dl(r2.body())
        cor.add("definitions from options.userInputs (the action's userInputs; the body has none)",
                ["DefinitionsFromOptions"], d, dv, options={"userInputs": r2.user_inputs()}, expected=r2.expected(dv[2]))
        r3 = Run(kind, user_inputs=False).secret("db_password", "hunter2").secret("config", '{"a":1}', type_="object")
        r3.plain("region", "eu-west-1")
        dv = dl(r3.body())
        cor.add("definitions from options.userInputs as a names list: default encryption aes256-gcm, the "
                "object input is returned as text", ["DefinitionsFromNames"], d, dv,
                options={"userInputs": ["db_password", "config"]}, expected=r3.expected(dv[2]))
        for key in ("censoredProperties", "encryptedProperties"):
            r4 = Run(kind, user_inputs=False).secret("db_password", "hunter2").secret("api_token", "tok_1").plain("region", "eu")
            r4.payload_extra = {key: ["db_password", "api_token"]}
            dv = dl(r4.body())
            cor.add("no userInputs anywhere: the names in payload.%s, aes256-gcm" % key, ["DefinitionsFromNames"], d, dv,
                    expected=r4.expected(dv[2]))
        r5 = Run(kind, user_inputs=False).secret("db_password", "hunter2")
        cor.add("no userInputs in options or body, no censoredProperties/encryptedProperties", ["NoDefinitions"], d,
                dl(r5.body()), error="malformed")

        garbage = [list(h) for h in good[1]] if good[1] else None
        if d == "kafka":
            m = copy.deepcopy(good[2])
            m["headers"]["X-Port-Signature"] = "v1,garbage"
            m["headers"]["X-Port-Timestamp"] = "0"
            dv = (compact(m).encode("utf-8"), None, m)
        else:
            garbage = set_header(set_header(good[1], "X-Port-Signature", "v1,garbage"), "X-Port-Timestamp", "0")
            dv = (good[0], garbage, good[2])
        cor.add("verifySignature false: a garbage signature and timestamp 0 are not looked at", ["SignatureOff"], d, dv,
                options={"verifySignature": False}, expected=r.expected(dv[2]))

        rb = standard(kind)
        rb.props["api_token"] = aes_tampered("tok_live_51HxQp9Ls2")
        cor.add("api_token's value tampered (a bit of its tag flipped) before signing", ["BadInput"], d, dl(rb.body()),
                error="authentication_failed", input_name="api_token")

        rc = Run(kind)
        for name in ("vendor_a", "vendor_b", "vendor_c"):
            rc.secret(name, "sk_" + name, {"algorithm": "client-side", "key": PUB})
        rc.secret("db_password", "hunter2")
        cor.add("three client-side inputs, maxClientSideInputs 2: the third is named", ["ClientSideCap"], d,
                dl(rc.body()), options={"maxClientSideInputs": 2}, error="malformed", input_name="vendor_c")

        cor.add("body larger than maxBody (100)", ["MaxBody"], d, good, options={"maxBody": 100}, error="malformed")

    # ---- port webhooks
    d = "port"
    r = standard("port")
    body = r.body()
    good = port_delivery(body)
    for style, what in (("pretty", "pretty-printed, non-ASCII as \\u escapes"), ("compact-ascii", "compact, non-ASCII as \\u escapes")):
        dv = port_delivery(body, style=style)
        cor.add("body %s: the HMAC is over the raw bytes, whatever their layout" % what, ["BodyLayout"], d, dv,
                expected=r.expected(dv[2]))
    cor.add("header names in mixed case", ["HeaderCase"], d, good,
            headers=[["Content-Type", "application/json"], ["X-PORT-TIMESTAMP", str(TS)],
                     ["X-Port-Signature", good[1][2][1]]], expected=r.expected(good[2]))
    other_sig = port_delivery(body, secret=OTHER_SECRET)[1][2][1]
    cor.add("two x-port-signature headers, the second matching (joined by a space)", ["MultipleHeaders"], d, good,
            headers=good[1][:2] + [["x-port-signature", other_sig], ["x-port-signature", good[1][2][1]]],
            expected=r.expected(good[2]))
    cor.add("two equal x-port-timestamp headers", ["MultipleHeaders"], d, good,
            headers=good[1][:2] + [["X-Port-Timestamp", str(TS)], good[1][2]], expected=r.expected(good[2]))
    cor.add("two different x-port-timestamp headers (the signature matches the first)", ["MultipleHeaders"], d, good,
            headers=good[1][:2] + [["x-port-timestamp", str(TS + 1)], good[1][2]], error="invalid_signature")
    cor.add("x-port-timestamp changed after signing", ["Tampered"], d, good,
            headers=set_header(good[1], "x-port-timestamp", str(TS + 1)), error="invalid_signature")
    dv = port_delivery(body, ts=" %d " % TS)
    cor.add("timestamp \" 1764583190 \" (signed as is): surrounding spaces allowed", ["BadTimestamp"], d, dv,
            expected=r.expected(dv[2]))
    dv = port_delivery(body, ts=str(NOW - 300))
    cor.add("timestamp exactly 300 s old: within the tolerance", ["Tolerance"], d, dv, expected=r.expected(dv[2]))
    ra = standard("agent")
    cor.add("a port-agent webhook opened as delivery port: the raw body (\", \" separators) is not what was signed",
            ["WrongMode"], d, agent_delivery(ra.body()), error="invalid_signature")
    km = kafka_message(ra.body())
    cor.add("a Kafka message value opened as a port webhook with its X-Port-* values as headers", ["WrongMode"], d, km,
            headers=[["X-Port-Signature", km[2]["headers"]["X-Port-Signature"]],
                     ["X-Port-Timestamp", km[2]["headers"]["X-Port-Timestamp"]]], error="invalid_signature")
    cor.add("over maxBody and no signature headers: the size is checked first", ["MaxBody", "CheckOrder"], d, good,
            headers=[], options={"maxBody": 100}, error="malformed")
    cor.add("body exactly maxBody bytes", ["MaxBody"], d, good, options={"maxBody": len(good[0])},
            expected=r.expected(good[2]))
    cor.add("verifySignature false and no headers at all", ["SignatureOff"], d, good, headers=[],
            options={"verifySignature": False}, expected=r.expected(good[2]))
    dv = port_delivery(body, ts=str(NOW - 4000))
    cor.add("verifySignature false and a 4000 s old timestamp", ["SignatureOff"], d, dv,
            options={"verifySignature": False}, expected=r.expected(dv[2]))
    cor.add("the run has a client-side input but the Decryptor has no private key", ["NoPrivateKey"], d, good,
            error="invalid_key", input_name="vendor_key", key=False)
    cor.add("a JSON array as the body, signed", ["PropertiesMissing"], d, port_delivery([body]), error="malformed")

    rc = Run("port")
    for name in ("vendor_a", "vendor_b", "vendor_c"):
        rc.secret(name, "sk_" + name, {"algorithm": "client-side", "key": PUB})
    rc.props["vendor_b"] = None
    rc.exp["vendor_b"] = None
    dv = port_delivery(rc.body())
    cor.add("three client-side inputs, one null, maxClientSideInputs 2: null values are not counted",
            ["ClientSideCap"], d, dv, options={"maxClientSideInputs": 2}, expected=rc.expected(dv[2]))
    rc = Run("port")
    for name in ("vendor_a", "vendor_b", "vendor_c"):
        rc.secret(name, "sk_" + name, "client-side")
    rc.props["vendor_a"] = b64e(flip(base64.b64decode(rc.props["vendor_a"]), 0))
    cor.add("three client-side inputs, the first tampered, maxClientSideInputs 2: the cap is checked before any "
            "decryption", ["ClientSideCap", "CheckOrder"], d, port_delivery(rc.body()),
            options={"maxClientSideInputs": 2}, error="malformed", input_name="vendor_c")

    rd = standard("port")
    rd.defs["region"] = "eu-west-1"
    cor.add("a definition in payload.action.userInputs that is not an object: named, before any decryption",
            ["BadDefinitions", "CheckOrder"], d, port_delivery(rd.body()), error="malformed", input_name="region")
    b = r.body()
    b["payload"]["action"]["userInputs"] = "db_password"
    cor.add("payload.action.userInputs is a string", ["BadDefinitions"], d, port_delivery(b), error="malformed")
    cor.add("options.userInputs is a list holding a number", ["BadDefinitions"], d, good,
            options={"userInputs": ["db_password", 5]}, error="malformed")
    r4 = Run("port", user_inputs=False).secret("db_password", "hunter2")
    r4.payload_extra = {"censoredProperties": "db_password"}
    cor.add("payload.censoredProperties is a string", ["BadDefinitions"], d, port_delivery(r4.body()), error="malformed")
    r4 = Run("port", user_inputs=False).secret("db_password", "hunter2")
    r4.payload_extra = {"censoredProperties": ["db_password"], "encryptedProperties": ["nope"]}
    dv = port_delivery(r4.body())
    cor.add("both censoredProperties and encryptedProperties: censoredProperties is used",
            ["DefinitionsFromNames"], d, dv, expected=r4.expected(dv[2]))
    r4 = Run("port", user_inputs=False).secret("legacy", "old-token", "fernet").plain("region", "eu")
    r4.payload_extra = {"encryptedProperties": ["legacy"]}
    dv = port_delivery(r4.body())
    cor.add("names list with defaultEncryption fernet", ["DefinitionsFromNames", "DefaultEncryption"], d, dv,
            options={"defaultEncryption": "fernet"}, expected=r4.expected(dv[2]))
    r4 = Run("port", user_inputs=False).secret("vendor_key", "sk_1", "client-side")
    dv = port_delivery(r4.body())
    cor.add("names list with defaultEncryption \"rot13\": the first input with a value is named", ["DefaultEncryption"],
            d, dv, options={"userInputs": ["missing_input", "vendor_key"], "defaultEncryption": "rot13"},
            error="unsupported_encryption", input_name="vendor_key")

    # other pointers (RFC 6901, with an escaped '/')
    rp = Run("port", user_inputs=False).secret("db_password", "hunter2").plain("region", "eu")
    b = rp.body()
    b["payload"]["run/inputs"] = b["payload"].pop("properties")
    b["payload"]["definitions"] = {"db_password": {"type": "string", "encryption": "aes256-gcm"}}
    dv = port_delivery(b)
    cor.add("propertiesPointer /payload/run~1inputs and userInputsPointer /payload/definitions (a bare properties map)",
            ["Pointer"], d, dv, options={"propertiesPointer": "/payload/run~1inputs", "userInputsPointer": "/payload/definitions"},
            expected=rp.expected(dv[2], ("payload", "run/inputs")))
    rp = Run("port", user_inputs=False).secret("db_password", "hunter2").plain("region", "eu")
    b = {"inputs": rp.props, "censoredProperties": ["db_password"], "runId": "r_1"}
    dv = port_delivery(b)
    cor.add("propertiesPointer /inputs: the names list is read from the root object", ["Pointer", "DefinitionsFromNames"],
            d, dv, options={"propertiesPointer": "/inputs"}, expected=rp.expected(dv[2], ("inputs",)))

    # ---- port-agent webhooks
    d = "agent"
    r = standard("agent")
    body = r.body()
    good = agent_delivery(body)
    rp = standard("port")
    dv = port_delivery(rp.body(), style="pretty")
    cor.add("a Port webhook with a pretty-printed body opened as delivery agent: the compact re-serialization is not "
            "what was signed", ["WrongMode"], d, dv, error="invalid_signature")
    dv = port_delivery(rp.body(), style="compact-ascii")
    cor.add("a Port webhook whose body is compact with \\u escapes, opened as delivery agent: that body is exactly its "
            "own re-serialization, so it verifies", ["WrongMode", "ReSerialized"], d, dv, expected=rp.expected(dv[2]))
    dv = port_delivery(rp.body())
    cor.add("a Port webhook, compact with raw non-ASCII, opened as delivery agent: the re-serialization escapes it",
            ["WrongMode"], d, dv, error="invalid_signature")
    raw = json.dumps(body, indent=3).encode("utf-8")
    raw = replace_once(raw, b'"maxBytes": 1e+16', b'"maxBytes": 10000000000000000.0')
    raw = replace_once(raw, b'"cpu": 1.5', b'"cpu": 1.50')
    raw = replace_once(raw, b'"relations"', b'"r\\u0065lations"')
    cor.add("the agent's body re-formatted in transit (indented, 1e+16 as 10000000000000000.0, 1.5 as 1.50, a key "
            "with a \\u escape): still verifies, the HMAC is over the re-serialization", ["ReSerialized"], d,
            (raw, good[1], body), expected=r.expected(body))
    km = kafka_message(body)
    cor.add("a Kafka message value opened as an agent webhook with its X-Port-* values as headers", ["WrongMode"], d, km,
            headers=[["X-Port-Signature", km[2]["headers"]["X-Port-Signature"]],
                     ["X-Port-Timestamp", km[2]["headers"]["X-Port-Timestamp"]]], error="invalid_signature")

    # ---- Kafka messages
    d = "kafka"
    r = standard("agent")
    body = r.body()
    for what, kw in (("headers as the first key", {"headers_first": True}),
                     ("pretty-printed message value", {"style": "pretty"})):
        dv = kafka_message(body, **kw)
        cor.add("%s: the HMAC is over the compact re-serialization" % what, ["ReSerialized"], d, dv,
                expected=r.expected(dv[2]))
    extra = {"Content-Type": "application/json", "X-Request-Id": "req-7Ü"}
    dv = kafka_message(body, extra_headers=extra)
    cor.add("headers with other keys: they stay in the signed text and in the run", ["ExtraHeaders"], d, dv,
            expected=r.expected(dv[2]))
    m = copy.deepcopy(dv[2])
    m["headers"]["X-Request-Id"] = "req-8"
    cor.add("headers with other keys, one changed after signing", ["ExtraHeaders", "Tampered"], d,
            (compact(m).encode("utf-8"), None, m), error="invalid_signature")
    dv = kafka_message(body, ts=TS)
    cor.add("X-Port-Timestamp is a JSON integer: its decimal text is signed", ["IntegerTimestamp"], d, dv,
            expected=r.expected(dv[2]))
    m = copy.deepcopy(dv[2])
    m["headers"]["X-Port-Timestamp"] = float(TS)
    cor.add("X-Port-Timestamp is a JSON float", ["IntegerTimestamp"], d, (compact(m).encode("utf-8"), None, m),
            error="invalid_signature")
    dv = kafka_message(body, ts=TS - 400)
    cor.add("X-Port-Timestamp a JSON integer 400 s old", ["IntegerTimestamp", "Expired"], d, dv, error="expired")
    rg = standard(gitlab_kind)
    bg = rg.body()
    dv = kafka_message(bg)
    cor.add("GITLAB invocation: the signer removed headers entirely", ["Gitlab"], d, dv, expected=rg.expected(dv[2]))
    dv = kafka_message(bg, extra_headers={"X-Gitlab-Token": "glt-xyz"})
    cor.add("GITLAB invocation with another header key: headers removed entirely, so it is not signed", ["Gitlab"], d, dv,
            expected=rg.expected(dv[2]))
    cor.add("GITLAB invocation signed as a webhook (an empty headers object left in the signed text)", ["Gitlab"], d,
            kafka_message(bg, signed_as="webhook"), error="invalid_signature")
    cor.add("WEBHOOK invocation signed as GITLAB (headers removed entirely)", ["Gitlab"], d,
            kafka_message(body, signed_as="gitlab"), error="invalid_signature")
    good = kafka_message(body)
    m = copy.deepcopy(good[2])
    m["headers"] = {k.lower(): v for k, v in m["headers"].items()}
    cor.add("header keys in lower case (inside the message the case is exact)", ["HeaderCase"], d,
            (compact(m).encode("utf-8"), None, m), error="invalid_signature")
    m = copy.deepcopy(good[2])
    del m["headers"]
    cor.add("no headers key", ["MissingHeader"], d, (compact(m).encode("utf-8"), None, m), error="invalid_signature")
    cor.add("no headers key, verifySignature false", ["SignatureOff"], d, (compact(m).encode("utf-8"), None, m),
            options={"verifySignature": False}, expected=r.expected(m))
    m = copy.deepcopy(good[2])
    m["headers"] = "X-Port-Signature: " + good[2]["headers"]["X-Port-Signature"]
    cor.add("headers is a string", ["MissingHeader"], d, (compact(m).encode("utf-8"), None, m), error="invalid_signature")
    cor.add("the message value is a JSON array", ["PropertiesMissing"], d,
            (compact([good[2]]).encode("utf-8"), None, None), error="malformed")
    cor.add("an agent webhook body (no headers key) opened as a Kafka message", ["WrongMode"], d,
            (agent_delivery(body)[0], None, None), error="invalid_signature")

    notes = {
        "Realistic": "a realistic Port run: payload.action.userInputs with aes256-gcm string and object inputs, a "
                     "client-side input carrying the action's public key and a plain input; unrelated fields with "
                     "non-ASCII text, a \"__proto__\" key, control characters, U+2028, a big integer and the floats "
                     "1e16, 1e-05, 1.5, 0.1, -0.0",
        "Tampered": "the delivery changed after signing (one byte of the body, the timestamp, a header value): "
                    "invalid_signature",
        "Expired": "authentic, but the timestamp is more than tolerance seconds from now (past or future): expired",
        "Tolerance": "|now - timestamp| within (or equal to) the tolerance: valid",
        "WrongSecret": "signed with another client secret: invalid_signature",
        "MissingHeader": "the signature or the timestamp is missing or empty (kafka: headers missing or not an "
                         "object): invalid_signature",
        "BadTimestamp": "a timestamp that is not an integer, signed as is (the HMAC matches): invalid_signature; "
                        "surrounding spaces are allowed",
        "MultipleSignatures": "several space-separated v1 entries, one matching: valid",
        "MultipleHeaders": "several headers of one name: signatures joined by a space; timestamps must all be equal",
        "HeaderCase": "webhook header names are case-insensitive; the keys inside a Kafka message's headers are exact",
        "BodyLayout": "the same run as differently formatted bytes: a Port webhook is verified over its raw bytes",
        "ReSerialized": "agent and kafka verify the HMAC over Python's json.dumps of the parsed JSON, not the raw "
                        "bytes: layout, number spelling and escapes in transit do not matter",
        "WrongMode": "a delivery opened with another delivery mode",
        "NotJson": "the body (or message value) is not JSON; for webhooks signed correctly over the raw bytes: "
                   "invalid_json",
        "NonUtf8Body": "the body is not UTF-8 (the test has bodyHex instead of body): invalid_json",
        "PropertiesMissing": "nothing at propertiesPointer (or the body is not an object): malformed, no input name",
        "PropertiesNotObject": "the value at propertiesPointer is not an object: malformed, no input name",
        "DefinitionsFromOptions": "the definitions come from options.userInputs (an object)",
        "DefinitionsFromNames": "the definitions are a list of names (options.userInputs as an array, or the "
                                "properties' parent's censoredProperties, else encryptedProperties), each with "
                                "defaultEncryption and no type: decrypted to text",
        "NoDefinitions": "no userInputs in options or the body and no names list: malformed, no input name",
        "BadDefinitions": "definitions of the wrong shape (not an object, names list not all strings): malformed",
        "DefaultEncryption": "options.defaultEncryption for a names list",
        "SignatureOff": "verifySignature false: step 2 is skipped entirely (headers, timestamp, signature)",
        "BadInput": "a secret input fails to decrypt: that input's error, named",
        "NoPrivateKey": "a client-side input with a value and no private key (the test has no privateKey): "
                        "invalid_key, named",
        "ClientSideCap": "more client-side inputs with a value than maxClientSideInputs: malformed, naming the first "
                         "one past the cap, before any decryption",
        "MaxBody": "the body is longer than maxBody bytes: malformed, checked first",
        "CheckOrder": "two faults whose order the steps fix: the earlier step's error",
        "Pointer": "other propertiesPointer / userInputsPointer values (RFC 6901, ~1 for '/')",
        "ExtraHeaders": "a Kafka message's headers with keys other than X-Port-*: kept in the signed text and in "
                        "the run",
        "IntegerTimestamp": "a Kafka X-Port-Timestamp given as a JSON integer (its decimal text is signed); any "
                            "other non-string: invalid_signature",
        "Gitlab": "a Kafka message whose payload.action.invocationMethod.type is GITLAB: headers removed entirely "
                  "from the signed text",
    }
    return cor.tests, notes


def write(tests, notes):
    used = sorted({f for t in tests for f in t["flags"]})
    missing = [f for f in used if f not in notes]
    if missing:
        raise KeyError("flags without a note: %s" % missing)
    ordered = []
    for i, t in enumerate(tests):
        t = dict(t, tcId=i + 1)
        unknown = set(t) - set(RUN_FIELD_ORDER)
        if unknown:
            raise KeyError("unknown test fields %s" % sorted(unknown))
        ordered.append({k: t[k] for k in RUN_FIELD_ORDER if k in t})
    doc = {
        "schema": SCHEMA,
        "format": "run",
        "source": SOURCE,
        "generator": "tests/vectors/generate/" + GEN,
        "verifiedBy": VERIFIED,
        "numberOfTests": len(ordered),
        "notes": {f: notes[f] for f in used},
        "tests": ordered,
    }
    path = os.path.join(VEC_DIR, REL)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(doc))
    return doc


def main():
    tests, notes = gen()
    doc = write(tests, notes)
    counts = {}
    for t in doc["tests"]:
        counts[(t["delivery"], t["result"])] = counts.get((t["delivery"], t["result"]), 0) + 1
    summary = ", ".join("%s %d valid/%d invalid" % (d, counts.get((d, "valid"), 0), counts.get((d, "invalid"), 0))
                        for d in reference_runs.DELIVERIES)
    C.finish("gen_runs: %d run tests written (%s)" % (len(doc["tests"]), summary))


if __name__ == "__main__":
    main()
