"""Decryptor.open_webhook / open_kafka_message: every test of tests/vectors/runs/runs_test.json
(the exact run, same types and key order, or the exact code and input name), with the headers
as a list of pairs, a dict and werkzeug's Headers; then what the vectors leave to each binding:
integers of any size, argument types, the GIL released during the run."""

from __future__ import annotations

import bisect
import functools
import inspect
import json
import sys
import threading
import time
from typing import Any, Callable, Optional

import pytest

import port_secret
from port_secret import Decryptor, PortSecretError

from conftest import SECRET, VECTORS, read_key

DOC = json.loads((VECTORS / "runs" / "runs_test.json").read_text(encoding="utf-8"))
TESTS = DOC["tests"]

try:
    from werkzeug.datastructures import Headers as WerkzeugHeaders
except ImportError:  # pragma: no cover - werkzeug is in requirements.txt
    WerkzeugHeaders = None

# The vectors' options (camelCase) and the keywords they are.
KEYWORDS = {
    "tolerance": "tolerance",
    "verifySignature": "verify_signature",
    "userInputs": "user_inputs",
    "userInputsPointer": "user_inputs_pointer",
    "propertiesPointer": "properties_pointer",
    "defaultEncryption": "default_encryption",
    "maxBody": "max_body",
    "maxClientSideInputs": "max_client_side_inputs",
}


def test_run_file() -> None:
    assert DOC["format"] == "run"
    assert DOC["numberOfTests"] == len(TESTS) == 117
    assert {t["delivery"] for t in TESTS} == {"port", "agent", "kafka"}
    assert {k for t in TESTS for k in t["options"]} <= set(KEYWORDS)


@functools.lru_cache(maxsize=None)
def run_decryptor(secret: str, key_file: Optional[str]) -> Decryptor:
    return Decryptor(client_secret=secret, private_key=read_key(key_file) if key_file else None)


