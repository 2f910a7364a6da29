"""Cross-path runner, Python: every shared vector through every entry point of the installed
port_secret package (run it with the venv holding the built wheel, from outside the source
tree), one JSON line per call (see compare.py for the format).

  python python_runner.py <tests/vectors dir> <out.jsonl>
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any, Callable, Optional

import port_secret
from port_secret import Decryptor, PortSecretError

LANG = "python"
FORMAT_DIRS = ("aes256_gcm", "client_side", "fernet", "signature", "properties", "runs")
RUN_KEYWORDS = {
    "tolerance": "tolerance",
    "verifySignature": "verify_signature",
    "userInputs": "user_inputs",
    "userInputsPointer": "user_inputs_pointer",
    "propertiesPointer": "properties_pointer",
    "defaultEncryption": "default_encryption",
    "maxBody": "max_body",
    "maxClientSideInputs": "max_client_side_inputs",
}


class Runner:
    def __init__(self, root: pathlib.Path) -> None:
        self.root = root
        self.lines: list[str] = []
        self.count = 0
        self.keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = (self.root / "keys" / name).read_text(encoding="utf-8")
        return self.keys[name]

    def emit(self, vid: str, path: str, kind: str, code: str, name: Optional[str] = None) -> None:
        rec = {"vector": vid, "path": f"{LANG}:{path}", "kind": kind, "code": code, "input": name}
        self.lines.append(json.dumps(rec, ensure_ascii=False))
        self.count += 1

    def call(self, vid: str, path: str, kind: str, fn: Callable[[], Any], check: Callable[[Any], bool]) -> None:
        """Runs fn and records ok / wrong_output / the error's code."""
        try:
            out = fn()
        except PortSecretError as err:
            self.emit(vid, path, kind, err.code, err.input)
            return
        except Exception as err:  # noqa: BLE001 - any other exception is a finding, reported
            self.emit(vid, path, kind, f"exception:{type(err).__name__}")
            return
        self.emit(vid, path, kind, "ok" if check(out) else "wrong_output")


def checks(t: dict[str, Any]) -> tuple[Callable[[Any], bool], Callable[[Any], bool], Callable[[Any], bool]]:
    want_bytes = bytes.fromhex(t["plaintextHex"]) if "plaintextHex" in t else None
    want_text = t.get("plaintext")

    def as_json(out: Any) -> bool:
        return want_text is not None and json.dumps(out) == json.dumps(json.loads(want_text))

    return (
        lambda out: isinstance(out, bytes) and out == want_bytes,
        lambda out: isinstance(out, str) and out == want_text,
        as_json,
    )


def json_applies(t: dict[str, Any]) -> bool:
    return t["result"] == "invalid" or "JsonObject" in t["flags"]


def with_decryptor(make: Callable[[], Decryptor], call: Callable[[Decryptor], Any]) -> Callable[[], Any]:
    # A constructor error is this path's result (e.g. invalid_key for a short secret).
    return lambda: call(make())


def decryptor_paths(r: Runner, vid: str, t: dict[str, Any], make: Callable[[], Decryptor], value: str, enc: Any) -> None:
    is_bytes, is_text, is_json = checks(t)
    raw = value.encode("utf-8")
    r.call(vid, "Decryptor.decrypt_bytes(bytes)", "bytes", with_decryptor(make, lambda d: d.decrypt_bytes(raw, enc)), is_bytes)
    r.call(vid, "Decryptor.decrypt(str)", "text", with_decryptor(make, lambda d: d.decrypt(value, enc)), is_text)
    r.call(vid, "Decryptor.decrypt(bytes)", "text", with_decryptor(make, lambda d: d.decrypt(raw, enc)), is_text)
    if json_applies(t):
        r.call(vid, "Decryptor.decrypt_json(str)", "json", with_decryptor(make, lambda d: d.decrypt_json(value, enc)), is_json)


def aes256_gcm(r: Runner, vid: str, t: dict[str, Any]) -> None:
    value, secret = t["value"], t["clientSecret"]
    is_bytes, is_text, _ = checks(t)
    r.call(vid, "decrypt_aes256_gcm(str)", "text", lambda: port_secret.decrypt_aes256_gcm(value, secret), is_text)
    r.call(vid, "decrypt_aes256_gcm_bytes(bytes)", "bytes", lambda: port_secret.decrypt_aes256_gcm_bytes(value.encode(), secret), is_bytes)
    decryptor_paths(r, vid, t, lambda: Decryptor(client_secret=secret), value, "aes256-gcm")


def client_side(r: Runner, vid: str, t: dict[str, Any]) -> None:
    value, pem = t["value"], r.key(t["privateKey"])
    is_bytes, is_text, _ = checks(t)
    r.call(vid, "decrypt_client_side(str)", "text", lambda: port_secret.decrypt_client_side(value, pem), is_text)
    r.call(vid, "decrypt_client_side_bytes(bytes)", "bytes", lambda: port_secret.decrypt_client_side_bytes(value.encode(), pem), is_bytes)
    enc: Any = {"algorithm": "client-side", "key": r.key(t["publicKey"])} if "publicKey" in t else "client-side"
    decryptor_paths(r, vid, t, lambda: Decryptor(private_key=pem), value, enc)


