"""The error taxonomy: one PortSecretError(ValueError) with a stable .code, every code reachable,
no secret in any message or repr, TypeError for wrong Python types."""

from __future__ import annotations

import base64
import pickle
import time
from typing import Any, Callable

import pytest

import port_secret
from port_secret import Decryptor, PortSecretError, _native

from conftest import SECRET

CODES = (
    "invalid_base64",
    "malformed",
    "authentication_failed",
    "invalid_key",
    "invalid_utf8",
    "invalid_json",
    "expired",
    "unsupported_encryption",
    "invalid_signature",
)

PLAINTEXT = "hunter2-the-plaintext-Ω"


def test_error_codes_are_the_contract() -> None:
    assert port_secret.ERROR_CODES == CODES


def test_error_class() -> None:
    assert issubclass(PortSecretError, ValueError)
    assert PortSecretError.__module__ == "port_secret"
    err = PortSecretError("malformed: too short", "malformed", "db_password")
    assert (str(err), err.code, err.input) == ("malformed: too short", "malformed", "db_password")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is PortSecretError
    assert (str(again), again.code, again.input) == (str(err), err.code, err.input)
    assert "db_password" in repr(err) and "malformed" in repr(err)


def _every_code(private_pem: str, public_pem: str) -> dict[str, Callable[[], Any]]:
    d = Decryptor(client_secret=SECRET, private_key=private_pem)
    good = port_secret.encrypt_aes256_gcm(PLAINTEXT, SECRET)
    raw = bytearray(base64.b64decode(good))
    raw[-1] ^= 1
    tampered = base64.b64encode(bytes(raw)).decode()
    not_utf8 = port_secret.encrypt_aes256_gcm(b"\xff\xfe" + PLAINTEXT.encode(), SECRET)
    not_json = port_secret.encrypt_client_side(PLAINTEXT, public_pem)
    old_token = _native._encrypt_fernet_from_parts(PLAINTEXT, SECRET, 1_000_000_000, bytes(16))
    ts = str(int(time.time()))
    sig = port_secret.sign_payload(b"{}", ts, SECRET)
    return {
        "invalid_base64": lambda: d.decrypt("not base64 *" + PLAINTEXT, "aes256-gcm"),
        "malformed": lambda: d.decrypt(base64.b64encode(b"short").decode(), "aes256-gcm"),
        "authentication_failed": lambda: d.decrypt(tampered, "aes256-gcm"),
        "invalid_key": lambda: port_secret.decrypt_aes256_gcm(good, SECRET[:31]),
        "invalid_utf8": lambda: d.decrypt(not_utf8, "aes256-gcm"),
        "invalid_json": lambda: d.decrypt_json(not_json, {"algorithm": "client-side", "key": public_pem}),
        "expired": lambda: port_secret.decrypt_fernet(old_token, SECRET, ttl=60),
        "unsupported_encryption": lambda: d.decrypt(good, "rot13"),
        "invalid_signature": lambda: d.verify_signature(b"{ }", sig, ts),
    }


@pytest.mark.parametrize("code", CODES)
def test_every_code_is_raised_with_no_secret(code: str, private_pem: str, public_pem: str) -> None:
    call = _every_code(private_pem, public_pem)[code]
    with pytest.raises(PortSecretError) as info:
        call()
    err = info.value
    assert err.code == code
    assert err.input is None
    shown = " ".join([str(err), repr(err), repr(err.args)])
    for secret in (SECRET, SECRET[:32], SECRET[:16], PLAINTEXT, "hunter2", private_pem[40:80]):
        assert secret not in shown


def test_expired_signature() -> None:
    old = str(int(time.time()) - 301)
    sig = port_secret.sign_payload("body", old, SECRET)
    with pytest.raises(PortSecretError) as info:
        port_secret.verify_signature("body", sig, old, SECRET)
    assert info.value.code == "expired"
    port_secret.verify_signature("body", sig, old, SECRET, tolerance=400)


def test_repr_of_decryptor_shows_counts_only(private_pem: str, private_pem_b: str) -> None:
    d = Decryptor(client_secret=[SECRET, SECRET + "x"], private_key=(private_pem, private_pem_b))
    shown = repr(d) + str(d)
    assert repr(d) == "Decryptor(client_secrets=2, private_keys=2, max_input_len=1048576)"
    assert SECRET[:8] not in shown and "PRIVATE" not in shown and private_pem[40:80] not in shown
    with pytest.raises(TypeError):
        pickle.dumps(d)


def test_bad_private_key_message_has_no_key(private_pem: str) -> None:
    broken = private_pem.replace("A", "B", 5)
    with pytest.raises(PortSecretError) as info:
        Decryptor(private_key=broken)
    assert info.value.code == "invalid_key"
    for line in broken.splitlines()[1:3]:
        assert line not in str(info.value) and line not in repr(info.value)


def test_no_key_for_the_format(private_pem: str) -> None:
    only_rsa = Decryptor(private_key=private_pem)
    with pytest.raises(PortSecretError, match="^invalid_key: ") as info:
        only_rsa.decrypt(port_secret.encrypt_aes256_gcm("x", SECRET), "aes256-gcm")
    assert info.value.code == "invalid_key"
    with pytest.raises(PortSecretError) as info:
        Decryptor(client_secret=SECRET).decrypt("AAAA", "client-side")
    assert info.value.code == "invalid_key"
    with pytest.raises(PortSecretError) as info:
        Decryptor()
    assert info.value.code == "invalid_key"


