#!/usr/bin/env python3
"""Valid vectors made with pyca/cryptography (aes256-gcm, client-side, fernet) and with the Python
stdlib (hmac + hashlib + base64: webhook signatures).

Self-checks: every valid aes256-gcm / client-side value is decrypted with pycryptodome; every fernet
token is opened by a hand-written Fernet (stdlib hmac + pycryptodome AES-CBC) and, for ttl cases,
checked with pyca's Fernet.decrypt_at_time; every signature is recomputed with pyca's HMAC.
"""
import base64
import hashlib
import hmac
import json
import os
import platform
import struct
import sys

import Crypto
import cryptography
from Crypto.Cipher import AES, PKCS1_OAEP
from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from Crypto.Util.Padding import unpad
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, hmac as pyca_hmac, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import COMMON_NOTES, Checker, b64e, load_inputs, make_test, pt_flags, read_key, write_vectors  # noqa: E402

PYCA = "pyca/cryptography %s" % cryptography.__version__
PYCRYPTODOME = "pycryptodome %s" % Crypto.__version__
GEN = "gen_pyca.py"
SECRETS, PLAINTEXTS = load_inputs()
PT = dict(PLAINTEXTS)
C = Checker("gen_pyca")

# ---------------------------------------------------------------- aes256-gcm

def aes_encrypt(secret, data):
    iv = os.urandom(16)
    return b64e(iv + AESGCM(secret.encode("utf-8")[:32]).encrypt(iv, data, None))


def aes_check(value, secret, data, what):
    raw = base64.b64decode(value, validate=True)
    try:
        c = AES.new(secret.encode("utf-8")[:32], AES.MODE_GCM, nonce=raw[:16])
        out = c.decrypt_and_verify(raw[16:-16], raw[-16:])
    except ValueError as e:
        out = repr(e)
    C.check(out == data, "aes256-gcm pycryptodome decrypt: " + what)


def gen_aes():
    tests = []

    def add(comment, flags, secret_name, data, decrypt_with=None):
        secret = SECRETS[secret_name]
        value = aes_encrypt(secret, data)
        dsecret = SECRETS[decrypt_with or secret_name]
        aes_check(value, dsecret, data, comment)
        tests.append(make_test(comment, flags, "valid", {"clientSecret": dsecret, "value": value}, data))

    for name, data in PLAINTEXTS:
        add("plaintext %s, 64-character secret" % name, pt_flags(name, data), "port64", data)
    for name in ("empty", "ascii", "unicode", "bin_fffe0080"):
        add("plaintext %s, secret of exactly 32 bytes" % name, ["Secret32Bytes"] + pt_flags(name, PT[name]), "exact32", PT[name])
    for name in ("ascii", "json_object"):
        add("plaintext %s, secret with non-ASCII characters after byte 32" % name,
            ["SecretNonAsciiTail"] + pt_flags(name, PT[name]), "nonAsciiTail", PT[name])
    add("encrypted with port64, decrypted with a secret sharing its first 32 bytes", ["SecretTailIgnored", "Ascii"],
        "port64", PT["ascii"], decrypt_with="samePrefix")
    add("secret with non-ASCII characters inside its first 32 bytes (key = first 32 UTF-8 bytes)",
        ["SecretNonAsciiKey", "Ascii"], "nonAsciiKey", PT["ascii"])
    notes = dict(COMMON_NOTES)
    notes.update({
        "Secret32Bytes": "client secret of exactly 32 bytes (the whole secret is the key)",
        "SecretNonAsciiTail": "client secret with multi-byte UTF-8 characters after byte 32 (they are not part of the key)",
        "SecretTailIgnored": "the value was made with another secret that has the same first 32 bytes: only the first 32 bytes are the key",
        "SecretNonAsciiKey": "client secret with multi-byte characters inside its first 32 bytes; the key is the first 32 UTF-8 bytes (not 32 characters; byte 32 falls on a character boundary)",
    })
    return write_vectors("aes256_gcm/aes256_gcm_pyca_test.json", "aes256-gcm", PYCA + " (AESGCM, 16-byte IV)", GEN,
                         [PYCRYPTODOME + " (AES.new(key, MODE_GCM, nonce=iv).decrypt_and_verify)"], notes, tests)