def fernet(r: Runner, vid: str, t: dict[str, Any]) -> None:
    token, secret, ttl = t["token"], t["clientSecret"], t.get("ttl")
    is_bytes, is_text, _ = checks(t)
    if "now" in t:
        # The public clock keyword, `now=` (one-shot functions; a Decryptor has none for Fernet).
        now = t["now"]
        r.call(vid, "decrypt_fernet(str, now=)", "text", lambda: port_secret.decrypt_fernet(token, secret, ttl, now=now), is_text)
        r.call(vid, "decrypt_fernet_bytes(bytes, now=)", "bytes", lambda: port_secret.decrypt_fernet_bytes(token.encode(), secret, ttl, now=now), is_bytes)
        return
    r.call(vid, "decrypt_fernet(str)", "text", lambda: port_secret.decrypt_fernet(token, secret), is_text)
    r.call(vid, "decrypt_fernet_bytes(bytes)", "bytes", lambda: port_secret.decrypt_fernet_bytes(token.encode(), secret), is_bytes)
    decryptor_paths(r, vid, t, lambda: Decryptor(client_secret=secret), token, "fernet")


def signature(r: Runner, vid: str, t: dict[str, Any]) -> None:
    body, sig, ts = t["body"], t["signature"], t["timestamp"]
    secret, tolerance, now = t["clientSecret"], t["tolerance"], t["now"]
    none = lambda out: out is None  # noqa: E731
    r.call(vid, "verify_signature(str, now=)", "verify", lambda: port_secret.verify_signature(body, sig, ts, secret, tolerance, now=now), none)
    r.call(
        vid,
        "Decryptor.verify_signature(bytes, now=)",
        "verify",
        with_decryptor(lambda: Decryptor(client_secret=secret), lambda d: d.verify_signature(body.encode(), sig, ts, tolerance, now=now)),
        none,
    )


def run_decryptor(r: Runner, t: dict[str, Any]) -> Callable[[], Decryptor]:
    key = r.key(t["privateKey"]) if "privateKey" in t else None
    return lambda: Decryptor(client_secret=t["clientSecret"], private_key=key)


def same_json(t: dict[str, Any]) -> Callable[[Any], bool]:
    want = json.dumps(t.get("expected"))
    return lambda out: isinstance(out, dict) and json.dumps(out) == want


def properties(r: Runner, vid: str, t: dict[str, Any]) -> None:
    make = run_decryptor(r, t)
    r.call(
        vid,
        "Decryptor.decrypt_properties",
        "properties",
        with_decryptor(make, lambda d: d.decrypt_properties(t["properties"], t["userInputs"])),
        same_json(t),
    )


def run(r: Runner, vid: str, t: dict[str, Any]) -> None:
    make = run_decryptor(r, t)
    body = bytes.fromhex(t["bodyHex"]) if "bodyHex" in t else t["body"].encode("utf-8")
    options = {RUN_KEYWORDS[k]: v for k, v in t["options"].items()}
    options["now"] = t["now"]
    ok = same_json(t)
    if t["delivery"] == "kafka":
        r.call(vid, "Decryptor.open_kafka_message(bytes)", "run", with_decryptor(make, lambda d: d.open_kafka_message(body, **options)), ok)
        if "body" in t:
            text = t["body"]
            r.call(vid, "Decryptor.open_kafka_message(str)", "run", with_decryptor(make, lambda d: d.open_kafka_message(text, **options)), ok)
        return
    pairs = [tuple(p) for p in t["headers"]]
    delivery = t["delivery"]
    r.call(
        vid,
        "Decryptor.open_webhook(bytes, pairs)",
        "run",
        with_decryptor(make, lambda d: d.open_webhook(body, pairs, delivery=delivery, **options)),
        ok,
    )
    names = [n.lower() for n, _ in pairs]
    if len(set(names)) == len(names):  # a dict cannot repeat a name
        headers = dict(pairs)
        r.call(
            vid,
            "Decryptor.open_webhook(bytes, dict)",
            "run",
            with_decryptor(make, lambda d: d.open_webhook(body, headers, delivery=delivery, **options)),
            ok,
        )


CHECKS = {
    "aes256-gcm": aes256_gcm,
    "client-side": client_side,
    "fernet": fernet,
    "signature": signature,
    "properties": properties,
    "run": run,
}


def main() -> int:
    root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    if "site-packages" not in (port_secret.__file__ or ""):
        print(f"port_secret is not an installed package: {port_secret.__file__}", file=sys.stderr)
        return 1
    r = Runner(root)
    files = [p for sub in FORMAT_DIRS for p in sorted((root / sub).glob("*_test.json"))]
    tests = 0
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["schema"] != "port-secret-vectors/v1":
            print(f"{path}: unknown schema", file=sys.stderr)
            return 1
        rel = path.relative_to(root).as_posix()
        for t in doc["tests"]:
            tests += 1
            CHECKS[doc["format"]](r, f"{rel}#{t['tcId']}", t)
    out.write_text("".join(line + "\n" for line in r.lines), encoding="utf-8")
    print(f"python ({port_secret.__version__}, {port_secret.RSA_BACKEND}): {len(files)} files, {tests} tests, {r.count} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
