"""A small reference consumer of the vectors, written on pyca/cryptography + the stdlib.

It implements the error-code rules of README.md ("Error codes", "decrypt_properties") in the order
given there and is used by gen_invalid.py and gen_properties.py (to confirm every expected
outcome) and lint.py (to re-check every file).
It is test tooling, not the library: it does not aim at constant time or zeroization.
"""
import base64
import hashlib
import hmac
import json
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
    def __init__(self, code, input_name=None):
        super().__init__(code)
        self.code = code
        self.input = input_name


def _check_secret(client_secret):
    """A client secret with white space around it (a trailing newline read from a file) is refused."""
    if client_secret != client_secret.strip():
        raise Fail("invalid_key")


def _secret_key(client_secret):
    _check_secret(client_secret)
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
    _check_secret(client_secret)
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


# ---------------------------------------------------------------- decrypt_properties

ENCRYPTIONS = ("aes256-gcm", "fernet", "client-side")
JSON_MAX_DEPTH = 127  # deeper is invalid_json (the limit of the library's JSON parser)


def parse_encryption(enc):
    """An input's `encryption`: a name, or an object with a string `algorithm` (and, for
    client-side, a `key` that is a string or null/absent). Returns (name, key)."""
    if isinstance(enc, str):
        name, key = enc, None
    elif isinstance(enc, dict):
        name = enc.get("algorithm")
        if not isinstance(name, str):
            raise Fail("unsupported_encryption")
        key = enc.get("key")
        if name == "client-side" and key is not None and not isinstance(key, str):
            raise Fail("unsupported_encryption")
    else:
        raise Fail("unsupported_encryption")
    if name not in ENCRYPTIONS:
        raise Fail("unsupported_encryption")
    return name, key


def _json_depth(text):
    """Deepest nesting of [ and { outside strings (text need not be valid JSON)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_surrogates(value):
    if isinstance(value, str):
        return not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, list):
        return all(_no_surrogates(v) for v in value)
    if isinstance(value, dict):
        return all(_no_surrogates(k) and _no_surrogates(v) for k, v in value.items())
    return True


def _reject_constant(name):
    raise ValueError(name)


def _finite_float(text):
    f = float(text)
    if f in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return f


def _int_as_json_number(text):
    n = int(text)
    return n if -(2 ** 63) <= n < 2 ** 64 else float(n)  # 64-bit integers, else a double


def parse_json_strict(text):
    """RFC 8259 JSON: no NaN/Infinity, finite numbers, no lone surrogates, white space only
    space/tab/CR/LF (no BOM), nesting at most JSON_MAX_DEPTH; duplicate keys: the last value
    wins at the first key's position."""
    if _json_depth(text) > JSON_MAX_DEPTH:
        raise Fail("invalid_json")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                           parse_int=_int_as_json_number)
    except (ValueError, RecursionError):
        raise Fail("invalid_json")
    if not _no_surrogates(value):
        raise Fail("invalid_json")
    return value


def definitions(user_inputs):
    """The map of input definitions: userInputs.properties when it is an object that is not
    itself a definition (a definition has a string "type"), else userInputs itself. Every
    definition must be an object: the first one that is not is malformed, named."""
    if not isinstance(user_inputs, dict):
        raise Fail("malformed")
    inner = user_inputs.get("properties")
    defs = user_inputs
    if isinstance(inner, dict) and not isinstance(inner.get("type"), str):
        defs = inner
    for name, d in defs.items():
        if not isinstance(d, dict):
            raise Fail("malformed", name)
    return defs


def decrypt_properties(properties, user_inputs, client_secret, private_key):
    """Decryptor(client_secret, private_key or none).decrypt_properties(properties, user_inputs)."""
    if not isinstance(properties, dict):
        raise Fail("malformed")
    out = dict(properties)
    for name, d in definitions(user_inputs).items():
        if "encryption" not in d:
            continue
        value = properties.get(name)
        if value is None:
            continue
        try:
            if not isinstance(value, str):
                raise Fail("malformed")
            algorithm, _key = parse_encryption(d["encryption"])
            if algorithm == "aes256-gcm":
                pt = decrypt_aes256_gcm(value, client_secret)
            elif algorithm == "fernet":
                pt = decrypt_fernet(value, client_secret)
            else:
                if private_key is None:
                    raise Fail("invalid_key")
                # One private key: a matching `key` picks it, a non-matching one falls back to it.
                pt = decrypt_client_side(value, private_key)
            text = as_text(pt)
            out[name] = parse_json_strict(text) if d.get("type") == "object" else text
        except Fail as e:
            raise Fail(e.code, name)
    return out


def run_properties(t):
    """("valid", output) or ("invalid", code, input name or None) for a properties test."""
    key = load_private_key_file(t["privateKey"]) if "privateKey" in t else None
    try:
        return ("valid", decrypt_properties(t["properties"], t["userInputs"], t["clientSecret"], key))
    except Fail as e:
        return ("invalid", e.code, e.input)


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
