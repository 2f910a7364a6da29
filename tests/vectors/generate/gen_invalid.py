#!/usr/bin/env python3
"""The tampering / bad-input corpus: <format>/<format>_invalid_test.json.

Every case starts from a fresh valid value made here with pyca/cryptography (checked to decrypt),
then is damaged. For each case the expected error code is written by hand from the rules of
README.md and two checks must pass:
  1. an independent check that it fails: a plain pyca/cryptography decrypt (lenient base64, no
     length checks) raises, or for invalid_base64 Python's base64.b64decode(validate=True) rejects
     it (or the string is empty);
  2. reference.py (the rules, on pyca) returns exactly the expected code.
"""
import base64
import binascii
import hashlib
import hmac
import os
import struct
import sys

import cryptography
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, padding as sympadding, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402
from common import Checker, b64e, load_inputs, make_test, python_rejects_b64, read_key, ub64e, write_vectors  # noqa: E402

PYCA = "pyca/cryptography %s" % cryptography.__version__
GEN = "gen_invalid.py"
SOURCE = "derived by gen_invalid.py from values made with %s" % PYCA
VERIFIED = ["%s: a plain decrypt fails (or Python base64.b64decode(validate=True) rejects the text)" % PYCA,
            "tests/vectors/generate/reference.py gives the expected code"]
SECRETS, PLAINTEXTS = load_inputs()
PT = dict(PLAINTEXTS)
C = Checker("gen_invalid")
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
T0 = 1767225600

B64_NOTES = {
    "Base64Empty": "empty string: invalid_base64",
    "Base64Padding": "padding missing, extra or misplaced: invalid_base64",
    "Base64Alphabet": "a character outside the alphabet (including non-ASCII): invalid_base64",
    "Base64UrlSafe": "the other base64 alphabet ('-'/'_' in a standard value, '+'/'/' in a Fernet token): invalid_base64",
    "Base64Whitespace": "leading, trailing or embedded space, tab, CR or LF: invalid_base64 (the library does not trim)",
    "Base64Nul": "a NUL character in the text: invalid_base64",
}


def b64_cases(value, urlsafe=False):
    """(comment, flags, text) for base64 damage of a valid value (which has padding)."""
    out = [("empty string", ["Base64Empty"], "")]
    assert value.endswith("=")
    out.append(("padding removed", ["Base64Padding"], value.rstrip("=")))
    if value.endswith("=="):
        out.append(("one of two padding characters removed", ["Base64Padding"], value[:-1]))
    out.append(("extra '=' appended", ["Base64Padding"], value + "="))
    out.append(("extra '====' appended", ["Base64Padding"], value + "===="))
    out.append(("'=' inserted in the middle", ["Base64Padding"], value[:20] + "=" + value[20:]))
    out.append(("one character dropped from the middle", ["Base64Padding"], value[:21] + value[22:]))
    out.append(("only padding", ["Base64Padding"], "===="))
    for ch, what in (("!", "'!'"), ("*", "'*'"), (".", "'.'"), ("%", "'%'"), ("é", "non-ASCII 'é'"), ("\u00a0", "non-breaking space")):
        out.append(("%s replacing one character" % what, ["Base64Alphabet"], value[:10] + ch + value[11:]))
    if urlsafe:
        std = value.replace("-", "+").replace("_", "/")
        assert std != value
        out.append(("URL-safe token converted to the standard alphabet ('+', '/')", ["Base64UrlSafe"], std))
        i = value.index("-") if "-" in value else value.index("_")
        out.append(("one '-'/'_' replaced by its standard-alphabet twin",
                    ["Base64UrlSafe"], value[:i] + {"-": "+", "_": "/"}[value[i]] + value[i + 1:]))
    else:
        url = value.replace("+", "-").replace("/", "_")
        assert url != value
        out.append(("standard value converted to the URL-safe alphabet ('-', '_')", ["Base64UrlSafe"], url))
        i = value.index("+") if "+" in value else value.index("/")
        out.append(("one '+'/'/' replaced by its URL-safe twin",
                    ["Base64UrlSafe"], value[:i] + {"+": "-", "/": "_"}[value[i]] + value[i + 1:]))
    for ws, what in ((" ", "space"), ("\n", "LF"), ("\r\n", "CRLF"), ("\t", "tab")):
        out.append(("trailing %s" % what, ["Base64Whitespace"], value + ws))
        out.append(("leading %s" % what, ["Base64Whitespace"], ws + value))
    out.append(("line break after 64 characters (MIME/PEM style wrapping)", ["Base64Whitespace"], value[:64] + "\n" + value[64:]))
    out.append(("space in the middle", ["Base64Whitespace"], value[:32] + " " + value[32:]))
    out.append(("trailing NUL", ["Base64Nul"], value + "\u0000"))
    out.append(("NUL in the middle", ["Base64Nul"], value[:16] + "\u0000" + value[16:]))
    out.append(("a single NUL", ["Base64Nul"], "\u0000"))
    return out