# ---------------------------------------------------------------- client-side

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def cs_encrypt(public_pem, data):
    pub = serialization.load_pem_public_key(public_pem)
    aes_key = os.urandom(32)
    iv = os.urandom(12)
    wrapped = pub.encrypt(aes_key, OAEP)
    return b64e(iv + wrapped + AESGCM(aes_key).encrypt(iv, data, None))


def cs_check(value, private_name, data, what):
    raw = base64.b64decode(value, validate=True)
    key = RSA.import_key(read_key(private_name))
    k = key.size_in_bytes()
    try:
        aes_key = PKCS1_OAEP.new(key, hashAlgo=SHA256).decrypt(raw[12:12 + k])
        out = AES.new(aes_key, AES.MODE_GCM, nonce=raw[:12]).decrypt_and_verify(raw[12 + k:-16], raw[-16:])
    except ValueError as e:
        out = repr(e)
    C.check(out == data, "client-side pycryptodome decrypt: " + what)


def gen_client_side():
    tests = []

    def add(comment, flags, kid, private_file, data):
        public_file = kid + "_public.pem"
        value = cs_encrypt(read_key(public_file), data)
        cs_check(value, private_file, data, comment)
        tests.append(make_test(comment, flags, "valid",
                               {"privateKey": private_file, "publicKey": public_file, "value": value}, data))

    for name, data in PLAINTEXTS:
        add("RSA 2048 (PKCS#8), plaintext %s" % name, ["Rsa2048"] + pt_flags(name, data), "rsa2048", "rsa2048_pkcs8.pem", data)
    subset = ("empty", "ascii17", "unicode", "json_object", "bin_fffe0080")
    for name in subset:
        add("RSA 2048 (PKCS#1 private key), plaintext %s" % name, ["Rsa2048", "Pkcs1"] + pt_flags(name, PT[name]),
            "rsa2048", "rsa2048_pkcs1.pem", PT[name])
    add("RSA 2048 (PKCS#8 file with CRLF line endings)", ["Rsa2048", "CrlfPem", "Ascii"], "rsa2048", "rsa2048_pkcs8_crlf.pem", PT["ascii"])
    for name in ("ascii", "multiline_lf"):
        add("second RSA 2048 key (rsa2048b), plaintext %s" % name, ["Rsa2048", "SecondKey"] + pt_flags(name, PT[name]),
            "rsa2048b", "rsa2048b_pkcs8.pem", PT[name])
    add("second RSA 2048 key (rsa2048b, PKCS#1)", ["Rsa2048", "SecondKey", "Pkcs1", "Ascii"], "rsa2048b", "rsa2048b_pkcs1.pem", PT["ascii"])
    for bits in (3072, 4096):
        kid = "rsa%d" % bits
        for name in ("empty", "a", "ascii31", "long1027", "multiline_crlf", "unicode", "json_object", "nul_inside", "bin_c328"):
            add("RSA %d (PKCS#8), plaintext %s" % (bits, name), ["Rsa%d" % bits] + pt_flags(name, PT[name]),
                kid, kid + "_pkcs8.pem", PT[name])
        for name in ("ascii", "unicode"):
            add("RSA %d (PKCS#1 private key), plaintext %s" % (bits, name), ["Rsa%d" % bits, "Pkcs1"] + pt_flags(name, PT[name]),
                kid, kid + "_pkcs1.pem", PT[name])
    notes = dict(COMMON_NOTES)
    notes.update({
        "Rsa2048": "RSA 2048-bit key: wrapped key is 256 bytes",
        "Rsa3072": "RSA 3072-bit key: wrapped key is 384 bytes",
        "Rsa4096": "RSA 4096-bit key: wrapped key is 512 bytes",
        "Pkcs1": "private key file in PKCS#1 (BEGIN RSA PRIVATE KEY)",
        "CrlfPem": "private key PEM with CRLF line endings",
        "SecondKey": "made for rsa2048b (the second 2048-bit key; rotation: a Decryptor holding rsa2048 and rsa2048b must decrypt it)",
    })
    return write_vectors("client_side/client_side_pyca_test.json", "client-side",
                         PYCA + " (RSA OAEP SHA-256/MGF1-SHA-256 + AESGCM, 12-byte IV)", GEN,
                         [PYCRYPTODOME + " (PKCS1_OAEP.new(key, hashAlgo=SHA256) + AES MODE_GCM)"], notes, tests)


