#!/usr/bin/env bash
# Python package (python/, bindings/python): installs the shipped artifact, the abi3 wheel tagged
# manylinux2014 (PORT_SECRET_WHEEL, `make wheel`), into a fresh venv and, from outside the source
# tree, runs mypy.stubtest and the pytest suite against it (python/tests), then the framework
# helpers' tests (python/helper-tests, with Flask pinned in scripts/pins.sh; a pytest run of their
# own, as importing port_secret.flask changes the package's names). Then checks that the sdist
# (PORT_SECRET_SDIST, `make sdist`) and `pip install ./python` (maturin as the PEP 517 backend)
# build and pass the suite too.
#   make test-python                       # everything (bash scripts/test-python.sh alone too)
#   bash scripts/test-python.sh --check    # wheel + stubtest only (make check-python)
# Work files (venvs) go to target/python/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/python
mode=${1:-all}
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
. scripts/artifacts.sh
need PORT_SECRET_WHEEL wheel
wheel=$PORT_SECRET_WHEEL
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"

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
"$venv/bin/python" -m pip install -q -r python/tests/requirements.txt "flask==$PIN_FLASK"

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
  echo "--- pytest python/helper-tests ($2)"
  (cd "$outside" && "$1/bin/python" -m pytest -p no:cacheprovider -q "$root/python/helper-tests")
}
run_pytest "$venv" "installed manylinux2014 wheel"

echo "--- sdist: pip install of the sdist in a fresh venv"
need PORT_SECRET_SDIST sdist
sdist=$PORT_SECRET_SDIST
t=$(date +%s)
venv_sdist=$work/venv-sdist
fresh_venv "$venv_sdist"
# The sdist builds in pip's temporary directory; share the checkout's target dir for speed.
# --no-cache-dir: really build it (pip would reuse a wheel it built from an earlier sdist).
CARGO_TARGET_DIR=$root/target "$venv_sdist/bin/python" -m pip install -q --no-cache-dir "$sdist"
echo "sdist: $(basename "$sdist") built and installed in $(elapsed "$t")"
"$venv_sdist/bin/python" -m pip install -q -r python/tests/requirements.txt "flask==$PIN_FLASK"
run_pytest "$venv_sdist" "installed from the sdist"

echo "--- pip install ./python (PEP 517, maturin backend) in a fresh venv"
t=$(date +%s)
venv_src=$work/venv-checkout
fresh_venv "$venv_src"
MATURIN_PEP517_ARGS="--locked" "$venv_src/bin/python" -m pip install -q --no-cache-dir ./python
echo "pip install ./python: $(elapsed "$t")"
"$venv_src/bin/python" -m pip install -q -r python/tests/requirements.txt "flask==$PIN_FLASK"
run_pytest "$venv_src" "installed by pip install ./python"

echo "--- soak, 5 s: threads sharing one Decryptor, on the installed manylinux2014 wheel"
SOAK_SECONDS=5 SOAK_RSS_BOUND_MIB=8 SOAK_PYTHON="$venv/bin/python" bash scripts/soak.sh python
