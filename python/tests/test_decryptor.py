"""Decryptor: rotation (client secrets, private keys, public-key selection), decrypt_properties,
signatures, input types, limits."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

import port_secret
from port_secret import Decryptor, PortSecretError, _native

from conftest import OTHER_SECRET, SECRET

# --- plaintext and value input types ------------------------------------------------------


@pytest.mark.parametrize(
    "plaintext",
    ["pa55w0rd", b"pa55w0rd", bytearray(b"pa55w0rd"), memoryview(b"pa55w0rd")],
    ids=["str", "bytes", "bytearray", "memoryview"],
)
def test_plaintext_types(plaintext: Any, decryptor: Decryptor, public_pem: str) -> None:
    for value, enc in [
        (port_secret.encrypt_aes256_gcm(plaintext, SECRET), "aes256-gcm"),
        (port_secret.encrypt_fernet(plaintext, SECRET), "fernet"),
        (port_secret.encrypt_client_side(plaintext, public_pem), "client-side"),
    ]:
        assert isinstance(value, str)
        assert decryptor.decrypt(value, enc) == "pa55w0rd"
        for as_type in (str, lambda v: v.encode(), lambda v: bytearray(v.encode()), lambda v: memoryview(v.encode())):
            assert decryptor.decrypt_bytes(as_type(value), enc) == b"pa55w0rd"


def test_non_contiguous_memoryview(decryptor: Decryptor) -> None:
    view = memoryview(b"a-b-c-d")[::2]
    value = port_secret.encrypt_aes256_gcm(view, SECRET)
    assert decryptor.decrypt(value, "aes256-gcm") == "abcd"


def test_text_and_bytes_variants(decryptor: Decryptor, private_pem: str, public_pem: str) -> None:
    raw = bytes(range(256))
    gcm = port_secret.encrypt_aes256_gcm(raw, SECRET)
    fer = port_secret.encrypt_fernet(raw, SECRET)
    cs = port_secret.encrypt_client_side(raw, public_pem)
    assert port_secret.decrypt_aes256_gcm_bytes(gcm, SECRET) == raw
    assert port_secret.decrypt_fernet_bytes(fer, SECRET) == raw
    assert port_secret.decrypt_client_side_bytes(cs, private_pem) == raw
    for call in (
        lambda: port_secret.decrypt_aes256_gcm(gcm, SECRET),
        lambda: port_secret.decrypt_fernet(fer, SECRET),
        lambda: port_secret.decrypt_client_side(cs, private_pem),
        lambda: decryptor.decrypt(cs, "client-side"),
    ):
        with pytest.raises(PortSecretError) as info:
            call()
        assert info.value.code == "invalid_utf8"
    text = "multi\nline ✓ \u0000 end"
    assert port_secret.decrypt_aes256_gcm(port_secret.encrypt_aes256_gcm(text, SECRET), SECRET) == text
    assert port_secret.decrypt_fernet(port_secret.encrypt_fernet(text, SECRET), SECRET) == text
    assert port_secret.decrypt_client_side(port_secret.encrypt_client_side(text, public_pem), private_pem) == text
    assert port_secret.decrypt_fernet(port_secret.encrypt_fernet("", SECRET), SECRET, ttl=60) == ""


def test_encryption_forms(decryptor: Decryptor, public_pem: str) -> None:
    cs = port_secret.encrypt_client_side("x", public_pem)
    for enc in ["client-side", {"algorithm": "client-side"}, {"algorithm": "client-side", "key": None},
                {"algorithm": "client-side", "key": public_pem}, '{"algorithm": "client-side"}']:
        assert decryptor.decrypt(cs, enc) == "x"
    gcm = port_secret.encrypt_aes256_gcm("y", SECRET)
    for enc in ["aes256-gcm", {"algorithm": "aes256-gcm"}, '"aes256-gcm"']:
        assert decryptor.decrypt(gcm, enc) == "y"
    for bad in ["AES256-GCM", "", "client_side", {"algorithm": "rsa"}, {}, {"key": public_pem},
                {"algorithm": "client-side", "key": 5}]:
        with pytest.raises(PortSecretError) as info:
            decryptor.decrypt(gcm, bad)
        assert info.value.code == "unsupported_encryption"


def test_generate_key_pair() -> None:
    private, public = port_secret.generate_key_pair()
    assert private.startswith("-----BEGIN PRIVATE KEY-----")
    assert public.startswith("-----BEGIN PUBLIC KEY-----")
    d = Decryptor(private_key=private)
    assert d.decrypt(port_secret.encrypt_client_side("k", public), {"algorithm": "client-side", "key": public}) == "k"
    with pytest.raises(PortSecretError) as info:
        port_secret.generate_key_pair(1024)
    assert info.value.code == "invalid_key"


# --- rotation -----------------------------------------------------------------------------


def test_two_client_secrets() -> None:
    d = Decryptor(client_secret=[SECRET, OTHER_SECRET])
    assert d.client_secret_count == 2 and d.private_key_count == 0
    for s in (SECRET, OTHER_SECRET):
        assert d.decrypt(port_secret.encrypt_aes256_gcm("gcm", s), "aes256-gcm") == "gcm"
        assert d.decrypt(port_secret.encrypt_fernet("fer", s), "fernet") == "fer"
        ts = str(int(time.time()))
        d.verify_signature("{}", port_secret.sign_payload("{}", ts, s), ts)
    only_new = Decryptor(client_secret=(OTHER_SECRET,))
    with pytest.raises(PortSecretError) as info:
        only_new.decrypt(port_secret.encrypt_aes256_gcm("gcm", SECRET), "aes256-gcm")
    assert info.value.code == "authentication_failed"
    ts = str(int(time.time()))
    with pytest.raises(PortSecretError) as info:
        only_new.verify_signature("{}", port_secret.sign_payload("{}", ts, SECRET), ts)
    assert info.value.code == "invalid_signature"


def test_two_private_keys(private_pem: str, public_pem: str, private_pem_b: str, public_pem_b: str) -> None:
    d = Decryptor(private_key=[private_pem, private_pem_b])
    assert d.private_key_count == 2 and d.client_secret_count == 0
    a = port_secret.encrypt_client_side("under A", public_pem)
    b = port_secret.encrypt_client_side("under B", public_pem_b)
    # Without the public key: each configured key is tried in turn.
    assert d.decrypt(a, "client-side") == "under A"
    assert d.decrypt(b, "client-side") == "under B"
    # With the action's public key: the matching private key is used.
    assert d.decrypt(a, {"algorithm": "client-side", "key": public_pem}) == "under A"
    assert d.decrypt(b, {"algorithm": "client-side", "key": public_pem_b}) == "under B"
    # ... and only that one: a value made under A but announced as B's does not open.
    with pytest.raises(PortSecretError) as info:
        d.decrypt(a, {"algorithm": "client-side", "key": public_pem_b})
    assert info.value.code == "authentication_failed"
    # A Decryptor with B only cannot open A's value.
    with pytest.raises(PortSecretError) as info:
        Decryptor(private_key=private_pem_b).decrypt(a, "client-side")
    assert info.value.code == "authentication_failed"


def test_pkcs1_and_pkcs8_are_the_same_key(public_pem: str) -> None:
    from conftest import read_key

    value = port_secret.encrypt_client_side("same", public_pem)
    for name in ("rsa2048_pkcs8.pem", "rsa2048_pkcs1.pem", "rsa2048_pkcs8_crlf.pem"):
        assert port_secret.decrypt_client_side(value, read_key(name)) == "same"


def test_limits_and_ttl() -> None:
    small = Decryptor(client_secret=SECRET, max_input_len=64)
    assert small.max_input_len == 64
    value = port_secret.encrypt_aes256_gcm("x" * 100, SECRET)
    with pytest.raises(PortSecretError) as info:
        small.decrypt(value, "aes256-gcm")
    assert info.value.code == "malformed"
    assert Decryptor(client_secret=SECRET).decrypt(value, "aes256-gcm") == "x" * 100
    assert port_secret.DEFAULT_MAX_INPUT_LEN == 1 << 20
    assert port_secret.DEFAULT_TOLERANCE == 300
    # The core's builder checks the options, as in every language: a cap of 0 is malformed.
    with pytest.raises(PortSecretError) as info:
        Decryptor(client_secret=SECRET, max_input_len=0)
    assert info.value.code == "malformed"
    assert Decryptor(client_secret=SECRET, max_input_len=1).max_input_len == 1

    old = _native._encrypt_fernet_from_parts("old", SECRET, int(time.time()) - 120, bytes(range(16)))
    assert Decryptor(client_secret=SECRET).decrypt(old, "fernet") == "old"
    assert Decryptor(client_secret=SECRET, fernet_ttl=300).decrypt(old, "fernet") == "old"
    with pytest.raises(PortSecretError) as info:
        Decryptor(client_secret=SECRET, fernet_ttl=60).decrypt(old, "fernet")
    assert info.value.code == "expired"
    assert port_secret.decrypt_fernet(old, SECRET, ttl=300) == "old"
    with pytest.raises(PortSecretError) as info:
        port_secret.decrypt_fernet(old, SECRET, ttl=60)
    assert info.value.code == "expired"


# --- decrypt_properties -------------------------------------------------------------------


@pytest.fixture()
def action(public_pem: str) -> dict[str, Any]:
    return {
        "identifier": "deploy",
        "userInputs": {
            "properties": {
                "region": {"type": "string"},
                "db_password": {"type": "string", "encryption": "aes256-gcm"},
                "config": {"type": "object", "encryption": "aes256-gcm"},
                "cert": {"type": "string", "format": "multi-line", "encryption": "aes256-gcm"},
                "api_token": {"type": "string", "encryption": {"algorithm": "client-side", "key": public_pem}},
                "legacy": {"type": "string", "encryption": "fernet"},
                "optional_secret": {"type": "string", "encryption": "aes256-gcm"},
                "absent_secret": {"type": "string", "encryption": "aes256-gcm"},
            },
            "required": ["db_password"],
        },
    }


def _properties(public_pem: str) -> dict[str, Any]:
    cert = "-----BEGIN CERTIFICATE-----\nMIIB\nxyz==\n-----END CERTIFICATE-----\n"
    return {
        "region": "eu-west-1",
        "db_password": port_secret.encrypt_aes256_gcm("s3cr3t!", SECRET),
        "config": port_secret.encrypt_aes256_gcm(json.dumps({"user": "app", "port": 5432, "tls": True, "tags": ["a", None, 1.5]}), SECRET),
        "cert": port_secret.encrypt_aes256_gcm(cert, SECRET),
        "api_token": port_secret.encrypt_client_side("tok_123", public_pem),
        "legacy": port_secret.encrypt_fernet("old-style", SECRET),
        "optional_secret": None,
        "count": 3,
    }


def test_decrypt_properties(decryptor: Decryptor, action: dict[str, Any], public_pem: str) -> None:
    props = _properties(public_pem)
    before = dict(props)
    for user_inputs in (action["userInputs"], action["userInputs"]["properties"]):
        out = decryptor.decrypt_properties(props, user_inputs)
        assert out == {
            "region": "eu-west-1",
            "db_password": "s3cr3t!",
            "config": {"user": "app", "port": 5432, "tls": True, "tags": ["a", None, 1.5]},
            "cert": "-----BEGIN CERTIFICATE-----\nMIIB\nxyz==\n-----END CERTIFICATE-----\n",
            "api_token": "tok_123",
            "legacy": "old-style",
            "optional_secret": None,
            "count": 3,
        }
        assert list(out) == list(props)  # the caller's order is kept
        assert props == before  # the input is not modified


def test_decrypt_properties_non_string_value(decryptor: Decryptor, action: dict[str, Any], public_pem: str) -> None:
    props = _properties(public_pem)
    props["db_password"] = {"nested": "hunter2-not-a-string"}
    with pytest.raises(PortSecretError) as info:
        decryptor.decrypt_properties(props, action["userInputs"])
    err = info.value
    assert (err.code, err.input) == ("malformed", "db_password")
    assert "db_password" in str(err)
    assert "hunter2" not in str(err) and "hunter2" not in repr(err)
    props["db_password"] = 12345
    with pytest.raises(PortSecretError) as info:
        decryptor.decrypt_properties(props, action["userInputs"])
    assert (info.value.code, info.value.input) == ("malformed", "db_password")
    assert "12345" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("db_password", "%%%not-base64%%%", "invalid_base64"),
        ("db_password", base64.b64encode(b"x" * 40).decode(), "authentication_failed"),
        ("api_token", base64.b64encode(b"x" * 10).decode(), "malformed"),
        ("config", "PLAINTEXT-NOT-JSON", "invalid_json"),
        ("legacy", "gAAAA", "invalid_base64"),
    ],
)
def test_decrypt_properties_errors_name_the_input(
    decryptor: Decryptor, action: dict[str, Any], public_pem: str, name: str, value: str, code: str
) -> None:
    props = _properties(public_pem)
    if value == "PLAINTEXT-NOT-JSON":
        value = port_secret.encrypt_aes256_gcm(value, SECRET)
    props[name] = value
    with pytest.raises(PortSecretError) as info:
        decryptor.decrypt_properties(props, action["userInputs"])
    assert (info.value.code, info.value.input) == (code, name)
    assert f'(input "{name}")' in str(info.value)
    assert "PLAINTEXT" not in str(info.value)


def test_decrypt_properties_unsupported_encryption(decryptor: Decryptor) -> None:
    with pytest.raises(PortSecretError) as info:
        decryptor.decrypt_properties({"x": "AAAA"}, {"x": {"type": "string", "encryption": "rot13"}})
    assert (info.value.code, info.value.input) == ("unsupported_encryption", "x")


# --- signatures ---------------------------------------------------------------------------


def test_signatures() -> None:
    body = b'{"action":{"identifier":"deploy"},"payload":{"properties":{}}}'
    ts = str(int(time.time()))
    sig = port_secret.sign_payload(body, ts, SECRET)
    assert sig.startswith("v1,") and len(base64.b64decode(sig[3:])) == 32
    assert port_secret.sign_payload(body.decode(), ts, SECRET) == sig
    assert port_secret.sign_payload(bytearray(body), ts, SECRET) == sig
    port_secret.verify_signature(body, sig, ts, SECRET)
    port_secret.verify_signature(memoryview(body), sig, ts, SECRET, tolerance=0)
    Decryptor(client_secret=SECRET).verify_signature(body, f"v1,AAAA {sig}", ts)
    # The HMAC key is the whole secret, not its first 32 bytes.
    with pytest.raises(PortSecretError) as info:
        port_secret.verify_signature(body, sig, ts, SECRET[:32])
    assert info.value.code == "invalid_signature"
    for bad_body, bad_sig, bad_ts in [
        (body + b" ", sig, ts),
        (body, sig, str(int(ts) + 1)),
        (body, sig.replace("v1,", "v0,"), ts),
        (body, "", ts),
        (body, sig, "not-a-number"),
    ]:
        with pytest.raises(PortSecretError) as info:
            port_secret.verify_signature(bad_body, bad_sig, bad_ts, SECRET)
        assert info.value.code == "invalid_signature"
    future = str(int(time.time()) + 3600)
    with pytest.raises(PortSecretError) as info:
        port_secret.verify_signature(body, port_secret.sign_payload(body, future, SECRET), future, SECRET)
    assert info.value.code == "expired"