class Corpus:
    def __init__(self, fmt, naive_fails, urlsafe=False):
        self.fmt, self.naive_fails, self.urlsafe = fmt, naive_fails, urlsafe
        self.tests = []

    def add(self, comment, flags, inputs, error):
        t = make_test(comment, flags, "invalid", inputs, error=error)
        if error == "invalid_base64":
            text = inputs.get("value", inputs.get("token"))
            C.check(python_rejects_b64(text, self.urlsafe), "Python base64 rejects: %s" % comment)
        else:
            C.check(self.naive_fails(inputs), "plain pyca decrypt fails: %s" % comment)
        got = reference.run_test(self.fmt, t)
        C.check(got == ("invalid", error), "reference gives %s, expected %s: %s" % (got, error, comment))
        self.tests.append(t)


def flip(raw, i, bit=None):
    b = bytearray(raw)
    b[i] ^= 1 << (i % 8 if bit is None else bit)
    return bytes(b)


def lenient_b64(s, urlsafe=False):
    return base64.urlsafe_b64decode(s) if urlsafe else base64.b64decode(s)


# ---------------------------------------------------------------- aes256-gcm

def aes_value(secret, data, iv=None):
    iv = iv or os.urandom(16)
    return iv + AESGCM(secret.encode("utf-8")[:32]).encrypt(iv, data, None)


def aes_naive_fails(inp):
    try:
        raw = lenient_b64(inp["value"])
        AESGCM(inp["clientSecret"][:32].encode()).decrypt(raw[:16], raw[16:], None)
    except Exception:
        return True
    return False


