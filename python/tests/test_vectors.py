"""The shared vectors in tests/vectors/ (made by pyca/cryptography, pycryptodome, node:crypto and
WebCrypto): every valid case decrypts to its exact bytes (text: its exact string, or
invalid_utf8 when it is not UTF-8), every invalid case raises PortSecretError with its exact
code, through the one-shot functions and through a Decryptor."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

import port_secret
from port_secret import Decryptor, PortSecretError

from conftest import VECTORS, read_key

# The whole-run vectors (runs/runs_test.json) are test_runs.py's.
FILES = sorted(p for p in VECTORS.glob("*/*_test.json") if p.parent.name != "runs")


def _load() -> list[Any]:
    params = []
    for path in FILES:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["numberOfTests"] == len(doc["tests"]), path
        for case in doc["tests"]:
            params.append(
                pytest.param(doc["format"], case, id=f"{path.stem}-{case['tcId']}")
            )
    return params


CASES = _load()


def test_vector_files_present() -> None:
    formats = {json.loads(p.read_text(encoding="utf-8"))["format"] for p in FILES}
    assert formats == {"aes256-gcm", "client-side", "fernet", "signature", "properties"}
    assert len(CASES) > 1000


Outcome = tuple[str, Any]  # ("ok", value) or ("err", code)


def run(fn: Callable[[], Any]) -> Outcome:
    try:
        return ("ok", fn())
    except PortSecretError as err:
        assert isinstance(err, ValueError)
        assert err.code in port_secret.ERROR_CODES
        assert str(err).startswith(err.code + ": ")
        return ("err", err.code)


def check(case: dict[str, Any], raw: Outcome, text: Outcome) -> None:
    if case["result"] == "valid":
        assert raw == ("ok", bytes.fromhex(case["plaintextHex"])), case["comment"]
        if "plaintext" in case:
            assert text == ("ok", case["plaintext"]), case["comment"]
        else:
            assert text == ("err", "invalid_utf8"), case["comment"]
    else:
        assert case["result"] == "invalid"
        assert raw == ("err", case["error"]), case["comment"]
        assert text == ("err", case["error"]), case["comment"]


@functools.lru_cache(maxsize=None)
def private_key_decryptor(name: str) -> Outcome:
    return run(lambda: Decryptor(private_key=read_key(name)))


def with_decryptor(made: Outcome, call: Callable[[Decryptor], Any]) -> Outcome:
    kind, value = made
    if kind == "err":
        return made
    return run(lambda: call(value))


def check_aes256_gcm(case: dict[str, Any]) -> None:
    value, secret = case["value"], case["clientSecret"]
    check(
        case,
        run(lambda: port_secret.decrypt_aes256_gcm_bytes(value, secret)),
        run(lambda: port_secret.decrypt_aes256_gcm(value, secret)),
    )
    made = run(lambda: Decryptor(client_secret=secret))
    raw_value = value.encode("utf-8")  # the bytes form of the same value
    check(
        case,
        with_decryptor(made, lambda d: d.decrypt_bytes(raw_value, "aes256-gcm")),
        with_decryptor(made, lambda d: d.decrypt(raw_value, {"algorithm": "aes256-gcm"})),
    )


def check_client_side(case: dict[str, Any]) -> None:
    value, pem = case["value"], read_key(case["privateKey"])
    check(
        case,
        run(lambda: port_secret.decrypt_client_side_bytes(value, pem)),
        run(lambda: port_secret.decrypt_client_side(value, pem)),
    )
    public: Optional[str] = read_key(case["publicKey"]) if "publicKey" in case else None
    encryption = {"algorithm": "client-side", "key": public}
    made = private_key_decryptor(case["privateKey"])
    check(
        case,
        with_decryptor(made, lambda d: d.decrypt_bytes(value, encryption)),
        with_decryptor(made, lambda d: d.decrypt(value, "client-side")),
    )


def check_fernet(case: dict[str, Any]) -> None:
    token, secret, ttl = case["token"], case["clientSecret"], case.get("ttl")
    if "now" in case:
        now = case["now"]
        check(
            case,
            run(lambda: port_secret.decrypt_fernet_bytes(token, secret, ttl, now=now)),
            run(lambda: port_secret.decrypt_fernet(token.encode(), secret, ttl, now=now)),
        )
        return
    assert ttl is None
    check(
        case,
        run(lambda: port_secret.decrypt_fernet_bytes(token, secret)),
        run(lambda: port_secret.decrypt_fernet(token, secret)),
    )
    made = run(lambda: Decryptor(client_secret=secret))
    check(
        case,
        with_decryptor(made, lambda d: d.decrypt_bytes(token, "fernet")),
        with_decryptor(made, lambda d: d.decrypt(token.encode(), "fernet")),
    )


def check_signature(case: dict[str, Any]) -> None:
    body, sig, ts = case["body"], case["signature"], case["timestamp"]
    secret, tolerance, now = case["clientSecret"], case["tolerance"], case["now"]
    want: Outcome = ("ok", None) if case["result"] == "valid" else ("err", case["error"])
    assert run(lambda: port_secret.verify_signature(body, sig, ts, secret, tolerance, now=now)) == want
    body_bytes = body.encode("utf-8")
    made = run(lambda: Decryptor(client_secret=secret))
    got = with_decryptor(made, lambda d: d.verify_signature(body_bytes, sig, ts, tolerance, now=now))
    assert got == want, case["comment"]
    if case["result"] == "valid":
        # Port's signature is what sign_payload makes (the first v1 entry of the header).
        mine = port_secret.sign_payload(body, ts, secret)
        assert mine in sig.split()


@functools.lru_cache(maxsize=None)
def properties_decryptor(secret: str, key_file: Optional[str]) -> Decryptor:
    return Decryptor(client_secret=secret, private_key=read_key(key_file) if key_file else None)


def check_properties(case: dict[str, Any]) -> None:
    """decrypt_properties on the JSON values as json.loads gives them (dict, list, str, int,
    float, bool, None, as a user passes them): the exact output (same key order), or
    PortSecretError with the exact code and input name."""
    d = properties_decryptor(case["clientSecret"], case.get("privateKey"))
    props, inputs = case["properties"], case["userInputs"]
    if case["result"] == "valid":
        out = d.decrypt_properties(props, inputs)
        assert type(out) is dict
        assert out == case["expected"], case["comment"]
        # Same types (True is not 1) and the same key order as the expected output.
        assert json.dumps(out) == json.dumps(case["expected"]), case["comment"]
        return
    with pytest.raises(PortSecretError) as info:
        d.decrypt_properties(props, inputs)
    err = info.value
    assert (err.code, err.input) == (case["error"], case["input"]), case["comment"]
    assert str(err).startswith(err.code + ": ")


CHECKS = {
    "aes256-gcm": check_aes256_gcm,
    "client-side": check_client_side,
    "fernet": check_fernet,
    "signature": check_signature,
    "properties": check_properties,
}


@pytest.mark.parametrize(("fmt", "case"), CASES)
def test_vector(fmt: str, case: dict[str, Any]) -> None:
    CHECKS[fmt](case)


KEYS_JSON = json.loads((VECTORS / "keys" / "keys.json").read_text(encoding="utf-8"))["keys"]


@pytest.mark.parametrize("key", KEYS_JSON, ids=[k["file"] for k in KEYS_JSON])
def test_key_files(key: dict[str, Any]) -> None:
    """Creation consistency: exactly the valid RSA private keys of 2048-4096 bits are accepted."""
    pem = read_key(key["file"])
    outcome = run(lambda: Decryptor(private_key=pem))
    if key["validPrivateKey"]:
        assert outcome[0] == "ok"
        assert outcome[1].private_key_count == 1
    else:
        assert outcome == ("err", "invalid_key")


def test_vectors_dir_is_the_repo_one() -> None:
    assert Path(VECTORS, "keys", "rsa2048_pkcs8.pem").is_file()
