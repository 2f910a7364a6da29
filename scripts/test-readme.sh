#!/usr/bin/env bash
# The front door: every fenced code block of README.md, examples/*/README.md, python/README.md
# and node/README.md runs as written, or is checked (syntax and names) or skipped with the
# reason its marker gives (tests/readme/run.py says how), on the artifacts a reader would have
# (built by make: the release CLI and libport_secret, the manylinux wheel, the npm tarball).
#   bash scripts/test-readme.sh                 # every README
#   bash scripts/test-readme.sh README.md       # some files; --only TEXT: blocks whose label has TEXT
# Work files go to target/readme/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/readme
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work/tmp"
npm_install() { npm install --no-audit --no-fund --loglevel=error "$@"; }

# The artifacts a reader would have (scripts/artifacts.sh; built by make): the `port-secret`
# command (release), libport_secret (release), the debug CLI examples/demo/run.sh runs, the
# manylinux wheel and the npm tarball.
. scripts/artifacts.sh
need PORT_SECRET_CLI cli
need PORT_SECRET_LIB_DIR lib
need PORT_SECRET_CLI_DEBUG cli-debug
need PORT_SECRET_WHEEL wheel
need PORT_SECRET_NPM_TARBALL npm-tarball
wheel=$PORT_SECRET_WHEEL
# Reinstalled when the wheel changed.
stale() { [ ! -e "$1" ] || [ "$2" -nt "$1" ]; }
venv=$work/venv
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
if stale "$venv/.wheel-installed" "$wheel"; then
  "$venv/bin/python" -m pip install -q "pyyaml==$PIN_PYYAML"
  "$venv/bin/python" -m pip install -q --no-index --force-reinstall --no-deps "$wheel"
  touch "$venv/.wheel-installed"
fi
echo "wheel $(basename "$wheel")"

tarball=$PORT_SECRET_NPM_TARBALL
nodedir=$work/node
if [ ! -d "$nodedir/node_modules/port-secret" ] || ! cmp -s "$tarball" "$nodedir/port-secret.tgz"; then
  rm -rf "$nodedir"
  mkdir -p "$nodedir"
  cp "$tarball" "$nodedir/port-secret.tgz"
  (cd "$nodedir" && echo '{"private": true}' > package.json && npm_install --no-save ./port-secret.tgz)
fi
echo "tarball $(basename "$tarball")"

echo "--- the README blocks"
README_TEST_BIN=$(dirname "$PORT_SECRET_CLI") README_TEST_LIB=$PORT_SECRET_LIB_DIR \
README_TEST_PYTHON=$venv/bin/python README_TEST_NODE=$nodedir README_TEST_WORK=$work \
  "$python" tests/readme/run.py "$@"