# --- wrong Python types: TypeError, never a crash ------------------------------------------

VALUE = "AAAA"


@pytest.mark.parametrize(
    "call",
    [
        lambda: port_secret.decrypt_aes256_gcm(None, SECRET),
        lambda: port_secret.decrypt_aes256_gcm(12, SECRET),
        lambda: port_secret.decrypt_aes256_gcm([VALUE], SECRET),
        lambda: port_secret.decrypt_aes256_gcm(VALUE, SECRET.encode()),
        lambda: port_secret.decrypt_aes256_gcm(VALUE, None),
        lambda: port_secret.decrypt_aes256_gcm_bytes(VALUE, 42),
        lambda: port_secret.encrypt_aes256_gcm(3.5, SECRET),
        lambda: port_secret.encrypt_aes256_gcm({"a": 1}, SECRET),
        lambda: port_secret.decrypt_client_side(VALUE, b"-----BEGIN PRIVATE KEY-----"),
        lambda: port_secret.encrypt_client_side("x", None),
        lambda: port_secret.decrypt_fernet(VALUE, SECRET, ttl="60"),
        lambda: port_secret.encrypt_fernet(object(), SECRET),
        lambda: port_secret.generate_key_pair("2048"),
        lambda: port_secret.sign_payload("{}", 1700000000.0, SECRET),
        lambda: port_secret.verify_signature("{}", None, "1700000000", SECRET),
        lambda: port_secret.verify_signature("{}", "v1,x", "1", SECRET, tolerance="300"),
        lambda: Decryptor(client_secret=123),
        lambda: Decryptor(client_secret=[SECRET, b"bytes"]),
        lambda: Decryptor(client_secret={SECRET}),
        lambda: Decryptor(private_key=b"-----BEGIN PRIVATE KEY-----"),
        lambda: Decryptor(client_secret=SECRET, max_input_len="big"),
        lambda: Decryptor(SECRET, None, None),  # max_input_len is keyword-only
        lambda: Decryptor(client_secret=SECRET).decrypt(VALUE, None),
        lambda: Decryptor(client_secret=SECRET).decrypt(VALUE, ["aes256-gcm"]),
        lambda: Decryptor(client_secret=SECRET).decrypt(None, "aes256-gcm"),
        lambda: Decryptor(client_secret=SECRET).decrypt_bytes(VALUE, 1),
        lambda: Decryptor(client_secret=SECRET).decrypt_json(VALUE, b"aes256-gcm"),
        lambda: Decryptor(client_secret=SECRET).decrypt(VALUE, {"algorithm": object()}),
        lambda: Decryptor(client_secret=SECRET).decrypt_properties(b"{}", {}),
        lambda: Decryptor(client_secret=SECRET).decrypt_properties({}, object()),
        lambda: Decryptor(client_secret=SECRET).decrypt_properties({"a": {1, 2}}, {}),
        lambda: Decryptor(client_secret=SECRET).decrypt_properties({1: "x"}, {}),
        lambda: Decryptor(client_secret=SECRET).verify_signature("{}", "v1,x", True),
    ],
)
def test_type_errors(call: Callable[[], Any]) -> None:
    with pytest.raises(TypeError) as info:
        call()
    assert not isinstance(info.value, PortSecretError)
    assert SECRET[:8] not in str(info.value)


def test_unencodable_text_is_a_value_error() -> None:
    with pytest.raises(UnicodeEncodeError):
        port_secret.encrypt_aes256_gcm("\ud800", SECRET)


@pytest.mark.parametrize("props, inputs", [([], {}), ({}, None), ("{}", {}), (1, {}), ({}, [])])
def test_json_that_is_not_an_object_is_malformed(props: Any, inputs: Any) -> None:
    """Any JSON value crosses; one that is not an object is malformed, as in every language."""
    with pytest.raises(PortSecretError) as info:
        Decryptor(client_secret=SECRET).decrypt_properties(props, inputs)
    assert (info.value.code, info.value.input) == ("malformed", None)


def test_json_values_that_cannot_cross() -> None:
    d = Decryptor(client_secret=SECRET)
    with pytest.raises(ValueError, match="64 bits"):
        d.decrypt_properties({"n": 2**70}, {})
    with pytest.raises(ValueError, match="NaN"):
        d.decrypt_properties({"n": float("nan")}, {})
    deep: list[Any] = []
    deep.append(deep)
    with pytest.raises(ValueError, match="nested"):
        d.decrypt_properties({"loop": deep}, {})


def test_a_huge_value_is_rejected_before_decoding() -> None:
    """A 64 MiB value is over the 1 MiB cap: malformed, without decoding it (no timing assert)."""
    huge = "A" * (64 << 20)
    d = Decryptor(client_secret=SECRET)
    for call in (
        lambda: d.decrypt(huge, "aes256-gcm"),
        lambda: d.decrypt(huge.encode(), "fernet"),
        lambda: port_secret.decrypt_aes256_gcm(huge, SECRET),
    ):
        with pytest.raises(PortSecretError) as info:
            call()
        assert info.value.code == "malformed"
    small = Decryptor(client_secret=SECRET, max_input_len=64)
    value = port_secret.encrypt_aes256_gcm("x" * 64, SECRET)
    with pytest.raises(PortSecretError) as info:
        small.decrypt(value, "aes256-gcm")
    assert info.value.code == "malformed"
