#!/usr/bin/env bash
# The `port-secret` command: its integration tests, the cross-check against the docs' own Python
# and Node decrypt code (both directions), the README's main job on the demo data, then the
# CI pipelines' snippet (examples/gitlab-ci, examples/jenkins) on the demo run in sh and bash.
# The CLI is the debug build (PORT_SECRET_CLI_DEBUG, `make cli-debug`), the one the demo runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/artifacts.sh
need PORT_SECRET_CLI_DEBUG cli-debug
cargo test --locked -p port-secret-cli
echo "--- cross-check with pycryptodome, pyca Fernet, node:crypto and WebCrypto"
python3 -m pip install --quiet --disable-pip-version-check -r tests/vectors/generate/requirements.txt
python3 tests/crosscheck/cli_crosscheck.py "$PORT_SECRET_CLI_DEBUG"
echo "--- README main job: bash examples/demo/run.sh"
bash examples/demo/run.sh > target/demo-output.json
python3 - <<'PY'
import json
got = json.load(open("target/demo-output.json"))
want = json.load(open("examples/demo/expected.json"))
assert got == want, "demo output differs from examples/demo/expected.json"
print("demo: 1 passed, 0 failed")
PY
echo "--- CI pipelines: decrypt-env --format shell, as examples/gitlab-ci and examples/jenkins run it"
export PORT_CLIENT_SECRET DB_PASSWORD DB_CONNECTION
PORT_CLIENT_SECRET="$(cat examples/demo/client_secret.txt)"
DB_PASSWORD="$(python3 -c 'import json; print(json.load(open("examples/demo/body.json"))["payload"]["properties"]["db_password"])')"
DB_CONNECTION="$(python3 -c 'import json; print(json.load(open("examples/demo/body.json"))["payload"]["properties"]["db_connection"])')"
for shell in sh bash; do
  PATH="$(dirname "$PORT_SECRET_CLI_DEBUG"):$PATH" "$shell" -c '
    set -eu
    vars="$(port-secret decrypt-env --format shell --env DB_PASSWORD --env DB_CONNECTION:object)"
    eval "$vars"; unset vars
    printf "%s" "$DB_PASSWORD" > target/ci-db_password.txt
    printf "%s" "$DB_CONNECTION" > target/ci-db_connection.json'
  python3 - "$shell" <<'PY'
import json, sys
want = json.load(open("examples/demo/expected.json"))["payload"]["properties"]
assert open("target/ci-db_password.txt").read() == want["db_password"], "db_password"
assert json.load(open("target/ci-db_connection.json")) == want["db_connection"], "db_connection"
print(f"ci pipelines ({sys.argv[1]}): 2 passed, 0 failed")
PY
done
rm -f target/ci-db_password.txt target/ci-db_connection.json
