#!/usr/bin/env bash
# The GitHub Action (action.yml + github-action/): builds what a release ref holds, then tests it
# as GitHub runs it. Steps: the Node addon (`cd node && npm install && npm run build`, skipped when
# node/port-secret.linux-x64-gnu.node is newer than every Rust source it is built from); the
# action's npm dependencies (npm ci); dist/ (the esbuild bundle + the addon, `npm run build`);
# then node --test: unit tests of src/, dist/index.js under a simulated runner (INPUT_*,
# GITHUB_OUTPUT / GITHUB_ENV, masks checked line by line), @github/local-action on src/, and the
# example workflow of examples/github-workflow run as written.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CI=true

addon="$root/node/port-secret.linux-x64-gnu.node"
newer=""
if [ -f "$addon" ]; then
  # What the addon is built from: the core crate, the Node binding crate, the workspace manifests.
  newer=$(find crates/port-secret-core bindings/node Cargo.toml Cargo.lock \
    \( -name '*.rs' -o -name 'Cargo.toml' -o -name 'Cargo.lock' \) \
    -newer "$addon" -print -quit 2>/dev/null || true)
fi
if [ ! -f "$addon" ] || [ -n "$newer" ]; then
  echo "--- building the Node addon${newer:+ ($newer is newer than it)}"
  (cd node && npm install --no-audit --no-fund --loglevel=error && npm run build --silent)
else
  echo "--- reusing $addon (newer than the Rust sources)"
fi

cd "$root/github-action"
echo "--- npm ci (github-action)"
npm ci --no-audit --no-fund --loglevel=error
echo "--- npm run build: dist/"
npm run build --silent
test -f dist/index.js && test -f dist/port-secret.linux-x64-gnu.node
main=$(node -e "const Y=require('yaml');const a=Y.parse(require('fs').readFileSync('../action.yml','utf8'));if(a.runs.using!=='node20')throw new Error('runs.using');console.log(a.runs.main)")
test "$main" = github-action/dist/index.js
echo "--- node --test (github-action/test)"
node --test test/*.test.mjs
