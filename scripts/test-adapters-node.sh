#!/usr/bin/env bash
# Node adapters (port-secret/web, /lambda, /kafkajs), end to end, on the packed npm tarball:
#   - node/test/{web,lambda,kafkajs}.test.mjs in a fresh project that installs the tarball:
#     WHATWG Requests, API Gateway / function URL / MSK / self-managed Kafka events in the shapes
#     AWS documents, kafkajs payloads; every case (valid, unsigned, tampered, stale, wrong secret,
#     a secret that fails, oversize, not JSON);
#   - tests/e2e/adapters.test.mjs: the same deliveries through Express, Hono on @hono/node-server
#     (over HTTP), Lambda events and Kafka records give the same answers;
#   - tests/e2e/kafka.test.mjs: portEachMessage in a real kafkajs consumer on a real broker;
#   - tests/e2e/adapter-examples.test.mjs: examples/web, examples/lambda-node, examples/kafka-node
#     started by their README commands (copies installing the tarball);
#   - tsc on tests/e2e/adapters-types.ts against the installed web.d.ts / lambda.d.ts / kafkajs.d.ts.
# The broker: KAFKA_BOOTSTRAP if set, else scripts/kafka-broker.sh (a JDK 17+ and Maven; jars
# cached under target/kafka) when it is there; without one the Kafka broker tests skip, saying so.
# KAFKA=0 skips starting it. The tarball is PORT_SECRET_NPM_TARBALL (`make npm-tarball`). Work
# files go to target/adapters-node/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/adapters-node
export CI=true
mkdir -p "$work"
npm_install() { npm install --no-audit --no-fund --loglevel=error "$@"; }
started=$(date +%s)

. scripts/artifacts.sh
need PORT_SECRET_NPM_TARBALL npm-tarball
tarball=$PORT_SECRET_NPM_TARBALL
listing=$(tar -tzf "$tarball")
for file in web.js web.d.ts lambda.js lambda.d.ts kafkajs.js kafkajs.d.ts express.js; do
  grep -qx "package/$file" <<<"$listing" || { echo "the tarball lacks $file" >&2; exit 1; }
done
echo "packed $(basename "$tarball")"

broker_dir=$work/kafka
stop_broker() { [ -z "${broker_started:-}" ] || bash "$root/scripts/kafka-broker.sh" stop "$broker_dir" || true; }
trap stop_broker EXIT
if [ -n "${KAFKA_BOOTSTRAP:-}" ]; then
  echo "--- Kafka broker: KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP (given)"
elif [ "${KAFKA:-1}" = 0 ]; then
  echo "--- Kafka broker: KAFKA=0, the broker tests skip"
elif [ -f scripts/kafka-broker.sh ]; then
  echo "--- Kafka broker: scripts/kafka-broker.sh start"
  if line=$(bash scripts/kafka-broker.sh start "$broker_dir" | tail -n 1) && [[ $line == KAFKA_BOOTSTRAP=* ]]; then
    broker_started=1
    export KAFKA_BOOTSTRAP=${line#KAFKA_BOOTSTRAP=}
    echo "KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP"
  else
    echo "WARNING: the broker did not start (see above): the Kafka broker tests skip" >&2
  fi
else
  echo "--- Kafka broker: no scripts/kafka-broker.sh and no KAFKA_BOOTSTRAP: the broker tests skip"
fi

echo "--- node --test node/test/{web,lambda,kafkajs}.test.mjs on the installed tarball"
app=$work/app
rm -rf "$app"
mkdir -p "$app"
cp -R node/test "$app/test"
rm -rf "$app/test/helpers" # make test-node runs it
(cd "$app" && npm init -y >/dev/null && npm_install "$tarball")
# Pass or fail is node --test's exit status; the log keeps the whole report, the summary is shown.
node_test() { # log files...: node --test (spec reporter) into the log, its summary on stdout
  local log=$1 status=0
  shift
  node --test --test-reporter=spec "$@" >"$log" 2>&1 || status=$?
  grep -E '^\s*(✔|✖|﹣)|^ℹ (tests|suites|pass|fail|cancelled|skipped)' "$log" | grep -v '^\s*✖ failing tests' || true
  if [ "$status" -ne 0 ]; then grep -B2 -A30 '✖' "$log" | head -150; echo "node --test $*: exit status $status" >&2; fi
  return "$status"
}
(cd "$app" && PORT_SECRET_VECTORS="$root/tests/vectors" node_test "$work/unit.log" \
  test/web.test.mjs test/lambda.test.mjs test/kafkajs.test.mjs)

echo "--- npm: the examples (copies installing the tarball) and tests/e2e"
# The examples read ../demo/body.json (the demo run).
mkdir -p "$work/demo"
cp examples/demo/body.json "$work/demo/"
for name in web lambda-node kafka-node; do
  rm -rf "${work:?}/$name"
  mkdir -p "$work/$name"
  cp examples/$name/*.js examples/$name/package.json "$work/$name/"
  (cd "$work/$name" && npm pkg set "dependencies.port-secret=file:$tarball" && npm_install)
done
(cd tests/e2e && npm_install && npm_install --no-save "$tarball")

echo "--- node --test: adapters vs Express, the broker, the examples"
cd "$root/tests/e2e"
# --test-force-exit: once every test has passed, a kafkajs timer left by the crashed consumer of
# the onError: 'throw' test must not keep the file's process alive until the timeout cancels it.
E2E_WEB_DIR=$work/web E2E_LAMBDA_DIR=$work/lambda-node E2E_KAFKA_DIR=$work/kafka-node \
  node_test "$work/e2e.log" --test-timeout=120000 --test-force-exit \
  adapters.test.mjs kafka.test.mjs adapter-examples.test.mjs

echo "--- tsc --noEmit adapters-types.ts against the installed web.d.ts / lambda.d.ts / kafkajs.d.ts"
node node_modules/typescript/bin/tsc -p tsconfig.adapters.json
echo "types: ok"
echo "--- adapters: ok in $(($(date +%s) - started)) s"
