#!/usr/bin/env bash
# Node: the checked-in generated loader node/binding.js and types node/binding.d.ts must be what
# `napi build` generates from bindings/node today. Rebuilds them into a temporary directory and
# fails on any difference. (The release build it makes is the one scripts/test-node.sh reuses.)
set -euo pipefail
cd "$(dirname "$0")/../node"
export CI=true
# `npm install`, not `npm ci`: npm 11 rejects this lock file in `npm ci` over the optional
# platform packages of @napi-rs/lzma (a dependency of @napi-rs/cli that needs Node 22).
npm install --no-audit --no-fund --loglevel=error
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node tools/build.mjs --out "$out"
status=0
for file in binding.js binding.d.ts; do
  if ! diff -u "$file" "$out/$file"; then
    echo "node/$file is stale: run 'npm run build' in node/ and commit it" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "node/binding.js and node/binding.d.ts are up to date"
exit "$status"