def gen_aes():
    s = SECRETS["port64"]
    data = PT["ascii17"]
    while True:  # a base whose base64 text holds both '+' and '/', for the alphabet cases
        raw = aes_value(s, data)
        v = b64e(raw)
        if "+" in v and "/" in v:
            break
    assert len(raw) == 49
    cor = Corpus("aes256-gcm", aes_naive_fails)

    def add(comment, flags, value, error, secret=s):
        cor.add(comment, flags, {"clientSecret": secret, "value": value}, error)

    for n in range(0, len(raw)):
        err = "invalid_base64" if n == 0 else "malformed" if n < 32 else "authentication_failed"
        add("truncated to %d of %d bytes" % (n, len(raw)), ["Truncated"], b64e(raw[:n]), err)
    for n in (1, 15, 16, 17, 18):
        err = "malformed" if len(raw) - n < 32 else "authentication_failed"
        add("first %d bytes removed" % n, ["Truncated"], b64e(raw[n:]), err)
    add("one zero byte appended", ["Extended"], b64e(raw + b"\x00"), "authentication_failed")
    add("16 zero bytes appended", ["Extended"], b64e(raw + bytes(16)), "authentication_failed")
    add("one zero byte prepended", ["Extended"], b64e(b"\x00" + raw), "authentication_failed")
    for i in range(len(raw)):
        region = "IV" if i < 16 else "Tag" if i >= len(raw) - 16 else "Ciphertext"
        add("bit %d flipped in byte %d (%s)" % (i % 8, i, region), ["BitFlip" + region], b64e(flip(raw, i)), "authentication_failed")
    empty = aes_value(s, b"")
    for i, region in ((0, "IV"), (15, "IV"), (16, "Tag"), (31, "Tag")):
        add("empty plaintext, bit flipped in byte %d (%s)" % (i, region), ["BitFlip" + region], b64e(flip(empty, i)), "authentication_failed")
    add("empty plaintext, tag removed (16 bytes left)", ["Truncated"], b64e(empty[:16]), "malformed")
    add("empty plaintext, value of 31 bytes", ["Truncated"], b64e(empty[:31]), "malformed")
    add("all-zero 32 bytes", ["Truncated"], b64e(bytes(32)), "authentication_failed")
    add("IV taken from another value", ["Spliced"], b64e(os.urandom(16) + raw[16:]), "authentication_failed")
    add("tag taken from another value of the same plaintext", ["Spliced"],
        b64e(raw[:-16] + aes_value(s, data)[-16:]), "authentication_failed")
    other = aes_value(s, data)
    add("IV of another value, rest of this one (same key, same plaintext)", ["Spliced"], b64e(other[:16] + raw[16:]), "authentication_failed")
    # wrong secrets
    add("decrypted with another 64-character secret", ["WrongSecret"], v, "authentication_failed", SECRETS["port64b"])
    add("decrypted with a 32-byte secret", ["WrongSecret"], v, "authentication_failed", SECRETS["exact32"])
    for pos in (0, 31):
        ch = "A" if s[pos] != "A" else "B"
        add("decrypted with the secret changed at byte %d" % pos, ["WrongSecret"], v, "authentication_failed", s[:pos] + ch + s[pos + 1:])
    add("decrypted with the secret's bytes 32..63 as the key", ["WrongSecret"], v, "authentication_failed", s[32:] + s[:32])
    for name, sec in (("first 31 bytes of the right secret", s[:31]), ("a 31-byte secret", SECRETS["short31"]),
                      ("an empty secret", SECRETS["empty"]), ("a 1-byte secret", "x"), ("a 16-byte secret", s[:16])):
        add("client secret is %s" % name, ["ShortSecret"], v, "invalid_key", sec)
    for comment, flags, text in b64_cases(v):
        add(comment, flags, text, "invalid_base64")
    add("base64 applied twice", ["CrossFormat"], b64e(v.encode()), "authentication_failed")
    cs = b64e(os.urandom(12) + serialization.load_pem_public_key(read_key("rsa2048_public.pem")).encrypt(os.urandom(32), OAEP)
              + AESGCM(os.urandom(32)).encrypt(os.urandom(12), data, None))
    add("a client-side value", ["CrossFormat"], cs, "authentication_failed")
    notes = {
        "Truncated": "decoded value cut or too short: under 32 bytes is malformed, 32 bytes or more is authentication_failed",
        "Extended": "bytes added before or after: authentication_failed",
        "BitFlipIV": "one bit flipped in the IV (bytes 0-15)",
        "BitFlipCiphertext": "one bit flipped in the ciphertext",
        "BitFlipTag": "one bit flipped in the tag (last 16 bytes)",
        "Spliced": "parts of different values put together",
        "WrongSecret": "a client secret of 32 bytes or more whose first 32 bytes differ: authentication_failed",
        "ShortSecret": "client secret shorter than 32 bytes: invalid_key (whatever the value)",
        "CrossFormat": "a value of another kind that happens to be valid base64 and long enough",
    }
    notes.update(B64_NOTES)
    return write_vectors("aes256_gcm/aes256_gcm_invalid_test.json", "aes256-gcm", SOURCE, GEN, VERIFIED, notes, cor.tests)


# ---------------------------------------------------------------- client-side

def pub(kid):
    return serialization.load_pem_public_key(read_key(kid + "_public.pem"))


def cs_value(kid, data, aes_key=None, iv=None, oaep=OAEP, iv_len=12):
    aes_key = os.urandom(32) if aes_key is None else aes_key
    iv = iv or os.urandom(iv_len)
    return iv + pub(kid).encrypt(aes_key, oaep) + AESGCM(aes_key).encrypt(iv, data, None)


_KEYS = {}


def _naive_key(name):
    if name not in _KEYS:
        try:
            _KEYS[name] = serialization.load_pem_private_key(read_key(name), None)
        except Exception as e:
            _KEYS[name] = e
    if isinstance(_KEYS[name], Exception):
        raise _KEYS[name]
    return _KEYS[name]


def cs_naive_fails(inp):
    try:
        k = _naive_key(inp["privateKey"])
        if k.key_size < 2048:
            return True
        n = k.key_size // 8
        raw = lenient_b64(inp["value"])
        aes_key = k.decrypt(raw[12:12 + n], OAEP)
        if len(aes_key) != 32:  # AES-256-GCM, as node's createDecipheriv("aes-256-gcm") insists
            return True
        AESGCM(aes_key).decrypt(raw[:12], raw[12 + n:], None)
    except Exception:
        return True
    return False