def same(got: Any, want: Any, path: str = "$") -> None:
    """Equal as JSON values, with the same types (1 is not 1.0 nor True, -0.0 is not 0.0) and
    the same key order at every level."""
    assert type(got) is type(want), (path, type(got), type(want))
    if isinstance(want, dict):
        assert list(got) == list(want), path
        for key in want:
            same(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{path}[{i}]")
    elif isinstance(want, float):
        assert repr(got) == repr(want), path
    else:
        assert got == want, path


def header_forms(case: dict[str, Any]) -> list[tuple[str, Any]]:
    pairs = case["headers"]
    forms: list[tuple[str, Any]] = [("pairs", [tuple(p) for p in pairs]), ("lists", pairs)]
    names = [name.lower() for name, _ in pairs]
    if len(set(names)) == len(names):  # a dict cannot repeat a name
        forms.append(("dict", dict(pairs)))
    if WerkzeugHeaders is not None:
        forms.append(("werkzeug", WerkzeugHeaders(pairs)))
    return forms


def check(case: dict[str, Any], call: Callable[[], Any]) -> None:
    if case["result"] == "valid":
        run = call()
        assert type(run) is dict
        same(run, case["expected"])
        return
    with pytest.raises(PortSecretError) as info:
        call()
    err = info.value
    assert (err.code, err.input) == (case["error"], case["input"]), case["comment"]
    assert str(err).startswith(err.code + ": ")


@pytest.mark.parametrize("case", TESTS, ids=[f"{t['delivery']}-{t['tcId']}" for t in TESTS])
def test_run_vector(case: dict[str, Any]) -> None:
    d = run_decryptor(case["clientSecret"], case.get("privateKey"))
    body = bytes.fromhex(case["bodyHex"]) if "bodyHex" in case else case["body"].encode("utf-8")
    options = {KEYWORDS[k]: v for k, v in case["options"].items()}
    options["now"] = case["now"]
    if case["delivery"] == "kafka":
        assert "headers" not in case
        check(case, lambda: d.open_kafka_message(body, **options))
        return
    for form, headers in header_forms(case):
        try:
            check(case, lambda: d.open_webhook(body, headers, delivery=case["delivery"], **options))
        except AssertionError as err:
            raise AssertionError(f"headers as {form}: {err}") from err


# ---------------------------------------------------------------------------------------------
# Beyond the vectors

NOW = 1764583200


def signed(body: Any, secret: str = SECRET, ts: int = NOW - 10) -> tuple[bytes, list[tuple[str, str]]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    sig = port_secret.sign_payload(raw, str(ts), secret)
    return raw, [("X-Port-Signature", sig), ("X-Port-Timestamp", str(ts))]


def a_run(properties: dict[str, Any], definitions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**extra, "payload": {"action": {"userInputs": {"properties": definitions}},
                                 "properties": properties}}


@pytest.fixture(scope="module")
def d(private_pem: str) -> Decryptor:
    return Decryptor(client_secret=SECRET, private_key=private_pem)


def test_integers_of_any_size_stay_exact(d: Decryptor) -> None:
    big = 123456789012345678901234567890
    raw = (b'{"n": 123456789012345678901234567890, "m": -98765432109876543210987654321, '
           b'"u": 18446744073709551615, "i": -9223372036854775808, "f": 1.5, "e": 1e16, '
           b'"z": -0.0, "h": 1E400, "payload": {"properties": {"n": 123456789012345678901234567890},'
           b' "action": {"userInputs": {"properties": {}}}}}')
    raw, headers = signed(raw)
    run = d.open_webhook(raw, headers, now=NOW)
    assert run["n"] == big and type(run["n"]) is int
    assert run["payload"]["properties"]["n"] == big
    assert run["m"] == -98765432109876543210987654321 and type(run["m"]) is int
    assert run["u"] == 2**64 - 1 and run["i"] == -(2**63)
    assert repr(run["f"]) == "1.5" and repr(run["e"]) == "1e+16" and repr(run["z"]) == "-0.0"
    assert run["h"] == float("inf")
    # What json.loads gives for the same text.
    same(run, json.loads(raw))


def test_proto_key_is_a_normal_key(d: Decryptor) -> None:
    secret_value = port_secret.encrypt_aes256_gcm("s3cret", SECRET)
    body = a_run({"__proto__": secret_value, "constructor": {"x": 1}},
                 {"__proto__": {"type": "string", "encryption": "aes256-gcm"}},
                 __proto__={"polluted": True})
    raw, headers = signed(body)
    run = d.open_webhook(raw, headers, now=NOW)
    assert list(run) == ["__proto__", "payload"]
    assert run["__proto__"] == {"polluted": True}
    assert run["payload"]["properties"] == {"__proto__": "s3cret", "constructor": {"x": 1}}
    assert not hasattr({}, "polluted")


def test_body_types_and_header_spellings(d: Decryptor) -> None:
    raw, headers = signed(a_run({"p": "plain"}, {"p": {"type": "string"}}))
    want = json.loads(raw)
    for body in (raw, raw.decode(), bytearray(raw), memoryview(raw)):
        assert d.open_webhook(body, headers, now=NOW) == want
    as_bytes = [(n.encode(), v.encode()) for n, v in headers]
    assert d.open_webhook(raw, as_bytes, now=NOW) == want
    assert d.open_webhook(raw, [(n.upper(), v) for n, v in headers], now=NOW) == want
    assert d.open_webhook(raw, {n.lower(): v for n, v in headers}, now=NOW) == want
    assert d.open_webhook(raw, iter(headers), now=NOW) == want  # any iterable of pairs
    # An unrelated header with a lone surrogate (not UTF-8) is ignored, not an error.
    assert d.open_webhook(raw, [*headers, ("x-odd", "\udcff")], now=NOW) == want
    with pytest.raises(PortSecretError) as info:
        d.open_webhook(raw, [("content-type", "application/json")], now=NOW)
    assert info.value.code == "invalid_signature"


def test_kafka_message(d: Decryptor) -> None:
    body = a_run({"token": port_secret.encrypt_aes256_gcm("t0k", SECRET)},
                 {"token": {"type": "string", "encryption": "aes256-gcm"}})
    body["headers"] = {"X-Port-Timestamp": str(NOW)}
    signed_text = json.dumps({**body, "headers": {}}, separators=(",", ":"), ensure_ascii=False)
    body["headers"]["X-Port-Signature"] = port_secret.sign_payload(signed_text, str(NOW), SECRET)
    run = d.open_kafka_message(json.dumps(body), now=NOW)
    assert run["payload"]["properties"] == {"token": "t0k"}
    assert run["headers"] == body["headers"]
    with pytest.raises(PortSecretError) as info:
        d.open_kafka_message(json.dumps(body), now=NOW + 301)
    assert info.value.code == "expired"


@pytest.mark.parametrize("headers", [
    5, None, "x-port-signature: v1,AAAA", b"x-port-signature", 1.5,
    [("x-port-signature",)], [("a", "b", "c")], ["ab"], [5], [("a", 5)], [(5, "a")], {"a": 5},
    {"a": ["v1,AAAA"]},
])
def test_bad_headers_are_type_errors(d: Decryptor, headers: Any) -> None:
    raw, _ = signed(a_run({}, {}))
    with pytest.raises(TypeError):
        d.open_webhook(raw, headers, now=NOW)


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"delivery": "kafka"}, ValueError),
    ({"delivery": "Port"}, ValueError),
    ({"delivery": 1}, TypeError),
    ({"tolerance": "300"}, TypeError),
    ({"tolerance": 1.5}, TypeError),
    ({"tolerance": True}, TypeError),
    ({"tolerance": -1}, ValueError),
    ({"verify_signature": 1}, TypeError),
    ({"verify_signature": None}, TypeError),
    ({"user_inputs": "token"}, TypeError),
    ({"user_inputs": {"properties": {"t": {"encryption": b"aes256-gcm"}}}}, TypeError),
    ({"properties_pointer": None}, TypeError),
    ({"user_inputs_pointer": 5}, TypeError),
    ({"default_encryption": 5}, TypeError),
    ({"default_encryption": None}, TypeError),
    ({"max_body": 1.0}, TypeError),
    ({"max_body": -5}, ValueError),
    ({"max_client_side_inputs": "64"}, TypeError),
    ({"now": "1764583200"}, TypeError),
    ({"now": 1.5}, TypeError),
    ({"unknown": 1}, TypeError),
])
def test_bad_options(d: Decryptor, kwargs: dict[str, Any], error: type) -> None:
    raw, headers = signed(a_run({}, {}))
    with pytest.raises(error) as info:
        d.open_webhook(raw, headers, now=NOW, **kwargs)
    assert not isinstance(info.value, PortSecretError)


