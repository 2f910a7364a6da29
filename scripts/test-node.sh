#!/usr/bin/env bash
# Node: builds the addon (npm run build), packs the npm package, installs the tarball into a fresh
# directory and runs the tests there, against the installed copy, with no Rust toolchain on the
# PATH: node --test (shared vectors, errors, Decryptor, interop with node:crypto and WebCrypto,
# event loop) and tsc --noEmit on test/types.ts against the installed index.d.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CI=true

cd "$root/node"
# `npm install`, not `npm ci`: npm 11 rejects this lock file in `npm ci` over the optional
# platform packages of @napi-rs/lzma (a dependency of @napi-rs/cli that needs Node 22).
npm install --no-audit --no-fund --loglevel=error
npm run build --silent

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work")
echo "--- packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"
tar -tzf "$work/$tarball" | sed 's/^/    /'
glibc=$(objdump -T port-secret.linux-x64-gnu.node 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1 || true)
echo "--- addon needs ${glibc:-an unknown glibc}"

# A fresh project that installs the tarball, as a user would.
app="$work/app"
mkdir -p "$app"
cp -R test "$app/test"
(cd "$app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$work/$tarball")
test -f "$app/node_modules/port-secret/port-secret.linux-x64-gnu.node"

# No cargo or rustc from here on: the installed package must work without Rust.
node_bin=$(dirname "$(command -v node)")
tsc="$root/node/node_modules/typescript/bin/tsc"
cd "$app"
env PATH="$node_bin:/usr/bin:/bin" PORT_SECRET_VECTORS="$root/tests/vectors" sh -c '
  ! command -v cargo >/dev/null 2>&1 || { echo "cargo is still on the PATH" >&2; exit 1; }
  node --test test/*.test.mjs
'
echo "--- tsc --noEmit test/types.ts against the installed index.d.ts"
env PATH="$node_bin:/usr/bin:/bin" node "$tsc" --noEmit -p test/tsconfig.json --typeRoots "$root/node/node_modules/@types"
echo "types: ok"
echo "--- soak, 5 s: concurrent calls on one Decryptor, on the installed tarball"
SOAK_SECONDS=5 SOAK_RSS_BOUND_MIB=8 SOAK_NODE_APP="$app" bash "$root/scripts/soak.sh" node
