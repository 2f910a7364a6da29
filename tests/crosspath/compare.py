#!/usr/bin/env python3
"""Cross-path comparer (stdlib only): one code per input on every path.

Reads the shared vector files itself (for the expected codes) and the JSON-lines files the
language runners wrote, then fails, listing every vector whose paths disagree with each other
or with the code the vector expects. Also fails when a required language left a vector of a
format it covers without any record (neither a call nor a stated skip), so a broken runner
cannot pass silently.

  python3 compare.py --vectors tests/vectors --require rust,python,node,c,cli out/*.jsonl

Record lines: {"vector": "<file>#<tcId>", "path": "<lang>:<entry point>", "kind": k,
"code": "ok" | "wrong_output" | <error code> | "exception:<type>", "input": name or null};
or a skip: {"vector": ..., "path": "<lang>:*", "skip": "<reason>"}.

What a path must return, by `kind` (what the entry point returns):
- an invalid test: its `error` on every path (and, for properties and runs, its `input`);
- a valid test: `ok`, except the text paths (`kind` "text") of a test without `plaintext`
  (flag NonUtf8), which must fail with the test's `error`, `invalid_utf8`.
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
from typing import Any

FORMAT_DIRS = ("aes256_gcm", "client_side", "fernet", "signature", "properties", "runs")
ALL_FORMATS = ("aes256-gcm", "client-side", "fernet", "signature", "properties", "run")
# Which formats each language's runner must cover (every test of them: a call or a skip).
COVERAGE = {
    "rust": set(ALL_FORMATS),
    "python": set(ALL_FORMATS),
    "node": set(ALL_FORMATS),
    "c": set(ALL_FORMATS),
    # The CLI has no properties command (decrypt-payload opens whole runs).
    "cli": {"aes256-gcm", "client-side", "fernet", "signature", "run"},
    "go": set(ALL_FORMATS),
    "java": set(ALL_FORMATS),
}
# Whether a language may skip a vector: only for these stated reasons, and at most this share of
# a format's tests (a runner that skips everything must not pass).
MAX_SKIP_SHARE = 0.5


def load_vectors(root: pathlib.Path) -> dict[str, tuple[str, dict[str, Any]]]:
    vectors: dict[str, tuple[str, dict[str, Any]]] = {}
    for sub in FORMAT_DIRS:
        for path in sorted((root / sub).glob("*_test.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("schema") != "port-secret-vectors/v1":
                raise SystemExit(f"{path}: unknown schema {doc.get('schema')!r}")
            rel = path.relative_to(root).as_posix()
            if doc["numberOfTests"] != len(doc["tests"]):
                raise SystemExit(f"{rel}: numberOfTests does not match")
            for t in doc["tests"]:
                vectors[f"{rel}#{t['tcId']}"] = (doc["format"], t)
    return vectors


def expected(fmt: str, t: dict[str, Any], kind: str) -> tuple[str, Any]:
    """(code, input) a path of this kind must report; input is None where no name applies."""
    named = fmt in ("properties", "run")
    if t["result"] == "invalid":
        return t["error"], (t["input"] if named else None)
    if kind == "text" and fmt in ("aes256-gcm", "client-side", "fernet") and "plaintext" not in t:
        return t["error"], None
    return "ok", None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", required=True, type=pathlib.Path)
    ap.add_argument("--require", default="", help="comma-separated languages that must report")
    ap.add_argument("results", nargs="+", type=pathlib.Path)
    args = ap.parse_args()

    vectors = load_vectors(args.vectors)
    records: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    skips: dict[str, dict[str, str]] = collections.defaultdict(dict)  # lang -> vector -> reason
    problems: list[str] = []
    per_path: collections.Counter[str] = collections.Counter()
    for file in args.results:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                problems.append(f"{file.name}:{n}: not JSON")
                continue
            vid, path = rec.get("vector"), rec.get("path", "")
            lang = path.split(":", 1)[0]
            if vid not in vectors:
                problems.append(f"{file.name}:{n}: unknown vector {vid!r}")
                continue
            if "skip" in rec:
                skips[lang][vid] = rec["skip"]
                continue
            records[vid].append(rec)
            per_path[path] += 1

    langs_seen = {p.split(":", 1)[0] for p in per_path}
    required = [x for x in args.require.split(",") if x]
    for lang in required:
        if lang not in COVERAGE:
            problems.append(f"--require: unknown language {lang}")

    # Coverage: every vector of a covered format has a record or a stated skip.
    by_format: dict[str, list[str]] = collections.defaultdict(list)
    for vid, (fmt, _) in vectors.items():
        by_format[fmt].append(vid)
    for lang in sorted(set(required) | langs_seen):
        for fmt in sorted(COVERAGE.get(lang, ())):
            ids = by_format[fmt]
            missing = [
                v
                for v in ids
                if v not in skips[lang] and not any(r["path"].startswith(lang + ":") for r in records[v])
            ]
            skipped = [v for v in ids if v in skips[lang]]
            if missing:
                problems.append(
                    f"{lang}: {len(missing)} of {len(ids)} {fmt} tests have no record "
                    f"(first: {missing[0]})"
                )
            if ids and len(skipped) > MAX_SKIP_SHARE * len(ids):
                problems.append(f"{lang}: skips {len(skipped)} of {len(ids)} {fmt} tests")

    # One code per input: every path agrees with the expected code (and input name).
    disagreements: list[str] = []
    checks = 0
    for vid in vectors:
        fmt, t = vectors[vid]
        bad = []
        got: dict[str, list[str]] = collections.defaultdict(list)
        for rec in records.get(vid, []):
            checks += 1
            want_code, want_input = expected(fmt, t, rec.get("kind", ""))
            code = rec.get("code")
            name = rec.get("input")
            shown = code if fmt not in ("properties", "run") or code == "ok" else f"{code} (input {name!r})"
            got[f"{rec.get('kind')}: {shown}"].append(rec["path"])
            if code != want_code or (fmt in ("properties", "run") and code != "ok" and name != want_input):
                bad.append(rec["path"])
        if bad:
            want = t.get("error", "ok") if t["result"] == "invalid" else "ok"
            lines = [f"{vid} ({fmt}, {t['result']}, expected {want}"
                     + (f" input {t.get('input')!r}" if t["result"] == "invalid" and fmt in ("properties", "run") else "")
                     + f"; {t.get('comment', '')}): wrong on {len(bad)} path(s)"]
            for what, paths in sorted(got.items()):
                lines.append(f"    {what}: {', '.join(sorted(paths))}")
            disagreements.append("\n".join(lines))

    # Counts.
    invalid = sum(1 for f, t in vectors.values() if t["result"] == "invalid")
    print(f"vectors: {len(vectors)} ({invalid} invalid, {len(vectors) - invalid} valid) in "
          f"{len({v.split('#')[0] for v in vectors})} files")
    fmt_counts = collections.Counter(f for f, _ in vectors.values())
    print("  by format: " + ", ".join(f"{f} {fmt_counts[f]}" for f in ALL_FORMATS))
    langs = sorted({p.split(":", 1)[0] for p in per_path})
    for lang in langs:
        paths = sorted(p for p in per_path if p.startswith(lang + ":"))
        total = sum(per_path[p] for p in paths)
        vecs = sum(1 for v in vectors if any(r["path"].startswith(lang + ":") for r in records.get(v, [])))
        print(f"{lang}: {len(paths)} paths, {total} checks over {vecs} vectors")
        for p in paths:
            print(f"    {per_path[p]:6d}  {p}")
        if skips[lang]:
            reasons = collections.Counter(skips[lang].values())
            for reason, n in sorted(reasons.items()):
                print(f"    skipped {n}: {reason}")
    print(f"total checks: {checks}")

    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    if disagreements:
        print(f"\n{len(disagreements)} vector(s) where the paths disagree or differ from the vector:",
              file=sys.stderr)
        for d in disagreements:
            print(d, file=sys.stderr)
    if problems or disagreements:
        print(f"crosspath: FAILED ({len(disagreements)} disagreeing vectors, {len(problems)} problems)",
              file=sys.stderr)
        return 1
    print(f"crosspath: every path agrees on every vector ({len(langs)} languages, {checks} checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
