#!/usr/bin/env python3
"""Bad input for Decryptor.decrypt_properties: properties/properties_invalid_test.json.

Every encrypted value is made here with pyca/cryptography (aes256-gcm, client-side, fernet).
Each case is written by hand: the inputs, and either the expected error code and input name
(from the rules in README.md, "decrypt_properties") or, for the valid controls, the expected
output, built here from the plaintexts that were encrypted (not by decrypting anything). Then
reference.py (the rules, on pyca) must give exactly that outcome, or the generator fails.
"""
import base64
import copy
import json
import os
import sys

import cryptography
from cryptography.fernet import Fernet

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402
from common import Checker, b64e, dumps, load_inputs, read_key, write_vectors  # noqa: E402
from gen_invalid import aes_value, cs_value, flip  # noqa: E402

PYCA = "pyca/cryptography %s" % cryptography.__version__
GEN = "gen_properties.py"
SOURCE = "written by gen_properties.py around values made with %s" % PYCA
VERIFIED = ["tests/vectors/generate/reference.py gives the expected error and input name, or the expected output"]
SECRETS, _ = load_inputs()
S = SECRETS["port64"]
KEY = "rsa2048_pkcs8.pem"
PUB = read_key("rsa2048_public.pem").decode("ascii")
PUB_B = read_key("rsa2048b_public.pem").decode("ascii")
C = Checker("gen_properties")


# ---------------------------------------------------------------- values

def aes(text):
    return b64e(aes_value(S, text if isinstance(text, bytes) else text.encode("utf-8")))


def fer(text):
    f = Fernet(base64.urlsafe_b64encode(S.encode("utf-8")[:32]))
    return f.encrypt(text if isinstance(text, bytes) else text.encode("utf-8")).decode("ascii")


def fer_tampered(text):
    raw = base64.urlsafe_b64decode(fer(text))
    return base64.urlsafe_b64encode(flip(raw, len(raw) - 1)).decode("ascii")


def cs(text, kid="rsa2048"):
    return b64e(cs_value(kid, text if isinstance(text, bytes) else text.encode("utf-8")))


ENCRYPT = {"aes256-gcm": aes, "fernet": fer, "client-side": cs}


NONE = object()  # "leave the field out" (None is JSON null)


def dfn(encryption="aes256-gcm", type_="string", **extra):
    """An input definition as in an action's userInputs.properties; encryption NONE: a plain
    input, type_ NONE: no type."""
    d = {"type": type_} if type_ is not NONE else {}
    if encryption is not NONE:
        d["encryption"] = encryption
    d.update(extra)
    return d


def user_inputs(defs, required=True):
    """An action's userInputs: the definitions under properties, with required and order."""
    ui = {"properties": defs}
    if required:
        ui["required"] = list(defs)
        ui["order"] = list(defs)
    return ui


class Run:
    """Builds a run's properties and, in parallel, the output expected from them."""

    def __init__(self):
        self.props, self.expected = {}, {}

    def enc(self, name, plaintext, encryption="aes256-gcm", parsed=NONE):
        """A secret input: `plaintext` encrypted; the output holds `parsed` (for object
        inputs) or the plaintext text."""
        algorithm = encryption if isinstance(encryption, str) else encryption["algorithm"]
        self.props[name] = ENCRYPT[algorithm](plaintext)
        self.expected[name] = plaintext if parsed is NONE else parsed
        return self

    def plain(self, name, value):
        """An input copied untouched (no encryption, null, or not defined)."""
        self.props[name] = value
        self.expected[name] = value
        return self

    def raw(self, name, value):
        """A value the expected output does not know (for invalid cases)."""
        self.props[name] = value
        return self


