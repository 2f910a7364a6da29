#!/usr/bin/env python3
"""Reads criterion's medians (target/criterion/**/new/estimates.json) and prints the Rust table
with ratios. Used by scripts/bench.sh; prints JSON with --json."""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def medians():
    out = {}
    for path in glob.glob(os.path.join(ROOT, "target", "criterion", "**", "new", "estimates.json"), recursive=True):
        bench = json.load(open(os.path.join(os.path.dirname(path), "benchmark.json")))
        est = json.load(open(path))
        out[bench["full_id"]] = est["median"]["point_estimate"]  # nanoseconds
    return out


def rows(m):
    """(name, median ns, ratio note, rate) rows of the Rust table, from `medians()`."""
    rows = []

    def ratio(a, b):
        return m[a] / m[b] if a in m and b in m else None

    for fmt in ("aes256-gcm", "fernet"):
        for size in ("100B", "64KiB"):
            one, dec = f"{fmt}/{size}/one-shot", f"{fmt}/{size}/decryptor"
            if dec in m:
                nbytes = 100 if size == "100B" else 65536
                rows.append((f"{fmt} decrypt {size} (Decryptor)", m[dec], f"{ratio(one, dec):.2f}x faster than one-shot",
                             f"{nbytes / m[dec] * 1e3:.0f} MB/s"))
    for size in ("100B", "64KiB"):
        aws, pure = f"client-side/{size}/decryptor/aws-lc", f"client-side/{size}/decryptor/rsa"
        if aws in m:
            note = f"{ratio(pure, aws):.2f}x faster than rsa backend" if pure in m else ""
            rows.append((f"client-side decrypt {size} (Decryptor, aws-lc)", m[aws], note, f"{1e9 / m[aws]:.0f}/s"))
        if pure in m:
            rows.append((f"client-side decrypt {size} (Decryptor, rsa)", m[pure], "", f"{1e9 / m[pure]:.0f}/s"))
    for name in ("webhook/verify_signature", "webhook/decrypt_properties"):
        if name in m:
            rows.append((name.split("/")[1] + " (demo body)", m[name], "", f"{1e9 / m[name]:.0f}/s"))
    return rows


def main():
    m = medians()
    table = rows(m)
    if "--json" in sys.argv:
        print(json.dumps({"medians_ns": m, "rows": table}, indent=1))
        return
    print("| Rust benchmark | median | ratio | rate |")
    print("|---|---|---|---|")
    for name, ns, note, rate in table:
        shown = f"{ns / 1000:.2f} µs" if ns < 1e6 else f"{ns / 1e6:.2f} ms"
        print(f"| {name} | {shown} | {note} | {rate} |")


if __name__ == "__main__":
    main()