# ---------------------------------------------------------------- fernet

T0 = 1767225600  # 2026-01-01T00:00:00Z


def fernet_for(secret):
    # key = URL-safe base64 of the first 32 BYTES of the secret (same as secret[:32] for ASCII secrets)
    return Fernet(base64.urlsafe_b64encode(secret.encode("utf-8")[:32]))


def fernet_manual_open(token, secret):
    """Independent Fernet verify: stdlib HMAC + pycryptodome AES-CBC."""
    key = secret.encode("utf-8")[:32]
    raw = base64.urlsafe_b64decode(token)
    if raw[0] != 0x80 or not hmac.compare_digest(hmac.new(key[:16], raw[:-32], hashlib.sha256).digest(), raw[-32:]):
        return None
    pt = AES.new(key[16:], AES.MODE_CBC, iv=raw[9:25]).decrypt(raw[25:-32])
    return struct.unpack(">Q", raw[1:9])[0], unpad(pt, 16)


def gen_fernet():
    tests = []

    def add(comment, flags, secret_name, data, ts, ttl=None, now=None, expect=None, decrypt_with=None):
        secret = SECRETS[secret_name]
        token = fernet_for(secret).encrypt_at_time(data, ts).decode("ascii")
        dsecret = SECRETS[decrypt_with or secret_name]
        opened = fernet_manual_open(token, dsecret)
        C.check(opened == (ts, data), "fernet manual open: " + comment)
        inputs = {"clientSecret": dsecret, "token": token}
        if ttl is not None:
            inputs["ttl"] = ttl
            inputs["now"] = now
            try:
                got = fernet_for(dsecret).decrypt_at_time(token.encode(), ttl, now)
            except InvalidToken:
                got = "expired"
            C.check(got == (data if expect is None else expect), "pyca decrypt_at_time: " + comment)
        if expect is None:
            tests.append(make_test(comment, flags, "valid", inputs, data))
        else:
            tests.append(make_test(comment, flags, "invalid", inputs, error=expect))

    for i, (name, data) in enumerate(PLAINTEXTS):
        add("plaintext %s, no ttl" % name, pt_flags(name, data), "port64", data, T0 + i)
    for name in ("ascii", "unicode"):
        add("plaintext %s, secret of exactly 32 bytes" % name, ["Secret32Bytes"] + pt_flags(name, PT[name]), "exact32", PT[name], T0)
    add("secret with non-ASCII characters after byte 32", ["SecretNonAsciiTail", "Ascii"], "nonAsciiTail", PT["ascii"], T0)
    add("made with port64, decrypted with a secret sharing its first 32 bytes", ["SecretTailIgnored", "Ascii"],
        "port64", PT["ascii"], T0, decrypt_with="samePrefix")
    add("secret with non-ASCII characters inside its first 32 bytes (key = first 32 UTF-8 bytes)",
        ["SecretNonAsciiKey", "Ascii"], "nonAsciiKey", PT["ascii"], T0)
    a = PT["ascii"]
    add("ttl 300, now = timestamp", ["Ttl"], "port64", a, T0, 300, T0)
    add("ttl 300, now = timestamp + 300 (last valid second)", ["Ttl", "TtlBoundary"], "port64", a, T0, 300, T0 + 300)
    add("ttl 300, now = timestamp + 301", ["Ttl", "TtlBoundary"], "port64", a, T0, 300, T0 + 301, expect="expired")
    add("ttl 1, now = timestamp + 1", ["Ttl", "TtlBoundary"], "port64", a, T0, 1, T0 + 1)
    add("ttl 1, now = timestamp + 2", ["Ttl", "TtlBoundary"], "port64", a, T0, 1, T0 + 2, expect="expired")
    add("ttl 3600, token one day old", ["Ttl"], "port64", a, T0, 3600, T0 + 86400, expect="expired")
    add("ttl 300, token 60 s in the future (allowed clock skew)", ["Ttl", "ClockSkew"], "port64", a, T0 + 60, 300, T0)
    add("ttl 300, token 61 s in the future", ["Ttl", "ClockSkew"], "port64", a, T0 + 61, 300, T0, expect="expired")
    add("ttl 300, token one year in the future", ["Ttl", "ClockSkew"], "port64", a, T0 + 31536000, 300, T0, expect="expired")
    add("ttl 10 years, token from 1970 (timestamp 0)", ["Ttl", "ExtremeTimestamp"], "port64", a, 0, 315360000, T0, expect="expired")
    add("ttl 60 years, token from 1970 (timestamp 0)", ["Ttl", "ExtremeTimestamp"], "port64", a, 0, 1892160000, T0)
    add("no ttl: a token with timestamp 0 is valid", ["ExtremeTimestamp"], "port64", a, 0)
    add("no ttl: a token with timestamp 2^64-1 is valid", ["ExtremeTimestamp"], "port64", a, 2 ** 64 - 1)
    add("ttl 60, timestamp 2^64-1 (ts + ttl overflows 64 bits): far future", ["Ttl", "ClockSkew", "ExtremeTimestamp"],
        "port64", a, 2 ** 64 - 1, 60, T0, expect="expired")
    add("ttl 60, timestamp 2^63 (negative as a signed 64-bit number): far future", ["Ttl", "ClockSkew", "ExtremeTimestamp"],
        "port64", a, 2 ** 63, 60, T0, expect="expired")
    add("ttl 2^32, token 30 years old: within ttl", ["Ttl"], "port64", a, T0 - 946080000, 2 ** 32, T0)
    notes = dict(COMMON_NOTES)
    notes.update({
        "Secret32Bytes": "client secret of exactly 32 bytes",
        "SecretNonAsciiTail": "client secret with multi-byte UTF-8 characters after byte 32 (they are not part of the key)",
        "SecretTailIgnored": "the token was made with another secret that has the same first 32 bytes",
        "SecretNonAsciiKey": "client secret with multi-byte characters inside its first 32 bytes; Fernet key = urlsafe_b64(first 32 UTF-8 bytes)",
        "Ttl": "decrypt with ttl (seconds) at the given now (unix seconds): expired when timestamp + ttl < now",
        "TtlBoundary": "now exactly at, or one second past, timestamp + ttl",
        "ClockSkew": "token timestamp after now: allowed up to 60 s when a ttl is given, expired beyond",
        "ExtremeTimestamp": "timestamp 0, 2^63 or 2^64-1: watch for overflow and signedness",
    })
    return write_vectors("fernet/fernet_pyca_test.json", "fernet", PYCA + " (Fernet.encrypt_at_time)", GEN,
                         ["hand-written Fernet on Python hmac + " + PYCRYPTODOME + " AES-CBC",
                          PYCA + " Fernet.decrypt_at_time (ttl cases)"], notes, tests)


