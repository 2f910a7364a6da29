#!/usr/bin/env bash
# The front door: every fenced code block of README.md, examples/*/README.md, python/README.md
# and node/README.md runs as written, or is checked (syntax and names) or skipped with the
# reason its marker gives (tests/readme/run.py says how). Builds or reuses the artifacts a
# reader would have: the `port-secret` command (release), libport_secret (release), the
# manylinux wheel and the npm tarball (rebuilt when stale, as scripts/test-examples.sh does).
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

# Stale when any source of it is newer than the artifact.
stale() { # artifact sources...
  [ -e "$1" ] || return 0
  local artifact=$1; shift
  [ -n "$(find "$@" -newer "$artifact" -type f -print -quit 2>/dev/null)" ]
}

echo "--- port-secret (cargo build --release -p port-secret-cli) and libport_secret (-p port-secret-ffi)"
cargo build --quiet --locked --release -p port-secret-cli
cargo build --quiet --locked --release -p port-secret-ffi
cargo build --quiet --locked -p port-secret-cli # examples/demo/run.sh uses the debug build

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
venv=$work/venv
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
if stale "$venv/.wheel-installed" "$wheel"; then
  "$venv/bin/python" -m pip install -q "pyyaml==6.0.3"
  "$venv/bin/python" -m pip install -q --no-index --force-reinstall --no-deps "$wheel"
  touch "$venv/.wheel-installed"
fi
echo "wheel $(basename "$wheel")"

echo "--- npm tarball (node/, as scripts/test-node.sh builds it)"
addon=node/port-secret.linux-x64-gnu.node
if stale "$addon" crates/port-secret-core/src bindings/node/src bindings/node/Cargo.toml; then
  # npm ci, not npm install: the checked-in package-lock.json stays as it is.
  (cd node && { [ -d node_modules/@napi-rs/cli ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent)
fi
tarball=$(cd node && npm pack --silent --pack-destination "$work")
tarball=$work/$tarball
nodedir=$work/node
if [ ! -d "$nodedir/node_modules/port-secret" ] || ! cmp -s "$tarball" "$nodedir/port-secret.tgz"; then
  rm -rf "$nodedir"
  mkdir -p "$nodedir"
  cp "$tarball" "$nodedir/port-secret.tgz"
  (cd "$nodedir" && echo '{"private": true}' > package.json && npm_install --no-save ./port-secret.tgz)
fi
echo "packed $(basename "$tarball")"

echo "--- the README blocks"
README_TEST_BIN=$root/target/release README_TEST_LIB=$root/target/release \
README_TEST_PYTHON=$venv/bin/python README_TEST_NODE=$nodedir README_TEST_WORK=$work \
  "$python" tests/readme/run.py "$@"
