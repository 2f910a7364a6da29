#!/usr/bin/env bash
# Fuzzing, bounded: every cargo-fuzz target for FUZZ_SECONDS (default 15 s here) from the
# vector-seeded corpora. A finding (crash, panic, leak, timeout) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-15}" bash scripts/fuzz.sh