class Corpus:
    def __init__(self):
        self.tests = []

    def _add(self, t):
        t = copy.deepcopy(t)  # callers go on changing their dicts
        if "privateKey" in t:
            t["privateKey"] = KEY
        got = reference.run_properties(t)
        if t["result"] == "valid":
            ok = got[0] == "valid" and dumps(got[1]) == dumps(t["expected"])
            C.check(ok, "reference gives %s, expected the output: %s" % (str(got)[:200], t["comment"]))
        else:
            want = ("invalid", t["error"], t["input"])
            C.check(got == want, "reference gives %s, expected %s: %s" % (str(got)[:200], want, t["comment"]))
        self.tests.append(t)

    def valid(self, comment, flags, props, ui, expected, key=False):
        t = {"comment": comment, "flags": list(flags), "result": "valid", "clientSecret": S}
        if key:
            t["privateKey"] = KEY
        t.update(properties=props, userInputs=ui, expected=expected)
        self._add(t)

    def invalid(self, comment, flags, props, ui, error, input_name, key=False):
        t = {"comment": comment, "flags": list(flags), "result": "invalid", "clientSecret": S}
        if key:
            t["privateKey"] = KEY
        t.update(properties=props, userInputs=ui, error=error, input=input_name)
        self._add(t)


def nested(depth, leaf):
    """`leaf` inside `depth` arrays."""
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


# ---------------------------------------------------------------- cases

