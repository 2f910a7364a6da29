#!/usr/bin/env bash
# Framework helpers and example apps, end to end (issue 6): installs what it needs (Debian's
# chromium and wrk, the examples' npm and pip dependencies), builds or reuses the shipped
# artifacts (the npm tarball, the manylinux wheel), then runs on 127.0.0.1:
#   - tests/e2e/examples.test.mjs: each example (flask, express, fastify), started by its README
#     command, gets Port-shaped signed runs and every bad case;
#   - tests/e2e/helpers.test.mjs and tests/e2e/test_flask_helper.py: the helpers' options;
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

# Stale when any source of it is newer than the artifact.
stale() { # artifact sources...
  [ -e "$1" ] || return 0
  local artifact=$1; shift
  [ -n "$(find "$@" -newer "$artifact" -type f -print -quit 2>/dev/null)" ]
}

echo "--- npm tarball (node/, as scripts/test-node.sh builds it)"
addon=node/port-secret.linux-x64-gnu.node
if stale "$addon" crates/port-secret-core/src bindings/node/src bindings/node/Cargo.toml; then
  (cd node && npm_install && npm run build --silent)
fi
rm -f "$work"/port-secret-*.tgz
tarball=$work/$(cd node && npm pack --silent --pack-destination "$work")
listing=$(tar -tzf "$tarball")
for file in express.js express.d.ts fastify.js fastify.d.ts; do
  grep -qx "package/$file" <<<"$listing" || { echo "the tarball lacks $file" >&2; exit 1; }
done
echo "packed $(basename "$tarball")"

echo "--- Python wheel (python/, as scripts/test-python.sh builds it)"
wheel=$(ls "$root"/target/python/wheelhouse/port_secret-*-cp39-abi3-manylinux2014_x86_64*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ] || stale "$wheel" python/port_secret python/pyproject.toml crates/port-secret-core/src bindings/python/src bindings/python/Cargo.toml; then
  tools=$root/target/python/tools
  [ -x "$tools/bin/python" ] || "$python" -m venv "$tools"
  "$tools/bin/python" -m pip install -q "maturin==1.16.0" "ziglang==0.17.1"
  rm -rf "$root/target/python/wheelhouse"
  (cd python && PATH="$tools/bin:$PATH" maturin build --release --locked --zig --compatibility manylinux2014 \
    --out "$root/target/python/wheelhouse")
  wheel=$(ls "$root"/target/python/wheelhouse/port_secret-*-cp39-abi3-manylinux2014_x86_64*.whl)
fi
"$python" -c 'import sys, zipfile; sys.exit("port_secret/flask.py" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$wheel" \
  || { echo "the wheel lacks port_secret/flask.py" >&2; exit 1; }
echo "wheel $(basename "$wheel")"

echo "--- venv for the Flask example and its tests"
venv=$work/venv
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -r examples/flask/requirements.txt pytest cryptography
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
echo "--- node --test: examples over HTTP, helper options"
node --test --test-reporter=spec examples.test.mjs helpers.test.mjs >"$work/node-tests.log" 2>&1 || true
grep -E '^\s*(▶|✖)' "$work/node-tests.log" | grep -v '^\s*✖ failing tests' || true
grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)' "$work/node-tests.log"
grep -q '^ℹ fail 0' "$work/node-tests.log" || { grep -B2 -A25 '✖' "$work/node-tests.log" | head -120; exit 1; }

echo "--- node --test: headless Chromium (WebCrypto) -> Port stand-in -> each example"
node --test --test-reporter=spec browser.test.mjs >"$work/browser-tests.log" 2>&1 || true
grep -E '^\s*(✔|✖)' "$work/browser-tests.log" || true
grep -E '^ℹ (tests|pass|fail)' "$work/browser-tests.log"
grep -q '^ℹ fail 0' "$work/browser-tests.log" || { cat "$work/browser-tests.log" | tail -80; exit 1; }

echo "--- pytest test_flask_helper.py (installed wheel)"
"$venv/bin/python" -m pytest -p no:cacheprovider -q test_flask_helper.py

echo "--- tsc --noEmit types.ts against the installed express.d.ts / fastify.d.ts"
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "types: ok"

cd "$root"
echo "--- load: scripts/load.sh ${LOAD_SECONDS:-3}"
bash scripts/load.sh "${LOAD_SECONDS:-3}"