def test_now_beyond_64_bits(d: Decryptor) -> None:
    raw, headers = signed(a_run({}, {}))
    with pytest.raises(ValueError) as info:
        d.open_webhook(raw, headers, now=2**64)
    assert not isinstance(info.value, PortSecretError)


def test_kafka_takes_no_delivery_nor_headers(d: Decryptor) -> None:
    with pytest.raises(TypeError):
        d.open_kafka_message(b"{}", delivery="port")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        d.open_kafka_message(b"{}", [])  # type: ignore[misc]
    with pytest.raises(TypeError):
        d.open_webhook(b"{}", [], "port")  # type: ignore[misc]


def test_invalid_pointer_is_malformed_before_anything(d: Decryptor) -> None:
    for options in ({"properties_pointer": "payload/properties"}, {"user_inputs_pointer": "x"}):
        with pytest.raises(PortSecretError) as info:
            d.open_webhook(b"", [], verify_signature=False, **options)
        assert (info.value.code, info.value.input) == ("malformed", None)
    with pytest.raises(PortSecretError) as info:
        d.open_webhook(b"", [], verify_signature=False)
    assert info.value.code == "invalid_json"


def test_names_list_and_default_encryption(d: Decryptor, public_pem: str) -> None:
    props = {"a": port_secret.encrypt_client_side("rsa", public_pem), "b": "plain"}
    raw, headers = signed({"payload": {"properties": props}})
    run = d.open_webhook(raw, headers, now=NOW, user_inputs=("a",),
                         default_encryption={"algorithm": "client-side", "key": public_pem})
    assert run["payload"]["properties"] == {"a": "rsa", "b": "plain"}
    with pytest.raises(PortSecretError) as info:
        d.open_webhook(raw, headers, now=NOW, user_inputs=["a"], max_client_side_inputs=0,
                       default_encryption="client-side")
    assert (info.value.code, info.value.input) == ("malformed", "a")


