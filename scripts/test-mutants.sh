#!/usr/bin/env bash
# Mutation testing, the bounded part (issue 15): every cargo-mutants mutant of the webhook
# signature code (crates/port-secret-core/src/signature.rs) and of the size cap in front of
# every base64 decode (b64.rs), and the hand-written mutants of the C ABI's argument checks
# (crates/port-secret-ffi/src/args.rs). Fails if any of them is not caught. About 2 minutes on
# 2 shared cores once the workspace's tests are built, plus about 2 minutes the first time to
# `cargo install --locked` the pinned cargo-mutants. The full run (every file of the core and the
# FFI, about an hour) is `bash scripts/mutants.sh`, by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/mutants.sh --ci
echo "--- mutants (CI part): $(($(date +%s) - start)) s"
