#!/usr/bin/env bash
# Rust: port-secret-core on both RSA backends (pure-Rust `rsa` by default, then `aws-lc`),
# including doctests, the shared vectors, Wycheproof, the Fernet spec and property tests.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "--- core, rsa backend (default features)"
cargo test --locked -p port-secret-core
echo "--- core, aws-lc backend"
cargo test --locked -p port-secret-core --no-default-features --features aws-lc
