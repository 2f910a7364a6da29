#!/usr/bin/env bash
# Tests the npm packages as a user installs them, on the runner of one platform: packs the main
# package (no .node inside) and node/npm/<platform> (the addon), installs both tarballs into a
# fresh project and runs node/test there (the shared vectors with PORT_SECRET_VECTORS, errors,
# Decryptor, interop, loader) against the installed copy. Run .github/scripts/npm-layout.mjs first.
#   bash .github/scripts/test-node-package.sh PLATFORM [host|alpine]
# alpine: the install and the tests run in a node:22-alpine container (the musl platforms).
set -euo pipefail
platform=$1 mode=${2:-host}
cd "$(dirname "$0")/../.."
root=$PWD
temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
command -v cygpath >/dev/null && temp=$(cygpath -m "$temp")
work="$temp/npm-test-$platform"
rm -rf "$work"
mkdir -p "$work/app"

main=$(cd node && npm pack --silent --pack-destination "$work")
addon=$(cd "node/npm/$platform" && npm pack --silent --pack-destination "$work")
# (tar from inside $work: GNU tar takes a "D:/..." argument for a remote host.)
echo "--- $main: $(cd "$work" && tar -tzf "$main" | wc -l) files"
if (cd "$work" && tar -tzf "$main") | grep '\.node$'; then echo "the main package holds an addon" >&2; exit 1; fi
echo "--- $addon:"
(cd "$work" && tar -tzf "$addon") | sed 's/^/    /'
cp -R node/test "$work/app/test"

install_and_test='
  cd "$APP"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --loglevel=error "$WORK/$MAIN" "$WORK/$ADDON"
  test -f "node_modules/port-secret-$PLATFORM/port-secret.$PLATFORM.node"
  if ls node_modules/port-secret/*.node 2>/dev/null; then echo "an addon in the main package" >&2; exit 1; fi
  node -e "const p = require(\"port-secret\"); console.log(\"port-secret\", p.VERSION, p.RSA_BACKEND, \"on\", process.platform, process.arch)"
  node --test test/*.test.mjs
'
if [ "$mode" = alpine ]; then
  docker run --rm -v "$root:/src:ro" -v "$work:/work" -e WORK=/work -e APP=/work/app \
    -e MAIN="$main" -e ADDON="$addon" -e PLATFORM="$platform" -e PORT_SECRET_VECTORS=/src/tests/vectors \
    node:22-alpine sh -euc "$install_and_test"
else
  WORK="$work" APP="$work/app" MAIN="$main" ADDON="$addon" PLATFORM="$platform" \
    PORT_SECRET_VECTORS="$root/tests/vectors" bash -euc "$install_and_test"
fi