def gen_client_side():
    data = PT["ascii17"]
    while True:
        raw = cs_value("rsa2048", data)
        v = b64e(raw)
        if "+" in v and "/" in v and v.endswith("="):
            break
    assert len(raw) == 12 + 256 + 17 + 16
    cor = Corpus("client-side", cs_naive_fails)

    def add(comment, flags, value, error, key="rsa2048_pkcs8.pem"):
        cor.add(comment, flags, {"privateKey": key, "value": value}, error)

    k = 256
    for n in (0, 1, 11, 12, 13, 12 + k - 1, 12 + k, 12 + k + 1, 12 + k + 15, 12 + k + 16, 12 + k + 17, len(raw) - 16, len(raw) - 1):
        err = "invalid_base64" if n == 0 else "malformed" if n < 12 + k + 16 else "authentication_failed"
        add("RSA 2048: truncated to %d of %d bytes" % (n, len(raw)), ["Truncated"], b64e(raw[:n]), err)
    empty = cs_value("rsa2048", b"")
    add("RSA 2048, empty plaintext: minimum length 284 bytes, one byte removed", ["Truncated"], b64e(empty[:-1]), "malformed")
    add("RSA 2048, empty plaintext: tag removed", ["Truncated"], b64e(empty[:-16]), "malformed")
    add("RSA 2048: first byte removed", ["Truncated"], b64e(raw[1:]), "authentication_failed")
    add("RSA 2048: one zero byte appended", ["Extended"], b64e(raw + b"\x00"), "authentication_failed")
    for kid, bits in (("rsa3072", 3072), ("rsa4096", 4096)):
        r = cs_value(kid, data)
        kb = bits // 8
        for n in (0, 12, 12 + kb - 1, 12 + kb, 12 + kb + 15, 12 + kb + 16, len(r) - 1):
            err = "invalid_base64" if n == 0 else "malformed" if n < 12 + kb + 16 else "authentication_failed"
            add("RSA %d: truncated to %d of %d bytes" % (bits, n, len(r)), ["Truncated"], b64e(r[:n]), err, kid + "_pkcs8.pem")
        for i, region in ((0, "IV"), (11, "IV"), (12, "WrappedKey"), (12 + kb // 2, "WrappedKey"), (12 + kb - 1, "WrappedKey"),
                          (12 + kb, "Ciphertext"), (len(r) - 17, "Ciphertext"), (len(r) - 16, "Tag"), (len(r) - 1, "Tag")):
            add("RSA %d: bit flipped in byte %d (%s)" % (bits, i, region), ["BitFlip" + region], b64e(flip(r, i)),
                "authentication_failed", kid + "_pkcs1.pem" if i % 2 else kid + "_pkcs8.pem")
    for i in range(len(raw)):
        if i < 12:
            region = "IV"
        elif i < 12 + k:
            region = "WrappedKey"
            if not (i % 8 == 4 or i in (12, 13, 12 + k - 1)):
                continue
        elif i < len(raw) - 16:
            region = "Ciphertext"
        else:
            region = "Tag"
        add("RSA 2048: bit %d flipped in byte %d (%s)" % (i % 8, i, region), ["BitFlip" + region], b64e(flip(raw, i)), "authentication_failed")
    # wrong keys and sizes
    add("made for rsa2048b, decrypted with rsa2048 (same size)", ["WrongKey"], b64e(cs_value("rsa2048b", data)), "authentication_failed")
    add("made for rsa2048, decrypted with rsa2048b (PKCS#1)", ["WrongKey"], v, "authentication_failed", "rsa2048b_pkcs1.pem")
    r3072 = cs_value("rsa3072", data)
    r4096 = cs_value("rsa4096", data)
    add("made for RSA 3072, decrypted with RSA 2048 (long enough, boundary off)", ["KeySizeMismatch"], b64e(r3072), "authentication_failed")
    add("made for RSA 4096, decrypted with RSA 2048", ["KeySizeMismatch"], b64e(r4096), "authentication_failed")
    add("made for RSA 4096, decrypted with RSA 3072", ["KeySizeMismatch"], b64e(r4096), "authentication_failed", "rsa3072_pkcs8.pem")
    add("made for RSA 2048 (301 bytes), decrypted with RSA 3072 (minimum 412)", ["KeySizeMismatch"], v, "malformed", "rsa3072_pkcs8.pem")
    add("made for RSA 2048 (301 bytes), decrypted with RSA 4096 (minimum 540)", ["KeySizeMismatch"], v, "malformed", "rsa4096_pkcs8.pem")
    add("made for RSA 2048 with a 1027-byte plaintext, decrypted with RSA 4096", ["KeySizeMismatch"],
        b64e(cs_value("rsa2048", PT["long1027"])), "authentication_failed", "rsa4096_pkcs8.pem")
    add("made for RSA 3072, decrypted with RSA 4096 (long enough, boundary off)", ["KeySizeMismatch"],
        b64e(cs_value("rsa3072", PT["long1027"])), "authentication_failed", "rsa4096_pkcs1.pem")
    # bad key files
    for f, what in (("rsa1024_pkcs8.pem", "RSA 1024 private key"), ("ec_p256_pkcs8.pem", "EC P-256 private key"),
                    ("ed25519_pkcs8.pem", "Ed25519 private key"), ("rsa2048_encrypted_pkcs8.pem", "encrypted PKCS#8 (password 'demo')"),
                    ("rsa2048_public.pem", "the SPKI public key instead of the private key"),
                    ("rsa2048_public_pkcs1.pem", "a PKCS#1 public key"), ("garbage_pkcs8.pem", "PEM armour around garbage"),
                    ("not_a_key.pem", "plain text"), ("rsa2048_truncated_pkcs8.pem", "a truncated PEM")):
        add("private key is %s" % what, ["BadKey"], v, "invalid_key", f)
    v1024 = b64e(cs_value("rsa1024", data))
    add("value made for the RSA 1024 key, decrypted with it: the key is refused anyway", ["BadKey"], v1024, "invalid_key", "rsa1024_pkcs8.pem")
    # other wrappings
    add("AES key wrapped with OAEP SHA-1 (node publicEncrypt without oaepHash)", ["WrongPadding"],
        b64e(cs_value("rsa2048", data, oaep=padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None))), "authentication_failed")
    add("AES key wrapped with OAEP SHA-256 but MGF1-SHA-1 (Java's OAEPWithSHA-256AndMGF1Padding default)", ["WrongPadding"],
        b64e(cs_value("rsa2048", data, oaep=padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA256(), None))), "authentication_failed")
    add("AES key wrapped with OAEP SHA-256 and a label", ["WrongPadding"],
        b64e(cs_value("rsa2048", data, oaep=padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), b"port"))), "authentication_failed")
    add("AES key wrapped with PKCS#1 v1.5", ["WrongPadding"],
        b64e(cs_value("rsa2048", data, oaep=padding.PKCS1v15())), "authentication_failed")
    for n in (16, 24, 0, 33):
        key = os.urandom(n)
        iv = os.urandom(12)
        body = AESGCM(key).encrypt(iv, data, None) if n in (16, 24) else AESGCM(os.urandom(32)).encrypt(iv, data, None)
        add("OAEP-valid wrapped key of %d bytes (not 32)" % n, ["WrappedKeyLength"],
            b64e(iv + pub("rsa2048").encrypt(key, OAEP) + body), "authentication_failed")
    add("16-byte IV (aes256-gcm style) instead of 12", ["WrongLayout"], b64e(cs_value("rsa2048", data, iv_len=16)), "authentication_failed")
    ak, iv = os.urandom(32), os.urandom(12)
    wrapped = pub("rsa2048").encrypt(ak, OAEP)
    ctt = AESGCM(ak).encrypt(iv, data, None)
    add("wrapped key first, then IV", ["WrongLayout"], b64e(wrapped + iv + ctt), "authentication_failed")
    add("tag before ciphertext", ["WrongLayout"], b64e(iv + wrapped + ctt[-16:] + ctt[:-16]), "authentication_failed")
    add("wrapped key of another value (same RSA key)", ["Spliced"], b64e(raw[:12] + empty[12:12 + k] + raw[12 + k:]), "authentication_failed")
    add("IV of another value", ["Spliced"], b64e(empty[:12] + raw[12:]), "authentication_failed")
    for comment, flags, text in b64_cases(v):
        add(comment, flags, text, "invalid_base64")
    add("an aes256-gcm value (49 bytes)", ["CrossFormat"], b64e(aes_value(SECRETS["port64"], data)), "malformed")
    notes = {
        "Truncated": "decoded value cut: shorter than 12 + modulus bytes + 16 is malformed, otherwise authentication_failed",
        "Extended": "bytes added: authentication_failed",
        "BitFlipIV": "one bit flipped in the 12-byte IV",
        "BitFlipWrappedKey": "one bit flipped in the RSA-OAEP wrapped key (RSA failure = authentication_failed)",
        "BitFlipCiphertext": "one bit flipped in the ciphertext",
        "BitFlipTag": "one bit flipped in the tag",
        "WrongKey": "another RSA private key of the same size: authentication_failed",
        "KeySizeMismatch": "made for one modulus size, decrypted with another: malformed if too short for the key's layout, else authentication_failed",
        "BadKey": "the private key file is not an unencrypted RSA private key of 2048-4096 bits: invalid_key (whatever the value)",
        "WrongPadding": "AES key wrapped with another RSA padding or OAEP parameters: authentication_failed",
        "WrappedKeyLength": "RSA-OAEP unwraps correctly but the AES key is not 32 bytes: authentication_failed (a decision of these vectors, see README)",
        "WrongLayout": "parts in another order or size",
        "Spliced": "parts of different values put together",
        "CrossFormat": "a value of another kind",
    }
    notes.update(B64_NOTES)
    return write_vectors("client_side/client_side_invalid_test.json", "client-side", SOURCE, GEN, VERIFIED, notes, cor.tests)


