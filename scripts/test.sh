#!/usr/bin/env bash
# Kept for old habits: the test command is `make test` (the Makefile builds each artifact once and
# runs every part in order). This calls it.
#   bash scripts/test.sh            # make test
#   bash scripts/test.sh rust c     # make test PARTS="rust c"
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  exec make --no-print-directory test
fi
exec make --no-print-directory test PARTS="$*"