def gen():
    cor = Corpus()
    pw_def = {"db_password": dfn()}
    good = Run().enc("db_password", "hunter2").plain("name", "orders")

    # properties that are not an object
    for value, what in (([], "an empty array"), ([good.props], "an array holding the properties object"),
                        ("db_password", "a string"), ("", "an empty string"), (0, "the number 0"),
                        (42, "the number 42"), (1.5, "the number 1.5"), (-1, "the number -1"),
                        (None, "null"), (True, "true"), (False, "false")):
        cor.invalid("properties is %s" % what, ["PropertiesNotObject"], value, user_inputs(pw_def), "malformed", None)

    # userInputs that are not an object
    for value, what in (([], "an empty array"), ([pw_def], "an array holding the definitions"),
                        ("aes256-gcm", "a string"), (0, "the number 0"), (None, "null"), (True, "true"),
                        (False, "false")):
        cor.invalid("userInputs is %s" % what, ["UserInputsNotObject"], good.props, value, "malformed", None)
    cor.invalid("properties and userInputs both empty arrays", ["PropertiesNotObject", "UserInputsNotObject"],
                [], [], "malformed", None)

    # the accepted forms of userInputs, and shapes that are not definitions
    r = Run().enc("db_password", "hunter2").plain("name", "orders")
    cor.valid("userInputs as the action has it (properties, required, order)", ["UserInputsForm"],
              r.props, user_inputs({"db_password": dfn(), "name": dfn(NONE)}), r.expected)
    cor.valid("userInputs as {properties} alone", ["UserInputsForm"],
              r.props, {"properties": {"db_password": dfn(), "name": dfn(NONE)}}, r.expected)
    cor.valid("userInputs as the properties map itself", ["UserInputsForm"],
              r.props, {"db_password": dfn(), "name": dfn(NONE)}, r.expected)
    r2 = Run().enc("properties", "an input called properties")
    cor.valid("an input named 'properties', in the bare properties map", ["UserInputsForm"],
              r2.props, {"properties": dfn()}, r2.expected)
    cor.valid("an input named 'properties', inside userInputs", ["UserInputsForm"],
              r2.props, user_inputs({"properties": dfn()}), r2.expected)
    cor.valid("empty userInputs: nothing to decrypt, properties copied", ["UserInputsForm"],
              good.props, {}, good.props)
    cor.valid("empty properties: nothing to decrypt", ["UserInputsForm"], {}, user_inputs(pw_def), {})
    for value, what in (("string", "a string"), (5, "a number"), (None, "null"), ([], "an array"),
                        ([pw_def], "an array of definitions")):
        cor.invalid("userInputs.properties is %s: userInputs is then the properties map, and its definition "
                    "of 'properties' is not an object" % what, ["PropertiesMapNotObject"],
                    good.props, {"properties": value, "required": ["db_password"]}, "malformed", "properties")
    r = Run().enc("db_password", "hunter2").plain("note", "x")
    for value, what in ((5, "a number"), ("aes256-gcm", "a string"), (None, "null"), ([], "an array")):
        cor.invalid("bare properties map, the definition of another input is %s" % what, ["DefinitionNotObject"],
                    r.props, {"db_password": dfn(), "note": value}, "malformed", "note")
    r = Run().plain("api_token", aes("tok_live_123"))
    cor.invalid("bare properties map, the secret input's definition is the string \"aes256-gcm\"",
                ["DefinitionNotObject"], r.props, {"api_token": "aes256-gcm"}, "malformed", "api_token")
    r = Run().plain("db_password", aes("hunter2")).plain("note", "x")
    cor.invalid("userInputs.properties holds a definition that is not an object: checked before any decryption",
                ["DefinitionNotObject", "CheckOrder"], r.props, user_inputs({"db_password": dfn(), "note": 5}),
                "malformed", "note")
    r = Run().plain("identifier", "deploy").enc("db_password", "hunter2")
    cor.invalid("the whole action given as userInputs (its identifier is not a definition)", ["DefinitionNotObject"],
                r.props, {"identifier": "deploy", "userInputs": user_inputs({"db_password": dfn()})},
                "malformed", "identifier")
    r = Run().plain("type", "postgres").enc("db_password", "hunter2")
    cor.valid("userInputs with an input named 'type' (its definition is an object, not a string type)",
              ["InputNamedType"],
              r.props, user_inputs({"type": dfn(NONE, enum=["postgres", "mysql"]), "db_password": dfn()}), r.expected)
    r = Run().enc("properties", "an input called properties")
    cor.valid("an input named 'properties' with only its type and encryption, in the bare properties map",
              ["UserInputsForm"], r.props, {"properties": {"type": "string", "encryption": "aes256-gcm"}}, r.expected)

    # an encrypted input whose value is not a string
    for value, what in ((0, "the number 0"), (42, "the number 42"), (-1, "the number -1"), (1.5, "the number 1.5"),
                        (True, "true"), (False, "false"), ({}, "an empty object"),
                        ({"value": aes("hunter2")}, "an object holding the encrypted value"), ([], "an empty array"),
                        ([aes("hunter2")], "an array holding the encrypted value")):
        cor.invalid("aes256-gcm input whose value is %s" % what, ["ValueNotString"],
                    {"name": "orders", "db_password": value}, user_inputs({"name": dfn(NONE), "db_password": dfn()}),
                    "malformed", "db_password")
    cor.invalid("client-side input whose value is a number", ["ValueNotString"], {"vendor_key": 7},
                user_inputs({"vendor_key": dfn({"algorithm": "client-side", "key": PUB})}), "malformed", "vendor_key", key=True)
    cor.invalid("client-side input whose value is an object", ["ValueNotString"], {"vendor_key": {"k": "v"}},
                user_inputs({"vendor_key": dfn("client-side")}), "malformed", "vendor_key", key=True)
    cor.invalid("fernet input whose value is an array", ["ValueNotString"], {"legacy": ["x"]},
                user_inputs({"legacy": dfn("fernet")}), "malformed", "legacy")
    cor.invalid("object-type input whose value is already a parsed object", ["ValueNotString"],
                {"config": {"host": "db", "password": "hunter2"}},
                user_inputs({"config": dfn(type_="object")}), "malformed", "config")
    cor.invalid("encrypted input whose value is an array nested 100 deep", ["ValueNotString", "DeepNesting"],
                {"db_password": nested(100, "x")}, user_inputs(pw_def), "malformed", "db_password")

    # null and absent values are skipped
    r = Run().plain("db_password", None).plain("name", "orders")
    cor.valid("encrypted input with a null value: skipped, null kept", ["NullSkipped"], r.props, user_inputs(pw_def), r.expected)
    r = Run().plain("name", "orders")
    cor.valid("encrypted input absent from properties: skipped, not added", ["NullSkipped"], r.props,
              user_inputs({"db_password": dfn(), "name": dfn(NONE)}), r.expected)
    r = Run().plain("vendor_key", None)
    cor.valid("client-side input with a null value and no private key configured: skipped", ["NullSkipped"],
              r.props, user_inputs({"vendor_key": dfn({"algorithm": "client-side", "key": PUB})}), r.expected)
    r = Run().plain("db_password", None)
    cor.valid("null value under an unsupported encryption: skipped before the encryption is read",
              ["NullSkipped", "CheckOrder"], r.props, user_inputs({"db_password": dfn("rot13")}), r.expected)
    cor.valid("absent value under a malformed encryption object: skipped", ["NullSkipped", "CheckOrder"],
              {}, user_inputs({"db_password": dfn({"algorithm": 5})}), {})

    # bad encryption
    bad_encryptions = (
        ("rot13", "unknown name \"rot13\""), ("AES256-GCM", "\"AES256-GCM\" (names are case-sensitive)"),
        ("", "an empty string"), ("client_side", "\"client_side\" (underscore)"),
        (" aes256-gcm", "\" aes256-gcm\" (leading space)"), ("aes-256-gcm", "\"aes-256-gcm\""),
        (5, "a number"), (True, "true"), (None, "null"), ([], "an empty array"), (["aes256-gcm"], "an array of a name"),
        ({}, "an empty object"), ({"algorithm": 5}, "an object whose algorithm is a number"),
        ({"algorithm": None}, "an object whose algorithm is null"), ({"algorithm": "rot13"}, "an object with an unknown algorithm"),
        ({"key": PUB}, "an object with a key but no algorithm"), ({"algorithm": "AES256-GCM"}, "an object with \"AES256-GCM\""),
    )
    for enc, what in bad_encryptions:
        cor.invalid("encryption is %s" % what, ["BadEncryption"], Run().enc("db_password", "hunter2").props,
                    user_inputs({"db_password": dfn(enc)}), "unsupported_encryption", "db_password")
    for key, what in ((5, "a number"), (True, "true"), ([], "an empty array"), ({}, "an empty object"),
                      ([PUB], "an array holding the PEM")):
        cor.invalid("client-side encryption whose key is %s" % what, ["BadKeyType"],
                    Run().enc("vendor_key", "sk_live_1", "client-side").props,
                    user_inputs({"vendor_key": dfn({"algorithm": "client-side", "key": key})}),
                    "unsupported_encryption", "vendor_key", key=True)
    cor.invalid("unsupported encryption and a number value: the value type is checked first",
                ["BadEncryption", "ValueNotString", "CheckOrder"], {"db_password": 5},
                user_inputs({"db_password": dfn("rot13")}), "malformed", "db_password")

    # encryption forms that work
    for enc, what, flags in (
            ({"algorithm": "client-side", "key": PUB}, "client-side with the matching public key", []),
            ({"algorithm": "client-side", "key": None}, "client-side with key null", []),
            ({"algorithm": "client-side"}, "client-side without key", []),
            ("client-side", "the bare string \"client-side\"", []),
            ({"algorithm": "client-side", "key": "not a PEM"}, "client-side whose key is not a PEM: ignored", ["KeyIgnored"]),
            ({"algorithm": "client-side", "key": PUB_B},
             "client-side whose key is another RSA public key: no match, the configured key is tried", ["KeyIgnored"])):
        r = Run().enc("vendor_key", "sk_live_1", "client-side")
        cor.valid("encryption is %s" % what, ["EncryptionForm"] + flags, r.props, user_inputs({"vendor_key": dfn(enc)}),
                  r.expected, key=True)
    for enc, what, flags in (({"algorithm": "aes256-gcm"}, "{\"algorithm\": \"aes256-gcm\"}", []),
                             ({"algorithm": "aes256-gcm", "key": 5}, "aes256-gcm with a key of the wrong type: the key "
                              "is only read for client-side", ["KeyIgnored"]),
                             ("fernet", "\"fernet\"", []), ({"algorithm": "fernet"}, "{\"algorithm\": \"fernet\"}", [])):
        r = Run().enc("db_password", "hunter2", enc)
        cor.valid("encryption is %s" % what, ["EncryptionForm"] + flags, r.props, user_inputs(pw_def | {"db_password": dfn(enc)}),
                  r.expected)

    # no private key for a client-side input
    cor.invalid("client-side input, the Decryptor has no private key", ["NoPrivateKey"],
                Run().enc("db_password", "hunter2").enc("vendor_key", "sk_live_1", "client-side").props,
                user_inputs({"db_password": dfn(), "vendor_key": dfn({"algorithm": "client-side", "key": PUB})}),
                "invalid_key", "vendor_key")

    # decryption errors, attributed to the input
    base = aes_value(S, b"hunter2")
    while "+" not in b64e(base):
        base = aes_value(S, b"hunter2")
    v = b64e(base)
    bad_values = (
        ("aes256-gcm", b64e(flip(base, len(base) - 1)), "authentication_failed", "aes256-gcm value with a bit flipped in the tag"),
        ("aes256-gcm", b64e(aes_value(SECRETS["port64b"], b"hunter2")), "authentication_failed",
         "aes256-gcm value made with another client secret"),
        ("aes256-gcm", b64e(base[:20]), "malformed", "aes256-gcm value cut to 20 bytes"),
        ("aes256-gcm", v + "\n", "invalid_base64", "aes256-gcm value with a trailing newline"),
        ("aes256-gcm", "", "invalid_base64", "aes256-gcm input whose value is the empty string"),
        ("aes256-gcm", cs("hunter2"), "authentication_failed", "a client-side value under an aes256-gcm definition"),
        ("client-side", v, "malformed", "an aes256-gcm value (39 bytes) under a client-side definition"),
        ("client-side", b64e(flip(cs_value("rsa2048", b"sk_live_1"), 100)), "authentication_failed",
         "client-side value with a bit flipped in the wrapped key"),
        ("client-side", cs("sk_live_1", "rsa2048b"), "authentication_failed", "client-side value made for another key"),
        ("fernet", v, "invalid_base64", "an aes256-gcm value (with '+') under a fernet definition"),
        ("fernet", fer_tampered("hunter2"), "authentication_failed", "fernet token with its HMAC changed"),
    )
    for algorithm, value, code, what in bad_values:
        cor.invalid(what, ["DecryptError"], {"secret": value}, user_inputs({"secret": dfn(algorithm)}), code, "secret",
                    key=algorithm == "client-side")
    for algorithm in ("aes256-gcm", "client-side", "fernet"):
        for type_ in ("string", "object"):
            cor.invalid("%s %s input whose plaintext is not UTF-8" % (algorithm, type_), ["NonUtf8"],
                        {"secret": ENCRYPT[algorithm](b"\xff\xfe{}")}, user_inputs({"secret": dfn(algorithm, type_)}),
                        "invalid_utf8", "secret", key=algorithm == "client-side")

    # object-type inputs: the plaintext must be JSON
    deep = "[" * 5000 + "]" * 5000
    not_json = (
        ("hello", "plain text"), ("", "the empty string"), ("   \n", "only white space"), ("{", "an unclosed object"),
        ('{"a": 1,}', "a trailing comma"), ("{} x", "text after the object"), ("{'a': 1}", "single quotes"),
        ("// note\n{}", "a comment"), ("NaN", "NaN"), ('{"a": Infinity}', "Infinity"), ("1e400", "a number out of f64 range"),
        ("\ufeff{}", "a byte order mark before the object"), ('"\\ud800"', "a lone surrogate escape"),
        ('{"k": "a\\udc00"}', "a lone low surrogate escape in an object"), ('{"a": "x\u0001"}', "a raw control character in a string"),
        ("[" * 128 + "]" * 128, "arrays nested 128 deep (the limit is 127)"),
        (deep, "arrays nested 5000 deep"),
    )
    for text, what in not_json:
        flags = ["ObjectNotJson"] + (["DeepNesting"] if "nested" in what else [])
        cor.invalid("object-type input whose plaintext is %s" % what, flags, {"config": aes(text)},
                    user_inputs({"config": dfn(type_="object")}), "invalid_json", "config")
    cor.invalid("client-side object-type input whose plaintext is not JSON", ["ObjectNotJson"],
                {"config": cs("host=db")}, user_inputs({"config": dfn("client-side", "object")}), "invalid_json", "config", key=True)
    cor.invalid("fernet object-type input whose plaintext is not JSON", ["ObjectNotJson"],
                {"config": fer("{nope}")}, user_inputs({"config": dfn("fernet", "object")}), "invalid_json", "config")
    objects = (
        ('{"host":"db.internal","port":5432,"tls":true}', {"host": "db.internal", "port": 5432, "tls": True}, "an object", []),
        (' \n{"k": [1, 2, {"n": null}]}\r\n\t', {"k": [1, 2, {"n": None}]}, "an object with white space around it", []),
        ('{"ключ":"值 🔑","esc":"a\\u0000b\\n\\"q\\"","ratio":1.5}', {"ключ": "值 🔑", "esc": "a\u0000b\n\"q\"", "ratio": 1.5},
         "an object with Unicode, escapes and a float", []),
        ('{"k":1,"j":2,"k":3}', {"k": 3, "j": 2}, "an object with a duplicate key (the last value wins, first position)", []),
        ("{}", {}, "an empty object", []),
        ("[" * 100 + "1" + "]" * 100, nested(100, 1), "arrays nested 100 deep", ["DeepNesting"]),
        ("123", 123, "the number 123", ["ObjectAnyJson"]),
        ('[1,"a"]', [1, "a"], "an array", ["ObjectAnyJson"]),
        ('"text"', "text", "a JSON string", ["ObjectAnyJson"]),
        ("null", None, "null", ["ObjectAnyJson"]),
        ("true", True, "true", ["ObjectAnyJson"]),
    )
    for text, parsed, what, flags in objects:
        r = Run().enc("config", text, parsed=parsed)
        cor.valid("object-type input whose plaintext is %s" % what, ["ObjectParsed"] + flags, r.props,
                  user_inputs({"config": dfn(type_="object")}), r.expected)
    r = Run().enc("config", '{"a":1}', "client-side", parsed={"a": 1}).enc("old", '["x"]', "fernet", parsed=["x"])
    cor.valid("client-side and fernet object-type inputs", ["ObjectParsed"], r.props,
              user_inputs({"config": dfn("client-side", "object"), "old": dfn("fernet", "object")}), r.expected, key=True)
    for type_, what in (("Object", "\"Object\""), (5, "a number"), (NONE, "absent"), ("array", "\"array\"")):
        r = Run().enc("config", '{"a":1}')
        cor.valid("input with encryption whose type is %s: decrypted to text, not parsed" % what, ["TypeNotObject"],
                  r.props, user_inputs({"config": dfn(type_=type_)}), r.expected)

    # several inputs: the failing one is named
    names = ("db_password", "vendor_key", "legacy", "config")
    defs = {"db_password": dfn(), "vendor_key": dfn({"algorithm": "client-side", "key": PUB}),
            "legacy": dfn("fernet"), "config": dfn(type_="object"), "name": dfn(NONE)}
    for bad in names:
        r = Run().enc("db_password", "hunter2").enc("vendor_key", "sk_live_1", "client-side").enc("legacy", "old", "fernet")
        r.enc("config", '{"a":1}', parsed={"a": 1}).plain("name", "orders")
        props = dict(r.props)
        props[bad] = b64e(flip(base64.b64decode(props[bad]), 0)) if bad != "legacy" else fer_tampered("old")
        cor.invalid("four secret inputs, only %s tampered" % bad, ["OneBadAmongGood"], props, user_inputs(defs),
                    "authentication_failed", bad, key=True)
        props[bad] = 12345
        cor.invalid("four secret inputs, only %s a number" % bad, ["OneBadAmongGood"], props, user_inputs(defs),
                    "malformed", bad, key=True)
    cor.valid("the same four secret inputs, all good", ["OneBadAmongGood"], r.props, user_inputs(defs), r.expected, key=True)
    for name in ("pässwort 🔑", 'we"ird\\name\nwith newline', "", " "):
        r = Run().enc("ok", "fine").raw(name, aes("x")[:-2])
        cor.invalid("input named %s with a bad value, next to a good one" % json.dumps(name, ensure_ascii=False),
                    ["OneBadAmongGood", "InputName"], r.props, {"ok": dfn(), name: dfn()}, "invalid_base64", name)
    r = Run().enc("pässwort 🔑", "fine").enc("", "empty name")
    cor.valid("inputs named with non-ASCII and the empty name, decrypted", ["InputName"], r.props,
              {"pässwort 🔑": dfn(), "": dfn()}, r.expected)
    r = Run().raw("second", 5).raw("first", aes("x")[:-2])
    cor.invalid("two bad inputs: the first in the definitions' order is reported (not the properties' order)",
                ["TwoBad"], r.props, user_inputs({"first": dfn(), "second": dfn()}), "invalid_base64", "first")
    cor.invalid("two bad inputs, definitions in the other order", ["TwoBad"], r.props,
                user_inputs({"second": dfn(), "first": dfn()}), "malformed", "second")

    # many inputs
    many = 200
    r = Run()
    for i in range(many):
        r.enc("secret_%03d" % i, "v%d" % i)
    many_defs = user_inputs({"secret_%03d" % i: dfn() for i in range(many)}, required=False)
    cor.valid("%d aes256-gcm inputs" % many, ["ManyInputs"], r.props, many_defs, r.expected)
    props = dict(r.props)
    props["secret_150"] = b64e(flip(base64.b64decode(props["secret_150"]), 20))
    cor.invalid("%d aes256-gcm inputs, secret_200 tampered" % many, ["ManyInputs"], props, many_defs,
                "authentication_failed", "secret_150")
    props = dict(r.props)
    props["secret_%03d" % (many - 1)] = None
    props["secret_%03d" % (many - 2)] = False
    cor.invalid("%d aes256-gcm inputs, the last null (skipped) and the one before false" % many, ["ManyInputs"],
                props, many_defs, "malformed", "secret_%03d" % (many - 2))
    r = Run()
    for i in range(1000):
        r.plain("f%04d" % i, i)
    r.enc("db_password", "hunter2")
    cor.valid("1000 plain inputs and one secret input", ["ManyInputs", "Untouched"], r.props,
              user_inputs({"f0000": dfn(NONE, type_="number"), "db_password": dfn()}), r.expected)

    # inputs without encryption are untouched
    r = Run().enc("db_password", "hunter2")
    r.plain("s", "text").plain("n", 42).plain("neg", -7).plain("f", 0.25).plain("t", True).plain("fa", False)
    r.plain("nul", None).plain("arr", [1, "two", None, {"x": []}]).plain("obj", {"a": {"b": "c"}})
    r.plain("uni", "ünï 😀 \u2028 \u0000").plain("looks_encrypted", aes("not decrypted")).plain("undefined_input", "kept")
    r.plain("object_json_text", '{"a":1}').plain("deep", nested(100, {"leaf": "x"}))
    ui = user_inputs({"db_password": dfn(), "s": dfn(NONE), "n": dfn(NONE, "number"), "neg": dfn(NONE, "number"),
                      "f": dfn(NONE, "number"), "t": dfn(NONE, "boolean"), "fa": dfn(NONE, "boolean"),
                      "nul": dfn(NONE), "arr": dfn(NONE, "array"), "obj": dfn(NONE, "object"), "uni": dfn(NONE),
                      "looks_encrypted": dfn(NONE), "object_json_text": dfn(NONE, "object"), "deep": dfn(NONE, "array")})
    cor.valid("one secret input among inputs of every JSON type without encryption (copied untouched, even a "
              "string that looks encrypted, JSON text under type object, 100-deep arrays)",
              ["Untouched", "DeepNesting"], r.props, ui, r.expected)
    r = Run().enc("db_password", "hunter2").plain("name", "orders")
    cor.valid("definitions with extra fields nested 100 deep (ignored)", ["Untouched", "DeepNesting"], r.props,
              user_inputs({"db_password": dfn(default=nested(100, "x")), "name": dfn(NONE, enum=nested(50, "orders"))}),
              r.expected)
    r = Run().enc("db_password", "hunter2").enc("vendor_key", "sk_live_1", "client-side").enc("legacy", "old", "fernet")
    r.enc("config", '{"host":"db"}', parsed={"host": "db"}).plain("name", "orders")
    cor.valid("every encryption in one run, with a plain input", ["Untouched"], r.props, user_inputs(defs), r.expected, key=True)

    notes = {
        "PropertiesNotObject": "properties is not a JSON object: malformed, no input name",
        "UserInputsNotObject": "userInputs is not a JSON object: malformed, no input name (properties is checked first)",
        "UserInputsForm": "the forms of userInputs: the action's userInputs (with properties) or that properties map",
        "PropertiesMapNotObject": "userInputs.properties is not an object, so userInputs itself is the properties map, "
                                  "where 'properties' is a definition that is not an object: malformed, named",
        "DefinitionNotObject": "an input definition that is not an object: malformed, named (never skipped, which would "
                               "leave a secret encrypted), before any value is decrypted",
        "InputNamedType": "an input named 'type' in userInputs.properties: its definition is an object, so "
                          "userInputs.properties is still the map of definitions",
        "ValueNotString": "an encrypted input whose value is not a string (nor null): malformed, named",
        "NullSkipped": "an encrypted input whose value is null or absent is skipped (null kept, absent not added)",
        "CheckOrder": "per input: value absent/null (skip), then value type (malformed), then encryption, then decryption",
        "BadEncryption": "encryption is not \"aes256-gcm\", \"fernet\", \"client-side\" or an object whose algorithm is one "
                         "of them: unsupported_encryption, named",
        "BadKeyType": "client-side encryption whose key is neither a string nor null: unsupported_encryption, named",
        "EncryptionForm": "accepted forms of encryption",
        "KeyIgnored": "a key that is not a matching PEM (or on a non-client-side encryption) does not matter",
        "NoPrivateKey": "a client-side input with a value, but no private key configured: invalid_key, named "
                        "(the test has no privateKey)",
        "DecryptError": "the value fails to decrypt: the error of the single-value decrypt, named",
        "NonUtf8": "authentic plaintext that is not UTF-8: invalid_utf8, named (string and object inputs)",
        "ObjectNotJson": "type object: the plaintext is not JSON (RFC 8259, no NaN/Infinity, no lone surrogates, "
                         "finite numbers, nesting at most 127): invalid_json, named",
        "ObjectParsed": "type object: the plaintext is parsed as JSON",
        "ObjectAnyJson": "type object whose plaintext is JSON but not an object: returned as parsed (what the core does; "
                         "see README, open point 10)",
        "TypeNotObject": "type is not exactly \"object\": the plaintext is returned as text",
        "DeepNesting": "deeply nested JSON (at most 104 levels in this file, so every JSON parser here reads it)",
        "OneBadAmongGood": "several secret inputs, one of them bad: the error names that one",
        "InputName": "input names with non-ASCII, quotes, backslash, newline, space, or empty: reported byte for byte",
        "TwoBad": "two bad inputs: the first in the order of the definitions is reported",
        "ManyInputs": "many inputs in one run",
        "Untouched": "inputs without encryption (or not defined) are copied as they are",
    }
    return write_vectors("properties/properties_invalid_test.json", "properties", SOURCE, GEN, VERIFIED, notes, cor.tests)


def main():
    n = gen()
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "properties", "properties_invalid_test.json"), encoding="utf-8") as f:
        doc = json.load(f)
    valid = sum(t["result"] == "valid" for t in doc["tests"])
    C.finish("gen_properties: %d properties tests written (%d invalid, %d valid controls)" % (n, n - valid, valid))


if __name__ == "__main__":
    main()
