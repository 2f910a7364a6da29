#!/usr/bin/env bash
# Tests a built wheel as a user installs it, on the runner of its platform: installs it from
# dist/ (no index: it needs nothing else), then the test requirements, and runs python/tests
# from outside the source tree against the installed copy (PORT_SECRET_REQUIRE_INSTALLED=1; the
# shared vectors come from PORT_SECRET_REPO/tests/vectors).
#   bash .github/scripts/test-wheel.sh WHEEL-TAG [host|alpine]
# alpine: in a python:3.12-alpine container (the musllinux wheels).
set -euo pipefail
tag=$1 mode=${2:-host}
cd "$(dirname "$0")/../.."
root=$PWD
shopt -s nullglob
wheels=(dist/port_secret-*-cp39-abi3-*"$tag".whl)
[ ${#wheels[@]} -eq 1 ] || { echo "expected one abi3 wheel tagged $tag in dist/: $(ls dist)" >&2; exit 1; }
echo "--- ${wheels[0]}"

run_tests='
  python -m pip install --disable-pip-version-check -q --no-index --find-links "$DIST" port-secret
  python -m pip install --disable-pip-version-check -q -r "$PORT_SECRET_REPO/python/tests/requirements.txt"
  cd "$OUTSIDE"
  python -c "import port_secret, sys; print(\"port_secret\", port_secret.__version__, port_secret.RSA_BACKEND, sys.platform)"
  PORT_SECRET_REQUIRE_INSTALLED=1 python -m pytest -p no:cacheprovider -q "$PORT_SECRET_REPO/python/tests"
'
if [ "$mode" = alpine ]; then
  docker run --rm -v "$root:/src:ro" -e DIST=/src/dist -e PORT_SECRET_REPO=/src -e OUTSIDE=/tmp \
    python:3.12-alpine sh -euc "apk add --no-cache build-base libffi-dev >/dev/null; $run_tests"
else
  outside=$(mktemp -d)
  venv="$outside/venv"
  python -m venv "$venv"
  bin="$venv/bin"; [ -d "$bin" ] || bin="$venv/Scripts"
  PATH="$bin:$PATH" DIST="$root/dist" PORT_SECRET_REPO="$root" OUTSIDE="$outside" bash -euc "$run_tests"
fi
