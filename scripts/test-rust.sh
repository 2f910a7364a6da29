#!/usr/bin/env bash
# Rust: port-secret-core without and with aws-lc: first the pure-Rust `rsa` backend alone (default
# features), then both backends compiled in, where every RSA test (Wycheproof, shared vectors)
# runs on each backend and the public functions use aws-lc. Includes doctests, the shared
# vectors, Wycheproof, the Fernet spec and property tests. Then the reports and the 5 s soak on
# bench/'s release programs (PORT_SECRET_BENCH_BIN, `make bench-bins`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/artifacts.sh
need PORT_SECRET_BENCH_BIN bench-bins
bin=$PORT_SECRET_BENCH_BIN
echo "--- core, rsa backend only (default features)"
cargo test --locked -p port-secret-core
echo "--- core, aws-lc and rsa backends (all features)"
cargo test --locked -p port-secret-core --all-features
echo "--- OAEP timing report (bad OAEP vs bad tag vs valid, both backends; a report, not a check)"
# 300 samples per class keeps this to seconds; the full report is `target/release/oaep_timing 2000`.
"$bin/oaep_timing" 300
echo "--- decrypt_properties scaling report (time per input, 10 to 100 000 inputs; a report, not a check)"
"$bin/properties_scaling" 100000
echo "--- soak, 5 s: bench/soak/rust's soak-threads (scripts/soak.sh, bench/soak/README.md)"
SOAK_SECONDS=5 SOAK_RSS_BOUND_MIB=8 bash scripts/soak.sh rust
