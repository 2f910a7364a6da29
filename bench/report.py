#!/usr/bin/env python3
"""Builds the benchmark report from one run of scripts/bench.sh.

    python3 bench/report.py RUN_DIR [--write BENCHMARKS.md]

RUN_DIR holds what the runner produced: machine.json, rust-soak.json, python.json, node.json
and commands.txt (criterion's results are read from target/criterion by bench/rust_report.py).
Prints the targets table (every target of issue 7 with its measured ratio, medians), then the
detail tables; with --write, also writes BENCHMARKS.md: those tables, the machine, the date, the
commands, and bench/notes.md (the profile findings, written by hand) appended verbatim.
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import rust_report  # noqa: E402

# Memory: "no growth" means the RSS grew by less than this over the measured decrypts. A leaked
# 100-byte plaintext per call would be >= 9.5 MiB per 100 000 calls (plus allocator overhead);
# RSS also moves by whole pages and, in Node, with V8's heap sizing.
MEMORY_LIMIT_KIB = 2048


def load(run: str, name: str) -> dict | None:
    path = os.path.join(run, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt_ns(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.2f} µs"


def targets(py: dict | None, node: dict | None, soak: dict | None) -> list[tuple[str, str, str, str, str]]:
    """(target, goal, measured, detail, met) rows."""
    rows = []

    def ratio_row(label: str, doc: dict | None, case: str, goal: float, detail_fmt) -> None:
        c = (doc or {}).get("cases", {}).get(case)
        if c is None:
            rows.append((label, f">= {goal:g}x", "not run", "", "—"))
            return
        met = "yes" if c["ratio"] >= goal else "**no**"
        rows.append((label, f">= {goal:g}x", f"{c['ratio']:.2f}x", detail_fmt(c), met))

    times = lambda c: f"{fmt_ns(c['ours_ns'])} vs {fmt_ns(c['base_ns'])}"  # noqa: E731
    rates = lambda c: f"{c['ours_per_s']:.0f}/s vs {c['base_per_s']:.0f}/s" + (  # noqa: E731
        f" ({c['cores_busy']:.2f} cores busy; work per CPU-second {c['cpu_efficiency']:.2f}x)" if "cpu_efficiency" in c else "")
    mbps = lambda c: f"{c['ours_mbps']:.0f} MB/s vs {c['base_mbps']:.0f} MB/s"  # noqa: E731

    ratio_row("Python aes256-gcm 100 B per-call decrypt vs pyca/cryptography AESGCM", py, "aes256-gcm/100B/pyca", 4, times)
    ratio_row("Python aes256-gcm 100 B per-call decrypt vs the docs' pycryptodome snippet", py, "aes256-gcm/100B/docs", 20, times)
    ratio_row("Node aes256-gcm 100 B per-call decrypt vs the docs' node:crypto snippet (key once)", node, "aes256-gcm/100B", 3, times)
    ratio_row("Python client-side RSA-2048 (aws-lc) vs pyca/cryptography (OpenSSL)", py, "client-side/100B/pyca", 1.0, rates)
    ratio_row("Node client-side RSA-2048 (aws-lc) vs node:crypto (OpenSSL), KeyObject once", node, "client-side/100B", 1.0, rates)
    ratio_row("Python client-side: 2 threads vs 1, one Decryptor", py, "threads/client-side", 1.8, rates)
    ratio_row("Node client-side: decryptAsync (16 in flight) vs sync", node, "client-side/async-16", 1.8, rates)
    ratio_row("Node aes256-gcm 64 KiB throughput vs node:crypto", node, "aes256-gcm/64KiB", 1.0, mbps)

    def mem_row(label: str, growth_kib: float | None, detail: str) -> None:
        if growth_kib is None:
            rows.append((label, "no growth", "not run", "", "—"))
            return
        met = "yes" if growth_kib < MEMORY_LIMIT_KIB else "**no**"
        rows.append((label, f"< {MEMORY_LIMIT_KIB // 1024} MiB", f"{growth_kib / 1024:+.2f} MiB", detail, met))

    if soak:
        a, o = soak["aes256-gcm decryptor"], soak["aes256-gcm one-shot"]
        g = max(a["growth_kib"], o["growth_kib"], soak["client-side decryptor"]["growth_kib"])
        mem_row("Rust: RSS growth over 100 000 decrypts (Decryptor, one-shot; 10 000 client-side)", g,
                f"VmRSS {a['rss_before_kib']} -> {o['rss_after_kib']} KiB, VmHWM {a['hwm_before_kib']} -> {soak['total']['hwm_end_kib']} KiB")
    else:
        mem_row("Rust: RSS growth over 100 000 decrypts", None, "")
    if py and "memory" in py:
        m = py["memory"]
        mem_row(f"Python: RSS growth over {m['decrypts']:,} decrypts (Decryptor + one-shot; {m['client_side_decrypts']:,} client-side)".replace(",", " "),
                max(m["growth_kib"], m["client_side_growth_kib"]),
                f"VmRSS {m['rss_before_kib']} -> {m['rss_after_kib']} KiB, VmHWM {m['hwm_before_kib']} -> {m['hwm_after_kib']} KiB")
    else:
        mem_row("Python: RSS growth over 100 000 decrypts", None, "")
    if node and "memory" in node:
        m = node["memory"]
        mem_row("Node: native memory (RSS - V8 heapTotal) and V8 heapUsed growth over 100 000 decrypt + 100 000 decryptAsync (10 000 client-side)",
                max(m["native_growth_mib"], m["heap_used_growth_mib"], m["rsa_native_growth_mib"]) * 1024,
                f"RSS {m['rss_before_mib']:.1f} -> {m['rss_after_async_mib']:.1f} MiB (of which V8 heapTotal {m['heap_total_growth_mib']:+.1f} MiB), heapUsed {m['heap_used_growth_mib']:+.2f} MiB")
    else:
        mem_row("Node: RSS growth over 100 000 decrypts", None, "")
    return rows


def table(header: list[str], rows: list[tuple]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def detail(doc: dict | None, title: str) -> str:
    if not doc:
        return f"{title}: not run."
    rows = []
    for case_id, c in doc["cases"].items():
        if "ours_per_s" in c:
            fig = f"{c['ours_per_s']:.0f}/s vs {c['base_per_s']:.0f}/s"
            if "cpu_efficiency" in c:
                fig += f" ({c['cores_busy']:.2f} cores busy; work per CPU-second {c['cpu_efficiency']:.2f}x)"
        elif "ours_mbps" in c:
            fig = f"{fmt_ns(c['ours_ns'])} vs {fmt_ns(c['base_ns'])} ({c['ours_mbps']:.0f} vs {c['base_mbps']:.0f} MB/s)"
        else:
            fig = f"{fmt_ns(c['ours_ns'])} vs {fmt_ns(c['base_ns'])}"
        rows.append((c["label"], fig, f"{c['ratio']:.2f}x"))
    return table([title, "port-secret vs baseline (medians)", "ratio (median of rounds)"], rows)


def rust_table() -> str:
    rows = rust_report.rows(rust_report.medians())
    if not rows:
        return "Rust (criterion): not run."
    return table(["Rust benchmark (criterion)", "median", "ratio", "rate"],
                 [(n, f"{ns / 1000:.2f} µs" if ns < 1e6 else f"{ns / 1e6:.2f} ms", note, rate) for n, ns, note, rate in rows])


def main() -> None:
    run = sys.argv[1]
    machine = load(run, "machine.json") or {}
    py, node, soak = load(run, "python.json"), load(run, "node.json"), load(run, "rust-soak.json")
    rows = targets(py, node, soak)
    met = sum(1 for r in rows if r[4] == "yes")
    tgt = table(["target", "goal", "measured", "port-secret vs baseline", "met"], rows)
    mach = (f"{machine.get('cpu', '?')}, {machine.get('nproc', '?')} cores (nproc), {machine.get('mem', '?')}, "
            f"{machine.get('kernel', '?')}; load average {machine.get('load_start', '?')} at the start, "
            f"{machine.get('load_end', '?')} at the end")
    tools = (f"rustc {machine.get('rustc', '?')}; Python {(py or {}).get('python', '?')} with cryptography "
             f"{(py or {}).get('cryptography', '?')}, pycryptodome {(py or {}).get('pycryptodome', '?')}; "
             f"Node {(node or {}).get('node', '?')}; port-secret {(py or {}).get('port_secret', '0.1.0')} "
             f"({(py or {}).get('rsa_backend', 'aws-lc')} RSA backend)")
    extra = []
    if soak and "threads" in soak:
        t = soak["threads"]
        extra.append(f"Rust core, client-side RSA-2048, 2 threads vs 1 (one Decryptor): {t['two_per_s']:.0f}/s vs "
                     f"{t['one_per_s']:.0f}/s, {t['ratio']:.2f}x with {t.get('cores_busy', 0):.2f} cores busy, work per CPU-second "
                     f"{t.get('cpu_efficiency', 0):.2f}x of 1 thread: the ceiling for the bindings' scaling on this machine at the time.")
    text = "\n\n".join([
        f"Targets ({met} of {len(rows)} met), {machine.get('date', '?')}:",
        tgt,
        *extra,
        detail(py, "Python"),
        detail(node, "Node"),
        rust_table(),
    ])
    print(f"Machine: {mach}\n{tools}\n")
    print(text)
    if "--write" in sys.argv:
        out = sys.argv[sys.argv.index("--write") + 1]
        commands = open(os.path.join(run, "commands.txt")).read().strip() if os.path.exists(os.path.join(run, "commands.txt")) else ""
        notes = open(os.path.join(HERE, "notes.md")).read().strip() if os.path.exists(os.path.join(HERE, "notes.md")) else ""
        doc = "\n\n".join(filter(None, [
            "# Benchmarks",
            "<!-- Written by `bash scripts/bench.sh` (bench/report.py) from one run; edit bench/notes.md for the analysis below the tables. -->",
            "port-secret against what each language's users would otherwise write: the docs' decrypt snippets "
            "(pycryptodome, node:crypto) and the best code a user would write with pyca/cryptography or node:crypto "
            "(key objects made once). Ratios are how many times faster port-secret is (above 1: faster), the median "
            "of the per-round ratios of competitors run back to back in each round; times are medians over the rounds.",
            f"**Machine**: {mach}. **Date**: {machine.get('date', '?')}.\n{tools}.",
            "The machine is shared with other engineers' builds: numbers from it are noisy (the load average above "
            "says how busy it was), and the thread-scaling rows need a second idle core to mean anything.",
            "## Targets",
            tgt,
            *extra,
            "## Python", detail(py, "Python"),
            "## Node", detail(node, "Node"),
            "## Rust", rust_table(),
            "## How to run",
            "```sh\nbash scripts/bench.sh            # everything (about 10 minutes; installs its own dependencies)\n"
            "bash scripts/bench.sh rust node  # some parts only (rust, python, node)\n```",
            "Commands of this run:\n\n```sh\n" + commands + "\n```" if commands else "",
            notes,
        ])) + "\n"
        with open(out, "w") as f:
            f.write(doc)
        print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
