#!/usr/bin/env bash
# The one test command: runs every test suite of the project, in order, and stops at the first
# failure. Each part installs what it needs itself (see scripts/test-*.sh).
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh rust c     # only some parts
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then
  parts=(rust cli python node c go java examples adapters-python adapters-node github-action release readme fuzz)
fi
ran=0
for part in "${parts[@]}"; do
  script="scripts/test-$part.sh"
  if [ -f "$script" ]; then
    echo "=== port-secret: $part ==="
    bash "$script"
    ran=$((ran + 1))
  fi
done
echo "=== port-secret: every part passed ==="
echo "test parts: $ran passed, 0 failed"