# ---------------------------------------------------------------- fernet

def fkey(secret):
    return secret.encode("utf-8")[:32]


def fernet_raw(secret, data, ts=T0, version=0x80, iv=None, ct=None, pad=True):
    key = fkey(secret)
    iv = iv or os.urandom(16)
    if ct is None:
        if pad:
            p = sympadding.PKCS7(128).padder()
            data = p.update(data) + p.finalize()
        e = Cipher(algorithms.AES(key[16:]), modes.CBC(iv)).encryptor()
        ct = e.update(data) + e.finalize()
    body = bytes([version]) + struct.pack(">Q", ts) + iv + ct
    return body + hmac.new(key[:16], body, hashlib.sha256).digest()


def fernet_naive_fails(inp):
    try:
        f = Fernet(base64.urlsafe_b64encode(inp["clientSecret"][:32].encode()))
        if "ttl" in inp:
            f.decrypt_at_time(inp["token"], inp["ttl"], inp["now"])
        else:
            f.decrypt(inp["token"])
    except (InvalidToken, ValueError, TypeError, binascii.Error):
        return True
    return False


def gen_fernet():
    s = SECRETS["port64"]
    data = PT["ascii17"]
    while True:
        raw = fernet_raw(s, data)
        tok = ub64e(raw)
        if ("-" in tok or "_" in tok) and tok.endswith("="):
            break
    assert len(raw) == 89 and Fernet(base64.urlsafe_b64encode(fkey(s))).decrypt(tok) == data
    cor = Corpus("fernet", fernet_naive_fails, urlsafe=True)

    def add(comment, flags, token, error, secret=s, ttl=None, now=None):
        inp = {"clientSecret": secret, "token": token}
        if ttl is not None:
            inp.update(ttl=ttl, now=now)
        cor.add(comment, flags, inp, error)

    for n in range(0, len(raw)):
        err = "invalid_base64" if n == 0 else "malformed" if n < 73 else "authentication_failed"
        add("truncated to %d of %d bytes" % (n, len(raw)), ["Truncated"], ub64e(raw[:n]), err)
    add("one zero byte appended", ["Extended"], ub64e(raw + b"\x00"), "authentication_failed")
    add("16 zero bytes appended", ["Extended"], ub64e(raw + bytes(16)), "authentication_failed")
    for i in range(len(raw)):
        region = ("Version" if i == 0 else "Timestamp" if i < 9 else "IV" if i < 25 else "Ciphertext" if i < len(raw) - 32 else "Hmac")
        add("bit %d flipped in byte %d (%s)" % (i % 8, i, region), ["BitFlip" + region], ub64e(flip(raw, i)), "authentication_failed")
    # authentic (valid HMAC) but malformed
    for ver in (0x81, 0x00, 0x7F, 0xFF):
        add("authentic token with version byte 0x%02x" % ver, ["AuthenticBadVersion"], ub64e(fernet_raw(s, data, version=ver)), "malformed")
    for n in (17, 31, 33, 47):
        add("authentic token with %d ciphertext bytes (not a multiple of 16)" % n, ["AuthenticBadLength"],
            ub64e(fernet_raw(s, data, ct=os.urandom(n))), "malformed")
    add("authentic token with an empty ciphertext (57 bytes)", ["AuthenticBadLength"], ub64e(fernet_raw(s, data, ct=b"")), "malformed")
    for block, what in ((b"0123456789abcde\x00", "last byte 0x00"), (b"0123456789abcde\x11", "last byte 0x11 (> 16)"),
                        (b"0123456789abc\x02\x03\x03", "inconsistent padding bytes (02 03 03)"),
                        (b"0123456789abcdef", "no padding at all (last byte 'f')"),
                        (bytes(16), "all-zero block")):
        add("authentic token, bad PKCS7 padding: %s" % what, ["AuthenticBadPadding"],
            ub64e(fernet_raw(s, block, pad=False)), "malformed")
    # bad HMAC wins over time
    expired_flipped = ub64e(flip(fernet_raw(s, data, ts=T0), 88))
    add("bad HMAC and also expired: authentication_failed", ["BadHmacAndExpired"], expired_flipped, "authentication_failed",
        ttl=60, now=T0 + 86400)
    add("bad HMAC and far in the future: authentication_failed", ["BadHmacAndExpired"],
        ub64e(flip(fernet_raw(s, data, ts=T0 + 86400), 40)), "authentication_failed", ttl=60, now=T0)
    # wrong / short secrets
    add("another 64-character secret", ["WrongSecret"], tok, "authentication_failed", SECRETS["port64b"])
    for pos in (0, 15):
        ch = "A" if s[pos] != "A" else "B"
        add("secret changed at byte %d (HMAC key part)" % pos, ["WrongSecret"], tok, "authentication_failed", s[:pos] + ch + s[pos + 1:])
    for name, sec in (("first 31 bytes of the right secret", s[:31]), ("an empty secret", ""), ("a 16-byte secret", s[:16])):
        add("client secret is %s" % name, ["ShortSecret"], tok, "invalid_key", sec)
    add("the Fernet key itself (44 characters) given as the client secret", ["WrongSecret"], tok, "authentication_failed",
        base64.urlsafe_b64encode(fkey(s)).decode())
    for comment, flags, text in b64_cases(tok, urlsafe=True):
        add(comment, flags, text, "invalid_base64")
    t73 = ub64e(fernet_raw(s, b"abc"))
    assert t73.endswith("==")
    add("73-byte token with its '==' padding removed", ["Base64Padding"], t73.rstrip("="), "invalid_base64")
    while True:
        av = b64e(aes_value(s, data))
        if "+" not in av and "/" not in av:
            break
    add("an aes256-gcm value (49 bytes, no '+' or '/' in its base64)", ["CrossFormat"], av, "malformed")
    notes = {
        "Truncated": "decoded token cut: under 73 bytes is malformed, otherwise authentication_failed",
        "Extended": "bytes added: authentication_failed",
        "BitFlipVersion": "one bit flipped in the version byte (HMAC fails first: authentication_failed)",
        "BitFlipTimestamp": "one bit flipped in the timestamp",
        "BitFlipIV": "one bit flipped in the IV",
        "BitFlipCiphertext": "one bit flipped in the ciphertext",
        "BitFlipHmac": "one bit flipped in the HMAC",
        "AuthenticBadVersion": "valid HMAC but version byte not 0x80: malformed",
        "AuthenticBadLength": "valid HMAC but ciphertext length not a positive multiple of 16: malformed",
        "AuthenticBadPadding": "valid HMAC but bad PKCS7 padding after decryption: malformed",
        "BadHmacAndExpired": "bad HMAC on a token that would also fail the ttl check: authentication_failed wins",
        "WrongSecret": "another client secret of 32 bytes or more, differing in the first 16 bytes (the HMAC key)",
        "ShortSecret": "client secret shorter than 32 bytes: invalid_key",
        "CrossFormat": "a value of another kind",
    }
    notes.update(B64_NOTES)
    return write_vectors("fernet/fernet_invalid_test.json", "fernet", SOURCE, GEN, VERIFIED, notes, cor.tests)


