#!/usr/bin/env bash
# The GitHub Action (action.yml + github-action/): builds what a release ref holds, then tests it
# as GitHub runs it. Steps: the Node addon (`make addon`: npm run build in node/, only when
# node/port-secret.linux-x64-gnu.node is older than a source it is built from); the
# action's npm dependencies (npm ci); dist/ (the esbuild bundle + the addon, `npm run build`);
# then node --test: unit tests of src/, dist/index.js under a simulated runner (INPUT_*,
# GITHUB_OUTPUT / GITHUB_ENV, masks checked line by line), @github/local-action on src/, and the
# example workflow of examples/github-workflow run as written.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CI=true

# The Node addon (node/port-secret.linux-x64-gnu.node): `make addon` (rebuilt only when a Rust
# source is newer; the release job puts a tested one there first).
. scripts/artifacts.sh
need_target addon
test -f node/port-secret.linux-x64-gnu.node

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
