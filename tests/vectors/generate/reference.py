"""A small reference consumer of the vectors, written on pyca/cryptography + the stdlib.

It implements the error-code rules of README.md ("Error codes") in the order given there and is
used by gen_invalid.py (to confirm every expected code) and lint.py (to re-check every file).
It is test tooling, not the library: it does not aim at constant time or zeroization.
"""
import base64
import hashlib
import hmac
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, padding as sympadding, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from common import KEY_DIR, strict_b64decode

FERNET_MAX_CLOCK_SKEW = 60


class Fail(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _secret_key(client_secret):
    key = client_secret.encode("utf-8")
    if len(key) < 32:
        raise Fail("invalid_key")
    return key[:32]


def _b64(value, urlsafe=False):
    try:
        return strict_b64decode(value, urlsafe=urlsafe)
    except ValueError:
        raise Fail("invalid_base64")


def _gcm_open(key, iv, ct_and_tag):
    try:
        return AESGCM(key).decrypt(iv, ct_and_tag, None)
    except (InvalidTag, ValueError):
        raise Fail("authentication_failed")


def decrypt_aes256_gcm(value, client_secret):
    key = _secret_key(client_secret)
    raw = _b64(value)
    if len(raw) < 32:
        raise Fail("malformed")
    return _gcm_open(key, raw[:16], raw[16:])


def load_private_key(pem_bytes):
    try:
        k = serialization.load_pem_private_key(pem_bytes, password=None)
    except Exception:  # wrong type, encrypted, garbage: all the same
        raise Fail("invalid_key")
    if not isinstance(k, rsa.RSAPrivateKey) or not (2048 <= k.key_size <= 4096):
        raise Fail("invalid_key")
    return k


_KEY_CACHE = {}


def load_private_key_file(name):
    if name not in _KEY_CACHE:
        with open(os.path.join(KEY_DIR, name), "rb") as f:
            try:
                _KEY_CACHE[name] = load_private_key(f.read())
            except Fail as e:
                _KEY_CACHE[name] = e
    if isinstance(_KEY_CACHE[name], Fail):
        raise _KEY_CACHE[name]
    return _KEY_CACHE[name]


OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def decrypt_client_side(value, private_key):
    k = (private_key.key_size + 7) // 8
    raw = _b64(value)
    if len(raw) < 12 + k + 16:
        raise Fail("malformed")
    iv, wrapped, rest = raw[:12], raw[12:12 + k], raw[12 + k:]
    try:
        aes_key = private_key.decrypt(wrapped, OAEP)
    except ValueError:
        raise Fail("authentication_failed")
    if len(aes_key) != 32:
        raise Fail("authentication_failed")
    return _gcm_open(aes_key, iv, rest)


def fernet_key(client_secret):
    """The Fernet key string for a client secret: URL-safe base64 of its first 32 bytes."""
    return base64.urlsafe_b64encode(_secret_key(client_secret))


def decrypt_fernet(token, client_secret, ttl=None, now=None):
    key = _secret_key(client_secret)
    raw = _b64(token, urlsafe=True)
    if len(raw) < 73:
        raise Fail("malformed")
    mac = hmac.new(key[:16], raw[:-32], hashlib.sha256).digest()
    if not hmac.compare_digest(mac, raw[-32:]):
        raise Fail("authentication_failed")
    if raw[0] != 0x80:
        raise Fail("malformed")
    (ts,) = struct.unpack(">Q", raw[1:9])
    if ttl is not None:
        if ts + ttl < now or ts > now + FERNET_MAX_CLOCK_SKEW:
            raise Fail("expired")
    iv, ct = raw[9:25], raw[25:-32]
    if len(ct) % 16 != 0:
        raise Fail("malformed")
    d = Cipher(algorithms.AES(key[16:]), modes.CBC(iv)).decryptor()
    padded = d.update(ct) + d.finalize()
    u = sympadding.PKCS7(128).unpadder()
    try:
        return u.update(padded) + u.finalize()
    except ValueError:
        raise Fail("malformed")


def sign(body, client_secret, timestamp):
    mac = hmac.new(client_secret.encode("utf-8"), ("%s.%s" % (timestamp, body)).encode("utf-8"), hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode("ascii")


def verify_signature(body, signature, timestamp, client_secret, tolerance, now):
    expected = sign(body, client_secret, timestamp)
    ok = False
    for entry in signature.split(" "):
        if hmac.compare_digest(entry.encode("utf-8"), expected.encode("utf-8")):
            ok = True
    if not ok:
        raise Fail("invalid_signature")
    if abs(now - int(timestamp)) > tolerance:
        raise Fail("expired")


def as_text(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Fail("invalid_utf8")


def run_test(fmt, t):
    """Returns ("valid", plaintext_bytes) or ("invalid", code) for a vector test (text API aside)."""
    try:
        if fmt == "aes256-gcm":
            pt = decrypt_aes256_gcm(t["value"], t["clientSecret"])
        elif fmt == "client-side":
            pt = decrypt_client_side(t["value"], load_private_key_file(t["privateKey"]))
        elif fmt == "fernet":
            pt = decrypt_fernet(t["token"], t["clientSecret"], t.get("ttl"), t.get("now"))
        elif fmt == "signature":
            verify_signature(t["body"], t["signature"], t["timestamp"], t["clientSecret"], t["tolerance"], t["now"])
            pt = None
        else:
            raise ValueError(fmt)
    except Fail as e:
        return ("invalid", e.code)
    return ("valid", pt)