# ---------------------------------------------------------------- signature

def sig_naive_fails(inp):
    mac = hmac.new(inp["clientSecret"].encode(), ("%s.%s" % (inp["timestamp"], inp["body"])).encode(), hashlib.sha256).digest()
    good = "v1," + base64.b64encode(mac).decode()
    return good not in inp["signature"].split(" ")


def gen_signature():
    s = SECRETS["port64"]
    body = ('{"action":{"identifier":"create_db"},"context":{"runId":"r_9fK2Lm"},'
            '"payload":{"properties":{"name":"orders","password":"c2VjcmV0IHZhbHVlIGhlcmU="}}}')
    ts = str(T0)
    good = reference.sign(body, s, ts)
    cor = Corpus("signature", sig_naive_fails)

    def add(comment, flags, signature, b=body, t=ts, secret=s, error="invalid_signature"):
        cor.add(comment, flags, {"clientSecret": secret, "body": b, "timestamp": t, "signature": signature,
                                 "now": T0, "tolerance": 300}, error)

    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    for i in range(3, len(good)):
        c = good[i]
        r = alphabet[(alphabet.index(c) + 1) % 64] if c in alphabet else "A"
        add("signature character %d changed" % i, ["SignatureChanged"], good[:i] + r + good[i + 1:])
    for n in range(0, len(good), 3):
        add("signature header truncated to %d characters" % n, ["SignatureTruncated"], good[:n])
    add("signature header missing its last character", ["SignatureTruncated"], good[:-1])
    add("signature with an extra character", ["SignatureChanged"], good + "A")
    for i in range(0, len(body), 7):
        c = body[i]
        add("body character %d changed" % i, ["BodyChanged"], good, b=body[:i] + ("x" if c != "x" else "y") + body[i + 1:])
    add("body truncated by one character", ["BodyChanged"], good, b=body[:-1])
    add("body with a leading space", ["BodyChanged"], good, b=" " + body)
    for t, what in (("+" + ts, "with a '+' sign"), ("0" + ts, "with a leading zero"), (str(T0 - 1), "minus one second")):
        add("timestamp header %s (signature made for the plain timestamp)" % what, ["TimestampChanged"], good, t=t)
    add("verified with the secret with a trailing space (white space around a secret is refused)", ["SecretWhiteSpace"],
        good, secret=s + " ", error="invalid_key")
    add("verified with the secret with a trailing newline (as read from a file)", ["SecretWhiteSpace"],
        good, secret=s + "\n", error="invalid_key")
    for sec, what in ((s.upper(), "upper-cased"), (s[:32], "cut to its first 32 bytes"),
                      (SECRETS["port64b"], "another secret")):
        add("verified with the secret %s" % what, ["WrongSecret"], good, secret=sec)
    bad = reference.sign(body, SECRETS["port64b"], ts)
    add("entries separated by a comma instead of a space", ["MultipleEntries"], bad + "," + good)
    add("entries joined without a separator", ["MultipleEntries"], bad + good)
    add("the right MAC as a second entry without its prefix", ["MultipleEntries"], bad + " " + good[3:])
    notes = {
        "SignatureChanged": "one character of the header value changed or added",
        "SignatureTruncated": "header value cut",
        "BodyChanged": "one character of the raw body changed",
        "TimestampChanged": "timestamp header differs from the signed string (still within tolerance)",
        "WrongSecret": "verified with another secret (the HMAC key is the whole secret)",
        "SecretWhiteSpace": "a client secret with white space around it (a trailing newline read from a file): invalid_key, never a silent invalid_signature",
        "MultipleEntries": "entries must be separated by single spaces and each start with 'v1,'",
    }
    return write_vectors("signature/signature_invalid_test.json", "signature", SOURCE.replace(PYCA, "Python hmac"), GEN,
                         ["Python hmac: the expected v1 entry is not among the space-separated entries",
                          "tests/vectors/generate/reference.py gives the expected code"], notes, cor.tests)


def main():
    counts = (gen_aes(), gen_client_side(), gen_fernet(), gen_signature())
    C.finish("gen_invalid: aes256-gcm %d, client-side %d, fernet %d, signature %d invalid tests written" % counts)


if __name__ == "__main__":
    main()
