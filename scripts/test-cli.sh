#!/usr/bin/env bash
# The `port-secret` command: its integration tests, the cross-check against the docs' own Python
# and Node decrypt code (both directions), then the README's main job on the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked -p port-secret-cli
echo "--- cross-check with pycryptodome, pyca Fernet, node:crypto and WebCrypto"
python3 -m pip install --quiet --disable-pip-version-check -r tests/vectors/generate/requirements.txt
cargo build --quiet --locked -p port-secret-cli
python3 tests/crosscheck/cli_crosscheck.py target/debug/port-secret
echo "--- README main job: bash examples/demo/run.sh"
bash examples/demo/run.sh > target/demo-output.json
python3 - <<'PY'
import json
got = json.load(open("target/demo-output.json"))
want = json.load(open("examples/demo/expected.json"))
assert got == want, "demo output differs from examples/demo/expected.json"
print("demo: 1 passed, 0 failed")
PY
