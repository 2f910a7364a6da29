#!/usr/bin/env bash
# Python package (python/, bindings/python): builds the shipped artifact, an abi3 wheel tagged
# manylinux2014 (maturin + zig, no Docker), installs it into a fresh venv and, from outside the
# source tree, runs mypy.stubtest and the pytest suite against it. Then checks that the sdist
# and `pip install ./python` (maturin as the PEP 517 backend) build and pass the suite too.
#   bash scripts/test-python.sh           # everything
#   bash scripts/test-python.sh --check   # wheel + stubtest only (scripts/check-python.sh)
# Work files (venvs, wheels) go to target/python/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/python
mode=${1:-all}
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# Build tools, pinned, in their own venv (kept between runs: pip is a no-op when satisfied).
tools=$work/tools
[ -x "$tools/bin/python" ] || "$python" -m venv "$tools"
"$tools/bin/python" -m pip install -q "maturin==1.16.0" "ziglang==0.17.1"
export PATH="$tools/bin:$PATH"

echo "--- wheel: maturin build --release --zig --compatibility manylinux2014"
t=$(date +%s)
rm -rf "$work/wheelhouse"
(cd python && maturin build --release --locked --zig --compatibility manylinux2014 \
  --out "$work/wheelhouse")
wheel=$(ls "$work"/wheelhouse/port_secret-*-cp39-abi3-manylinux2014_x86_64*.whl)
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB, built in $(elapsed "$t"))"

# A fresh venv with the wheel (no index: it needs nothing else) and the test dependencies.
fresh_venv() {
  rm -rf "$1"
  "$python" -m venv "$1"
  "$1/bin/python" -m pip install -q --upgrade pip
}
venv=$work/venv-wheel
fresh_venv "$venv"
t=$(date +%s%N)
"$venv/bin/python" -m pip install -q --no-index "$wheel"
echo "install: $(( ($(date +%s%N) - t) / 1000000 )) ms into a fresh venv"
"$venv/bin/python" -m pip install -q -r python/tests/requirements.txt

# Run from an empty directory, so that `import port_secret` can only be the installed package.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT

echo "--- mypy.stubtest port_secret (stubs against the installed module)"
(cd "$outside" && "$venv/bin/python" -m mypy.stubtest port_secret)
[ "$mode" = "--check" ] && exit 0

run_pytest() { # venv label
  echo "--- pytest ($2)"
  (cd "$outside" && PORT_SECRET_REQUIRE_INSTALLED=1 PORT_SECRET_REPO="$root" \
    "$1/bin/python" -m pytest -p no:cacheprovider -q "$root/python/tests")
}
run_pytest "$venv" "installed manylinux2014 wheel"

echo "--- sdist: maturin sdist, then pip install of the sdist in a fresh venv"
t=$(date +%s)
rm -rf "$work/sdist"
# (maturin first looks for a Cargo.toml in python/ and prints "manifest path `Cargo.toml` does not
# exist" before reading pyproject.toml's manifest-path: harmless.)
(cd python && maturin sdist --out "$work/sdist")
sdist=$(ls "$work"/sdist/port_secret-*.tar.gz)
venv_sdist=$work/venv-sdist
fresh_venv "$venv_sdist"
# The sdist builds in pip's temporary directory; share the checkout's target dir for speed.
# --no-cache-dir: really build it (pip would reuse a wheel it built from an earlier sdist).
CARGO_TARGET_DIR=$root/target "$venv_sdist/bin/python" -m pip install -q --no-cache-dir "$sdist"
echo "sdist: $(basename "$sdist") built and installed in $(elapsed "$t")"
"$venv_sdist/bin/python" -m pip install -q -r python/tests/requirements.txt
run_pytest "$venv_sdist" "installed from the sdist"

echo "--- pip install ./python (PEP 517, maturin backend) in a fresh venv"
t=$(date +%s)
venv_src=$work/venv-checkout
fresh_venv "$venv_src"
MATURIN_PEP517_ARGS="--locked" "$venv_src/bin/python" -m pip install -q --no-cache-dir ./python
echo "pip install ./python: $(elapsed "$t")"
"$venv_src/bin/python" -m pip install -q -r python/tests/requirements.txt
run_pytest "$venv_src" "installed by pip install ./python"

echo "--- soak, 5 s: threads sharing one Decryptor, on the installed manylinux2014 wheel"
SOAK_SECONDS=5 SOAK_RSS_BOUND_MIB=8 SOAK_PYTHON="$venv/bin/python" bash scripts/soak.sh python
