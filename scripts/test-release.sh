#!/usr/bin/env bash
# Release checks that can run on this machine (the platform builds themselves run in
# .github/workflows/release.yml, on each platform's runner):
#  1. versions: every version follows the workspace Cargo.toml (tests/release/versions.py);
#  2. the README "Platforms" table (README.md's "## Platforms", else tests/release/platforms.md)
#     against release.yml's job matrices, napi.targets and node/npm (tests/release/test_platforms.py);
#  3. the npm layout script of the release on a copy of node/ (tests/release/npm_layout.test.mjs);
#  4. the Python fallback to the sdist (PORT_SECRET_SDIST, `make sdist`): its contents
#     (tests/release/sdist_check.py),
#     then, in a fresh venv, `pip install port-secret` from a local index that holds the sdist
#     and only a wheel for another platform: pip must pass the wheel over and build the sdist
#     from source; the result is imported from outside the tree and runs a few shared vectors.
#     (scripts/test-python.sh already installs the sdist file directly and runs the whole suite
#     on it; this covers pip *choosing* the sdist when no wheel matches.)
#   bash scripts/test-release.sh              # all
#   bash scripts/test-release.sh --sdist-only # 4 only (release.yml's sdist job; leaves a copy of
#                                             # the sdist in target/release-test/sdist/)
# Work files go to target/release-test/; the pinned tools are the tools venv (`make tools`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/release-test
mode=${1:-all}
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"

. scripts/artifacts.sh
need PORT_SECRET_TOOLS tools
need PORT_SECRET_SDIST sdist
tools=$(dirname "$PORT_SECRET_TOOLS")

if [ "$mode" != --sdist-only ]; then
  echo "--- versions follow Cargo.toml"
  "$tools/bin/python" tests/release/versions.py

  echo "--- the Platforms table against .github/workflows/release.yml"
  "$tools/bin/python" -m pytest -p no:cacheprovider -q tests/release/test_platforms.py

  echo "--- the release's npm layout (napi-rs: one package per platform, optionalDependencies)"
  node --test tests/release/npm_layout.test.mjs
fi

echo "--- sdist: $(basename "$PORT_SECRET_SDIST")"
t=$(date +%s)
rm -rf "$work/sdist" "$work/index"
mkdir -p "$work/sdist"
cp "$PORT_SECRET_SDIST" "$work/sdist/"
sdist=$work/sdist/$(basename "$PORT_SECRET_SDIST")
"$tools/bin/python" tests/release/sdist_check.py "$sdist"

echo "--- pip install port-secret where no wheel matches: pip must build the sdist"
# A local index with the sdist and a wheel for a platform this is not (pip filters wheels by
# their file name's tags before it reads them, so the wheel's bytes never matter here).
mkdir -p "$work/index" "$work/build-wheels"
cp "$sdist" "$work/index/"
# The sdist's build backend (pyproject.toml build-system.requires), fetched once and kept: the
# install itself then runs with --no-index, so nothing named port-secret can come from elsewhere.
ls "$work/build-wheels/maturin-$PIN_MATURIN"-*.whl >/dev/null 2>&1 \
  || "$tools/bin/python" -m pip download -q --only-binary :all: --no-deps -d "$work/build-wheels" "maturin==$PIN_MATURIN"
cp "$work"/build-wheels/*.whl "$work/index/"
version=$(basename "$sdist" .tar.gz | sed 's/^port_secret-//')
echo "not a wheel for this platform" > "$work/index/port_secret-$version-cp39-abi3-macosx_11_0_arm64.whl"
venv=$work/venv-fallback
rm -rf "$venv"
"$python" -m venv "$venv"
# --no-cache-dir: really build (pip would reuse a wheel it built earlier); the build shares the
# checkout's target dir, as scripts/test-python.sh's does, so an unchanged tree builds fast.
CARGO_TARGET_DIR=$root/target "$venv/bin/python" -m pip install --no-cache-dir --no-index \
  --find-links "$work/index" "port-secret==$version" -vv > "$work/pip-fallback.log" 2>&1 \
  || { tail -40 "$work/pip-fallback.log"; exit 1; }
grep -E "none of the wheel's tags|Building wheel for port-secret \(" "$work/pip-fallback.log" \
  | sed -e 's/^ */    /' -e 's|file://[^ ]*/||' | awk '!seen[$0]++'
grep -q "none of the wheel's tags.*port_secret-$version-cp39-abi3-macosx_11_0_arm64.whl" "$work/pip-fallback.log" \
  || { echo "pip did not consider (and pass over) the other platform's wheel" >&2; exit 1; }
grep -q "Building wheel for port-secret" "$work/pip-fallback.log" \
  || { echo "pip did not build the sdist" >&2; exit 1; }
echo "sdist fallback: built from source and installed in $(( $(date +%s) - t ))s"
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
(cd "$outside" && PORT_SECRET_VECTORS="$root/tests/vectors" "$venv/bin/python" "$root/tests/release/sdist_vectors.py")
