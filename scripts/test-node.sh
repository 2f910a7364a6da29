#!/usr/bin/env bash
# Node: installs the packed npm package (PORT_SECRET_NPM_TARBALL, `make npm-tarball`: npm run
# build + npm pack) into a fresh directory and runs the tests there, against the installed copy,
# with no Rust toolchain on the PATH: node --test (shared vectors, errors, Decryptor, interop with
# node:crypto and WebCrypto, event loop) and tsc --noEmit on test/types.ts against the installed
# index.d.ts (TypeScript from node/node_modules, `make node-modules`); then node/test/helpers (the
# Express and Fastify helpers on real servers) in its own project with the tarball installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CI=true
. scripts/artifacts.sh
need PORT_SECRET_NPM_TARBALL npm-tarball
need_target node-modules

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(basename "$PORT_SECRET_NPM_TARBALL")
cp "$PORT_SECRET_NPM_TARBALL" "$work/$tarball"
echo "--- packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"
tar -tzf "$work/$tarball" | sed 's/^/    /'
tar -xzf "$work/$tarball" -C "$work" package/port-secret.linux-x64-gnu.node
glibc=$(objdump -T "$work/package/port-secret.linux-x64-gnu.node" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1 || true)
echo "--- addon needs ${glibc:-an unknown glibc}"
cd "$root/node"

# A fresh project that installs the tarball, as a user would.
app="$work/app"
mkdir -p "$app"
cp -R test "$app/test"
rm -rf "$app/test/helpers" # its own project, run below
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
echo "--- node/test/helpers: port-secret/express and /fastify on real servers, on the installed tarball"
# Its own small project (the frameworks pinned by its package.json and lock), the tarball beside them.
helpers=$root/node/test/helpers
(cd "$helpers" && npm ci --no-audit --no-fund --loglevel=error &&
  npm install --no-save --no-audit --no-fund --loglevel=error "$PORT_SECRET_NPM_TARBALL")
(cd "$helpers" && node --test --test-reporter=spec ./*.test.mjs)
echo "--- soak, 5 s: concurrent calls on one Decryptor, on the installed tarball"
SOAK_SECONDS=5 SOAK_RSS_BOUND_MIB=8 SOAK_NODE_APP="$app" bash "$root/scripts/soak.sh" node
