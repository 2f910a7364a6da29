#!/usr/bin/env bash
# Staleness check for the Python package: the .pyi stubs (python/port_secret/_native.pyi) against
# the built module, with mypy.stubtest, on the installed wheel (PORT_SECRET_WHEEL, `make wheel`:
# the one the test step uses).
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/test-python.sh --check
