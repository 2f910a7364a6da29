#!/usr/bin/env python3
"""What the Python sdist must hold to build anywhere a wheel does not match: the workspace
Cargo.toml and Cargo.lock (pinned dependency versions), the core crate and the Python binding
crate, the Python package and its typing files, pyproject.toml, PKG-INFO at the workspace
version; and nothing of the other bindings or of a build tree.

    python3 tests/release/sdist_check.py dist/port_secret-X.Y.Z.tar.gz
"""

from __future__ import annotations

import sys
import tarfile
import tomllib
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REQUIRED = [
    "PKG-INFO",
    "pyproject.toml",
    "Cargo.toml",
    "Cargo.lock",
    "crates/port-secret-core/Cargo.toml",
    "crates/port-secret-core/src/lib.rs",
    "bindings/python/Cargo.toml",
    "bindings/python/src/lib.rs",
    "port_secret/__init__.py",
    "port_secret/_native.pyi",
    "port_secret/py.typed",
]
FORBIDDEN_PREFIXES = ["bindings/node/", "node/", "crates/port-secret-cli/", "crates/port-secret-ffi/", "target/", "fuzz/", ".git/", "tests/vectors/"]


def main() -> int:
    path = Path(sys.argv[1])
    version = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))["workspace"]["package"]["version"]
    with tarfile.open(path) as tar:
        names = tar.getnames()
        top = f"port_secret-{version}/"
        assert all(n == top.rstrip("/") or n.startswith(top) for n in names), f"entries outside {top}"
        inner = {n[len(top):] for n in names if n.startswith(top)}
        pkg_info = Parser().parsestr(tar.extractfile(top + "PKG-INFO").read().decode())
        lock = tar.extractfile(top + "Cargo.lock").read().decode()
    problems = [f"missing {name}" for name in REQUIRED if name not in inner]
    problems += [f"should not ship {name}" for name in sorted(inner) for p in FORBIDDEN_PREFIXES if name.startswith(p)]
    if pkg_info["Version"] != version:
        problems.append(f"PKG-INFO Version {pkg_info['Version']} != Cargo.toml {version}")
    if pkg_info["Name"] not in ("port-secret", "port_secret"):
        problems.append(f"PKG-INFO Name {pkg_info['Name']}")
    if 'name = "aws-lc-sys"' not in lock or 'name = "pyo3"' not in lock:
        problems.append("Cargo.lock does not pin the binding's dependencies")
    for problem in problems:
        print(f"sdist: {problem}")
    print(f"sdist {path.name}: {len(inner)} files; {len(REQUIRED) - sum(p.startswith('missing') for p in problems)}/{len(REQUIRED)} required present")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
