#!/usr/bin/env python3
"""Soak (not a unit test): SOAK_THREADS threads (default 8) share ONE port_secret.Decryptor for
SOAK_SECONDS (default 10), each looping over a fixed mix of good and bad values; counts the
operations and the wrong outcomes, and watches resident memory (VmRSS).

    python bench/soak/soak.py        # with port_secret installed (run from outside python/)

The mix: the cases of cases.py (pyca-made vectors, damaged vectors, the demo webhook body via
decrypt_properties, the demo body with one input tampered) plus values made here at start with
the package's encrypt functions (aes256-gcm, fernet, client-side for two of the keys, a 64 KiB
value, bytes input) and bad ones (tampered, not base64, too short, unsupported encryption).
A wrong outcome is any result other than the expected plaintext, or any exception other than a
PortSecretError with exactly the expected code (and input, for decrypt_properties).

Exit status: 0 when no outcome was wrong and VmRSS grew by at most SOAK_RSS_BOUND_MIB (default
16) between the end of the warm-up and the end; 1 otherwise.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cases as soak_cases
import port_secret
from port_secret import Decryptor, PortSecretError

ROOT = Path(os.environ.get("PORT_SECRET_REPO", Path(__file__).resolve().parents[2]))
THREADS = int(os.environ.get("SOAK_THREADS", "8"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "10"))
# Deliberately loose: a leak of even a few bytes per operation adds up to far more than this
# over a soak (hundreds of thousands of operations), while allocator noise (per-thread malloc
# arenas, Python's free lists) stays well under it. It catches leaks per op, not noise.
RSS_BOUND_KIB = int(float(os.environ.get("SOAK_RSS_BOUND_MIB", "16")) * 1024)
MAX_REPORTED = 10


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def case(
    label: str, value: Any, encryption: Any, expect: str, output: Any = None
) -> dict[str, Any]:
    return {"label": label, "kind": "decrypt", "value": value, "encryption": encryption,
            "expect": expect, "output": output, "input": None}


def self_made(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Values made now with the package's encrypt functions, and bad values made from them."""
    demo, vec = data["secrets"]["demo"], data["secrets"]["vectors"]
    pub = data["public_keys"]
    big = "x" * (64 * 1024)
    text = "pässwörd 🔑 with\nnew line"
    aes = port_secret.encrypt_aes256_gcm("pw", demo)
    fer = port_secret.encrypt_fernet(text, demo)
    cs = port_secret.encrypt_client_side("pw", pub["demo"])
    auth, b64 = "authentication_failed", "invalid_base64"
    return [
        case("self aes256-gcm", aes, "aes256-gcm", "ok", "pw"),
        case("self aes256-gcm, bytes value", aes.encode(), "aes256-gcm", "ok", "pw"),
        case("self aes256-gcm 64 KiB, second secret", port_secret.encrypt_aes256_gcm(big, vec),
             "aes256-gcm", "ok", big),
        case("self fernet", fer, "fernet", "ok", text),
        case("self fernet, second secret", port_secret.encrypt_fernet("pw", vec), "fernet", "ok",
             "pw"),
        case("self client-side, key named", cs, {"algorithm": "client-side", "key": pub["demo"]},
             "ok", "pw"),
        case("self client-side, third key, key not named",
             port_secret.encrypt_client_side(text, pub["rsa2048b"]), "client-side", "ok", text),
        case("self aes256-gcm tampered", soak_cases.tamper(aes), "aes256-gcm", auth),
        case("self fernet tampered", soak_cases.tamper(fer), "fernet", auth),
        case("self client-side tampered", soak_cases.tamper(cs), "client-side", auth),
        case("not base64", "not base64!", "aes256-gcm", b64),
        case("fernet token with '+'", fer[:10] + "+" + fer[11:], "fernet", b64),
        case("too short", "AAAA", "aes256-gcm", "malformed"),
        case("unsupported encryption", aes, "rot13", "unsupported_encryption"),
    ]


def outcome_ok(d: Decryptor, c: dict[str, Any]) -> tuple[bool, str]:
    """Runs one case; (True, "") when the outcome is the expected one, else (False, what)."""
    got: Any
    try:
        if c["kind"] == "decrypt":
            got = d.decrypt(c["value"], c["encryption"])
        else:
            got = d.decrypt_properties(c["properties"], c["user_inputs"])
    except PortSecretError as e:
        if c["expect"] == e.code and c["input"] == e.input:
            return True, ""
        return False, (f"PortSecretError {e.code!r} (input {e.input!r}),"
                       f" expected {c['expect']!r} (input {c['input']!r})")
    except Exception as e:  # noqa: BLE001 - any other exception is a wrong outcome
        return False, f"unexpected {type(e).__name__}: {e}"
    if c["expect"] != "ok":
        return False, f"succeeded, expected {c['expect']!r}"
    if got != c["output"]:
        return False, "wrong plaintext"
    return True, ""


def main() -> int:
    data = soak_cases.load(ROOT)
    mix = data["cases"] + self_made(data)
    d = Decryptor(client_secret=list(data["secrets"].values()),
                  private_key=list(data["private_keys"].values()))
    where = Path(port_secret.__file__).parent
    print(f"soak python: {THREADS} threads sharing one Decryptor, {SECONDS:g} s, {len(mix)} cases"
          f" per pass (port_secret {port_secret.__version__} from {where},"
          f" RSA {port_secret.RSA_BACKEND})", flush=True)
    gc.collect()
    rss_start = rss_kib()

    stop = threading.Event()
    ops = [0] * THREADS
    wrong = [0] * THREADS
    reports: list[str] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        i = t  # threads start at different places in the mix
        n = len(mix)
        while not stop.is_set():
            c = mix[i % n]
            ok, what = outcome_ok(d, c)
            ops[t] += 1
            if not ok:
                wrong[t] += 1
                with lock:
                    if len(reports) < MAX_REPORTED:
                        reports.append(f"{c['label']}: {what}")
            i += 1

    threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(THREADS)]
    started = time.monotonic()
    for th in threads:
        th.start()
    warm_up = min(5.0, SECONDS / 5)
    time.sleep(warm_up)
    gc.collect()
    rss_warm = rss_kib()
    print(f"soak python: rss start {rss_start} KiB, after warm-up ({warm_up:g} s) {rss_warm} KiB",
          flush=True)
    time.sleep(max(0.0, SECONDS - (time.monotonic() - started)))
    stop.set()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - started
    gc.collect()
    rss_end = rss_kib()

    for r in reports:
        print(f"soak python: WRONG {r}", file=sys.stderr)
    total, bad = sum(ops), sum(wrong)
    delta = rss_end - rss_warm
    passed = bad == 0 and delta <= RSS_BOUND_KIB
    print(f"soak-result lang=python threads={THREADS} seconds={elapsed:.1f} ops={total}"
          f" ops_per_s={total / elapsed:.0f} wrong={bad} rss_start_kib={rss_start}"
          f" rss_warm_kib={rss_warm} rss_end_kib={rss_end} rss_delta_kib={delta}"
          f" bound_kib={RSS_BOUND_KIB} result={'pass' if passed else 'FAIL'}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