# ---------------------------------------------------------------- signature

NOW = 1767225600


def sign(secret, ts, body):
    mac = hmac.new(secret.encode("utf-8"), ("%s.%s" % (ts, body)).encode("utf-8"), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode("ascii")


def pyca_sign(secret, ts, body):
    h = pyca_hmac.HMAC(secret.encode("utf-8"), hashes.SHA256())
    h.update(ts.encode() + b"." + body.encode("utf-8"))
    return "v1," + base64.b64encode(h.finalize()).decode("ascii")


def gen_signature():
    tests = []
    run = {
        "action": {"identifier": "deploy_service", "userInputs": {"properties": {"db_password": {"type": "string", "encryption": "aes256-gcm"}}}},
        "context": {"runId": "r_AbC123xyz", "by": {"email": "dev@example.com"}},
        "payload": {"properties": {"db_password": "ZmFrZSBlbmNyeXB0ZWQgdmFsdWU=", "region": "eu-west-1"}},
    }
    body = json.dumps(run, separators=(",", ":"))
    body_spaced = json.dumps(run)
    body_unicode = json.dumps({"message": "déploiement 🚀 完了", "n": 1}, ensure_ascii=False, separators=(",", ":"))
    body_crlf = "line one\r\nline two\r\n"
    body_long = json.dumps({"items": ["item-%04d" % i for i in range(400)]}, separators=(",", ":"))
    s = SECRETS["port64"]

    def add(comment, flags, secret_name, body_, ts, sig, now=NOW, tolerance=300, expect=None):
        inputs = {"clientSecret": SECRETS[secret_name], "body": body_, "timestamp": ts, "signature": sig,
                  "now": now, "tolerance": tolerance}
        if expect is None:
            C.check(pyca_sign(SECRETS[secret_name], ts, body_) in sig.split(" "), "pyca HMAC agrees: " + comment)
            tests.append(make_test(comment, flags, "valid", inputs))
        else:
            tests.append(make_test(comment, flags, "invalid", inputs, error=expect))

    ts = str(NOW)
    good = sign(s, ts, body)
    C.check(good == pyca_sign(s, ts, body), "pyca HMAC agrees")
    add("compact JSON body, timestamp = now", ["Json"], "port64", body, ts, good)
    for name, b in (("spaced JSON", body_spaced), ("unicode JSON", body_unicode), ("CRLF text", body_crlf),
                    ("empty", ""), ("long JSON (~5 kB)", body_long)):
        sig = sign(s, ts, b)
        C.check(sig == pyca_sign(s, ts, b), "pyca HMAC agrees: " + name)
        add("%s body" % name, ["Body"], "port64", b, ts, sig)
    for sname in ("exact32", "nonAsciiTail", "nonAsciiKey"):
        sig = sign(SECRETS[sname], ts, body)
        C.check(sig == pyca_sign(SECRETS[sname], ts, body), "pyca HMAC agrees: " + sname)
        add("secret %s (HMAC key = whole secret)" % sname, ["WholeSecret"], sname, body, ts, sig)
    short = SECRETS["nonAsciiTail"]
    wrong32 = "v1," + base64.b64encode(hmac.new(short.encode()[:32], ("%s.%s" % (ts, body)).encode(), hashlib.sha256).digest()).decode()
    add("signed with only the first 32 bytes of the secret", ["WholeSecret"], "nonAsciiTail", body, ts, wrong32, expect="invalid_signature")
    add("signed with a secret sharing the first 32 bytes", ["WholeSecret"], "samePrefix", body, ts, good, expect="invalid_signature")
    add("signed with another secret", ["WrongSecret"], "port64b", body, ts, good, expect="invalid_signature")
    # time window
    for delta, tol, ok in ((-300, 300, True), (-301, 300, False), (300, 300, True), (301, 300, False),
                           (-60, 60, True), (-61, 60, False), (0, 0, True), (-1, 0, False), (1, 0, False),
                           (-86400, 300, False), (-3600, 7200, True)):
        t = str(NOW + delta)
        add("timestamp = now %+d, tolerance %d" % (delta, tol), ["Tolerance"], "port64", body, t, sign(s, t, body),
            tolerance=tol, expect=None if ok else "expired")
    tms = str(NOW * 1000)
    add("timestamp in milliseconds (correctly signed) is far from now in seconds", ["Tolerance"], "port64", body, tms,
        sign(s, tms, body), expect="expired")
    # header forms
    other = sign(SECRETS["port64b"], ts, body)
    add("two entries, the second one matches", ["MultipleEntries"], "port64", body, ts, other + " " + good)
    add("two entries, the first one matches", ["MultipleEntries"], "port64", body, ts, good + " " + other)
    add("three entries, none matches", ["MultipleEntries"], "port64", body, ts, other + " " + other + " v1,AAAA", expect="invalid_signature")
    add("v0 entry holding the right MAC", ["Prefix"], "port64", body, ts, "v0," + good[3:], expect="invalid_signature")
    add("upper-case V1 prefix", ["Prefix"], "port64", body, ts, "V1," + good[3:], expect="invalid_signature")
    add("MAC without the v1, prefix", ["Prefix"], "port64", body, ts, good[3:], expect="invalid_signature")
    add("v0 entry with the right MAC, then a wrong v1 entry", ["Prefix", "MultipleEntries"], "port64", body, ts,
        "v0," + good[3:] + " " + other, expect="invalid_signature")
    add("empty header", ["Malformed"], "port64", body, ts, "", expect="invalid_signature")
    add("only the prefix", ["Malformed"], "port64", body, ts, "v1,", expect="invalid_signature")
    add("MAC without base64 padding", ["Malformed"], "port64", body, ts, good.rstrip("="), expect="invalid_signature")
    mac = base64.b64decode(good[3:])
    add("MAC in hex instead of base64", ["Malformed"], "port64", body, ts, "v1," + mac.hex(), expect="invalid_signature")
    if "+" in good or "/" in good:
        add("MAC in URL-safe base64", ["Malformed"], "port64", body, ts, "v1," + base64.urlsafe_b64encode(mac).decode(),
            expect="invalid_signature")
    # what is signed
    add("JSON body re-serialized with spaces", ["BodyChanged"], "port64", body_spaced, ts, good, expect="invalid_signature")
    add("body with one byte changed", ["BodyChanged"], "port64", body.replace("eu-west-1", "eu-west-2"), ts, good, expect="invalid_signature")
    add("body with a trailing newline", ["BodyChanged"], "port64", body + "\n", ts, good, expect="invalid_signature")
    t1 = str(NOW + 1)
    add("timestamp header changed by one second", ["TimestampChanged"], "port64", body, t1, good, expect="invalid_signature")
    mac_body_only = "v1," + base64.b64encode(hmac.new(s.encode(), body.encode(), hashlib.sha256).digest()).decode()
    add("MAC of the body alone (timestamp not signed)", ["WrongMessage"], "port64", body, ts, mac_body_only, expect="invalid_signature")
    mac_sha1 = "v1," + base64.b64encode(hmac.new(s.encode(), ("%s.%s" % (ts, body)).encode(), hashlib.sha1).digest()).decode()
    add("HMAC-SHA1 instead of HMAC-SHA256", ["WrongMessage"], "port64", body, ts, mac_sha1, expect="invalid_signature")
    notes = {
        "Json": "a realistic Port action-run webhook body (compact JSON)",
        "Body": "other raw bodies: spaced JSON, non-ASCII UTF-8, CRLF, empty, long; the MAC covers the exact bytes",
        "WholeSecret": "the HMAC key is the whole client secret (UTF-8), not its first 32 bytes",
        "WrongSecret": "signature made with another client secret",
        "Tolerance": "valid when |now - timestamp| <= tolerance, expired otherwise (the signature itself is correct)",
        "MultipleEntries": "several space-separated entries: valid if any v1 entry matches",
        "Prefix": "only entries starting with exactly 'v1,' count",
        "Malformed": "header that cannot hold the right MAC",
        "BodyChanged": "the body differs from what was signed (the raw bytes are signed, not the parsed JSON)",
        "TimestampChanged": "x-port-timestamp differs from the signed one (within tolerance)",
        "WrongMessage": "MAC over another message or with another hash",
    }
    return write_vectors("signature/signature_hmac_test.json", "signature",
                         "Python %s stdlib (hmac, hashlib.sha256, base64)" % platform.python_version(), GEN,
                         [PYCA + " hazmat HMAC(SHA256) (recomputed every valid signature's MAC)"], notes, tests)


def main():
    counts = [gen_aes(), gen_client_side(), gen_fernet(), gen_signature()]
    C.finish("gen_pyca: aes256-gcm %d, client-side %d, fernet %d, signature %d tests written" % tuple(counts))


if __name__ == "__main__":
    main()
