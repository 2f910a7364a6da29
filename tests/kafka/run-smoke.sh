#!/usr/bin/env bash
# End-to-end check of scripts/kafka-broker.sh: starts a real broker, runs tests/kafka/smoke.py
# (confluent-kafka) and tests/kafka/smoke.mjs (kafkajs) against it, stops it. The clients go
# into throwaway installs under target/kafka/ (kept between runs; pip/npm are no-ops then).
#   bash tests/kafka/run-smoke.sh
# Also the template for adapter suites: trap first, then start, export, run, stop at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$root/target/kafka
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1

venv=$work/py/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q "confluent-kafka==2.16.1"
mkdir -p "$work/node"
[ -f "$work/node/package.json" ] || echo '{"private":true}' >"$work/node/package.json"
[ -d "$work/node/node_modules/kafkajs" ] ||
  (cd "$work/node" && npm install --no-audit --no-fund --silent kafkajs@2.2.4)

kdir=$work/smoke
trap 'bash "$root/scripts/kafka-broker.sh" stop "$kdir"' EXIT   # before start: no orphan
trap 'exit 143' INT TERM                                       # so signals run it too
bash scripts/kafka-broker.sh start "$kdir" >/dev/null
export "$(cat "$kdir/bootstrap")"                                  # KAFKA_BOOTSTRAP=127.0.0.1:PORT

passed=0 failed=0
if "$venv/bin/python" tests/kafka/smoke.py; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if (cd "$work/node" && node "$root/tests/kafka/smoke.mjs"); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "kafka-smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
