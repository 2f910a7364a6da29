#!/usr/bin/env bash
# Staleness check for the Python package: the .pyi stubs (python/port_secret/_native.pyi) against
# the built module, with mypy.stubtest. Builds the release wheel the same way
# scripts/test-python.sh does (so the test step reuses the build) and checks the installed copy.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/test-python.sh --check
