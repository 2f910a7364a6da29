#!/usr/bin/env bash
# Supply chain: licenses, banned/duplicate crates, and sources (crates.io only) per deny.toml.
# Advisories are not checked here: the RustSec database cannot be fetched from these machines
# (see SECURITY.md for the advisories reviewed by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pins.sh
command -v cargo-deny >/dev/null || cargo install cargo-deny --version "$PIN_CARGO_DENY" --locked
cargo deny --offline check licenses bans sources
