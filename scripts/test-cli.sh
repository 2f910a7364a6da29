#!/usr/bin/env bash
# The `port-secret` command: its integration tests, then the README's main job on the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked -p port-secret-cli
echo "--- README main job (examples/demo)"
bash examples/demo/run.sh >/dev/null
echo "demo: ok"
