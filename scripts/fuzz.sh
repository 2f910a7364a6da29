#!/usr/bin/env bash
# Fuzz every target for a bounded time each (default 30 s), seeding corpora from tests/vectors.
#   make fuzz                       # 30 s per target (bash scripts/fuzz.sh)
#   FUZZ_SECONDS=600 make fuzz FUZZ_TARGETS=decrypt_fernet
# Needs cargo-fuzz (installed here if missing). cargo-fuzz wants nightly flags; RUSTC_BOOTSTRAP=1
# lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
. scripts/pins.sh
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version "$PIN_CARGO_FUZZ" --locked
seconds="${FUZZ_SECONDS:-30}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # Every [[bin]] of fuzz/Cargo.toml (one home for the list).
  mapfile -t targets < <(awk '/^\[\[bin\]\]/ {bin = 1} bin && /^name = / {gsub(/"/, "", $3); print $3; bin = 0}' fuzz/Cargo.toml)
fi
python3 fuzz/seed_corpus.py
for t in "${targets[@]}"; do
  echo "--- fuzz $t for ${seconds}s"
  cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=8192 2>&1 \
    | grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|ERROR|panicked|SUMMARY" | tail -3
done
echo "fuzz: ${#targets[@]} targets ran without a finding"
