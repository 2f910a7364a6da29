#!/usr/bin/env bash
# Framework helpers and example apps, end to end (issue 6): installs what it needs (Debian's
# chromium and wrk, the examples' npm and pip dependencies) around the shipped artifacts (the npm
# tarball and the manylinux wheel: PORT_SECRET_NPM_TARBALL, PORT_SECRET_WHEEL, built by make),
# then runs on 127.0.0.1:
#   - tests/e2e/examples.test.mjs: each example (flask, express, fastify), started by its README
#     command, gets Port-shaped signed runs and every bad case;
#   - tests/e2e/browser.test.mjs: headless Chromium encrypts a client-side input with WebCrypto,
#     each example decrypts it;
#   - tsc on tests/e2e/types.ts against the installed express.d.ts / fastify.d.ts;
#   - scripts/load.sh for LOAD_SECONDS (3) against Flask under gunicorn and Fastify.
# Work files go to target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/e2e
python=${PYTHON:-python3}
export CI=true PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"
npm_install() { npm install --no-audit --no-fund --loglevel=error "$@"; }

echo "--- system packages: chromium, wrk, curl"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null || true
wrk --version 2>&1 | head -1 || true

# The shipped artifacts (scripts/artifacts.sh): the npm tarball and the manylinux wheel.
. scripts/artifacts.sh
need PORT_SECRET_NPM_TARBALL npm-tarball
need PORT_SECRET_WHEEL wheel
tarball=$PORT_SECRET_NPM_TARBALL
wheel=$PORT_SECRET_WHEEL
listing=$(tar -tzf "$tarball")
for file in express.js express.d.ts fastify.js fastify.d.ts; do
  grep -qx "package/$file" <<<"$listing" || { echo "the tarball lacks $file" >&2; exit 1; }
done
echo "tarball $(basename "$tarball")"
"$python" -c 'import sys, zipfile; sys.exit("port_secret/flask.py" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$wheel" \
  || { echo "the wheel lacks port_secret/flask.py" >&2; exit 1; }
echo "wheel $(basename "$wheel")"

echo "--- venv for the Flask example"
venv=$work/venv
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -r examples/flask/requirements.txt
"$venv/bin/python" -m pip install -q --no-index --force-reinstall --no-deps "$wheel"

echo "--- npm: the Node examples (copies using the packed tarball) and tests/e2e"
for name in express fastify; do
  rm -rf "$work/$name"
  mkdir -p "$work/$name"
  cp examples/$name/server.js examples/$name/package.json "$work/$name/"
  [ -f examples/$name/package-lock.json ] && cp examples/$name/package-lock.json "$work/$name/"
  (cd "$work/$name" && npm pkg set "dependencies.port-secret=file:$tarball" && npm_install)
done
(cd tests/e2e && npm_install && npm_install --no-save "$tarball")

export E2E_PYTHON=$venv/bin/python E2E_EXPRESS_DIR=$work/express E2E_FASTIFY_DIR=$work/fastify
cd "$root/tests/e2e"
# Pass or fail is node --test's exit status; the log keeps the whole report, the summary is shown.
node_test() { # log files...: node --test (spec reporter) into the log, its summary on stdout
  local log=$1 status=0
  shift
  node --test --test-reporter=spec "$@" >"$log" 2>&1 || status=$?
  grep -E '^\s*(✔|✖|▶)|^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)' "$log" || true
  if [ "$status" -ne 0 ]; then tail -150 "$log"; echo "node --test $*: exit status $status" >&2; fi
  return "$status"
}
echo "--- node --test: examples over HTTP"
node_test "$work/node-tests.log" examples.test.mjs

echo "--- node --test: headless Chromium (WebCrypto) -> Port stand-in -> each example"
node_test "$work/browser-tests.log" browser.test.mjs

echo "--- tsc --noEmit types.ts against the installed express.d.ts / fastify.d.ts"
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "types: ok"

cd "$root"
echo "--- load: scripts/load.sh ${LOAD_SECONDS:-3}"
bash scripts/load.sh "${LOAD_SECONDS:-3}"
