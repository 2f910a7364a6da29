#!/usr/bin/env bash
# Regenerates every vector file, then checks them. Run from anywhere:
#   tests/vectors/generate/regenerate.sh
# Needs: python3 with cryptography==48.0.0 and pycryptodome==4.4.0 (requirements.txt), node >= 20.
# Keys in tests/vectors/keys/ are kept (gen_keys.py only rewrites keys.json); new keys: gen_keys.py --force.
# Every value is random (IVs, OAEP): regenerating changes all vector files. Do it deliberately.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")"
python3 gen_keys.py
python3 gen_pyca.py
python3 gen_pycryptodome.py
node gen_node.mjs
python3 gen_invalid.py
python3 gen_properties.py
python3 gen_runs.py
python3 lint.py
node check_node.mjs
