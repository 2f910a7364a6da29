#!/usr/bin/env bash
# The shared vectors are well-formed (schema, unique tcIds, counts, canonical formatting), every
# case is re-checked with an independent implementation (pyca/cryptography, node:crypto), and the
# Fernet spec files are byte-for-byte the published ones.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r tests/vectors/generate/requirements.txt
python3 tests/vectors/generate/lint.py
node tests/vectors/generate/check_node.mjs
