#!/usr/bin/env python3
"""The shared vectors (tests/vectors) through a built `port-secret` binary, as a release job runs
them on the binary it is about to ship: every aes256-gcm and client-side vector and every Fernet
vector that needs no clock, valid ones decrypted to their exact plaintext, invalid ones refused
with exit status 1 and their error code on stderr. Standard library only (runs on every runner).

    python3 tests/release/cli_vectors.py path/to/port-secret [--vectors tests/vectors]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cases(vectors: Path):
    """(id, encryption, env, args, stdin, expected) for every vector the CLI can take."""
    keys = vectors / "keys"
    for fmt, encryption in (("aes256_gcm", "aes256-gcm"), ("client_side", "client-side"), ("fernet", "fernet")):
        for path in sorted((vectors / fmt).glob("*_test.json")):
            for t in json.loads(path.read_text(encoding="utf-8"))["tests"]:
                value = t.get("value", t.get("token"))
                if value is None or value != value.strip() or "now" in t:
                    continue  # the CLI trims stdin and has no clock option: such vectors are the bindings'
                if encryption != "client-side" and not t["clientSecret"]:
                    continue  # an empty PORT_CLIENT_SECRET is a usage error (exit 2) for the CLI
                args = ["decrypt", "--encryption", encryption]
                env = {}
                if encryption == "client-side":
                    args += ["--private-key", str(keys / t["privateKey"])]
                else:
                    env["PORT_CLIENT_SECRET"] = t["clientSecret"]
                if t.get("ttl") is not None:
                    args += ["--ttl", str(t["ttl"])]
                if t["result"] == "valid":
                    hexed = t.get("plaintextHex")
                    expected = bytes.fromhex(hexed) if hexed is not None else t["plaintext"].encode()
                else:
                    expected = t["error"]
                yield f"{path.name}#{t['tcId']}", env, args, value.encode(), t["result"], expected


def run(cli: str, case) -> str | None:
    name, env, args, stdin, result, expected = case
    base = {k: v for k, v in os.environ.items() if k != "PORT_CLIENT_SECRET"}
    proc = subprocess.run([cli, *args], input=stdin, capture_output=True, env={**base, **env}, timeout=60)
    if result == "valid":
        if proc.returncode != 0:
            return f"{name}: exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}"
        if proc.stdout != expected:
            return f"{name}: wrong plaintext ({len(proc.stdout)} bytes, expected {len(expected)})"
        return None
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode != 1:
        return f"{name}: exit {proc.returncode}, expected 1 ({expected})"
    if f"error: {expected}" not in stderr:
        return f"{name}: expected error {expected}, got {stderr.strip()!r}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--vectors", default=os.environ.get("PORT_SECRET_VECTORS", ROOT / "tests" / "vectors"))
    opts = parser.parse_args()
    cli = str(Path(opts.cli).resolve())
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"{version} ({cli}) on the vectors of {opts.vectors}")
    todo = list(cases(Path(opts.vectors)))
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) * 2)) as pool:
        failures = [f for f in pool.map(lambda c: run(cli, c), todo) if f]
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"cli vectors: {len(todo) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures or not todo else 0


if __name__ == "__main__":
    sys.exit(main())
