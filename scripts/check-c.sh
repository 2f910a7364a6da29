#!/usr/bin/env bash
# include/port_secret.h is generated from crates/port-secret-ffi by cbindgen and checked in:
# regenerate it with the pinned cbindgen and fail if it differs from the committed file.
# cbindgen is pinned because its output (layout, comments, guards) changes between releases.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pins.sh
CBINDGEN_VERSION=$PIN_CBINDGEN
if [ "$(cbindgen --version 2>/dev/null || true)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked
fi
cbindgen --quiet --config crates/port-secret-ffi/cbindgen.toml --crate port-secret-ffi \
  --output include/port_secret.h crates/port-secret-ffi
if ! git diff --exit-code -- include/ || [ -n "$(git status --porcelain -- include/)" ]; then
  echo "include/port_secret.h is stale: commit the regenerated header (bash scripts/check-c.sh)"
  exit 1
fi
echo "include/port_secret.h is up to date (cbindgen $CBINDGEN_VERSION)"