def test_signatures_show_the_defaults() -> None:
    common = {
        "tolerance": 300, "user_inputs": None, "verify_signature": True,
        "properties_pointer": "/payload/properties",
        "user_inputs_pointer": "/payload/action/userInputs", "default_encryption": "aes256-gcm",
        "max_body": port_secret.DEFAULT_MAX_BODY,
        "max_client_side_inputs": port_secret.DEFAULT_MAX_CLIENT_SIDE_INPUTS, "now": None,
    }
    for method, positional, extra in (
        (Decryptor.open_webhook, ["body", "headers"], {"delivery": "port"}),
        (Decryptor.open_kafka_message, ["message"], {}),
    ):
        params = inspect.signature(method).parameters
        assert [n for n, p in params.items()
                if p.kind is p.POSITIONAL_OR_KEYWORD and n != "self"] == positional
        keywords = {n: p.default for n, p in params.items() if p.kind is p.KEYWORD_ONLY}
        assert keywords == {**extra, **common}
    assert port_secret.DEFAULT_MAX_BODY == 1 << 20
    assert port_secret.DEFAULT_MAX_CLIENT_SIDE_INPUTS == 64


def test_gil_released_during_open_webhook() -> None:
    """Another thread keeps running Python while a run with 40 client-side inputs (40 RSA-4096
    private-key operations, tens of milliseconds) is opened: the whole core call runs without
    the GIL."""
    d = Decryptor(client_secret=SECRET, private_key=read_key("rsa4096_pkcs8.pem"))
    public_pem = read_key("rsa4096_public.pem")
    names = [f"key_{i}" for i in range(40)]
    encryption = {"algorithm": "client-side", "key": public_pem}
    body = a_run({n: port_secret.encrypt_client_side(f"v{i}", public_pem) for i, n in enumerate(names)},
                 {n: {"type": "string", "encryption": encryption} for n in names})
    raw, headers = signed(body)

    stamps: list[float] = []  # appended by one thread only: sorted
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            stamps.append(time.perf_counter())

    # A short switch interval: once a call that held the GIL returns, the spinner gets it back
    # for at most ~0.1 ms before `end` is read, so such a call shows no stamp in its first half.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        while not stamps:
            time.sleep(0.001)
        seen = []
        for _ in range(3):
            start = time.perf_counter()
            run = d.open_webhook(raw, headers, now=NOW)
            took = time.perf_counter() - start
            # Stamps in the call's first half (after the argument conversion at its start).
            lo, hi = start + took / 10, start + took / 2
            seen.append((round(took, 4), bisect.bisect_left(stamps, hi) - bisect.bisect_right(stamps, lo)))
            assert run["payload"]["properties"] == {n: f"v{i}" for i, n in enumerate(names)}
    finally:
        stop.set()
        spinner.join()
        sys.setswitchinterval(interval)
    # With the GIL held, no call could show a stamp there; one call is proof enough (on a busy
    # machine the spinner may not be scheduled during every call).
    assert max(count for _, count in seen) > 10, seen


def test_threads_open_runs_in_parallel(d: Decryptor, public_pem: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    encryption = {"algorithm": "client-side", "key": public_pem}
    cases = []
    for i in range(24):
        body = a_run({"k": port_secret.encrypt_client_side(f"v{i}", public_pem), "i": i},
                     {"k": {"type": "string", "encryption": encryption}})
        cases.append(signed(body))
    cases.append(signed(a_run({}, {}), secret="another-secret-0123456789abcdefghij"))

    def one(case: tuple[bytes, list[tuple[str, str]]]) -> Any:
        try:
            return d.open_webhook(case[0], case[1], now=NOW)["payload"]["properties"]
        except PortSecretError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, cases))
    assert results[:-1] == [{"k": f"v{i}", "i": i} for i in range(24)]
    assert results[-1] == "invalid_signature"
