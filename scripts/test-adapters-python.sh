#!/usr/bin/env bash
# Python adapters (port_secret.asgi, port_secret.aws_lambda, port_secret.kafka) end to end:
# on the manylinux2014 wheel (PORT_SECRET_WHEEL, `make wheel`): a venv under target/adapters-python
# with the wheel and fastapi, uvicorn, starlette, httpx, aws-lambda-powertools (pinned in scripts/pins.sh),
# confluent-kafka, kafka-python, pycryptodome, flask, pytest, starts a Kafka broker
# (scripts/kafka-broker.sh, stopped by a trap) and runs tests/adapters/python:
#   - test_asgi.py: asgi_app.py under uvicorn over real HTTP; every case as the Flask helper
#     answers it; the p99 of a plain route while 32 client-side runs are in flight; req/s of the
#     helper vs the docs' pycryptodome snippet (printed);
#   - test_lambda.py: API Gateway v1/v2, function URL, MSK/self-managed Kafka events, cross-checked
#     with aws-lambda-powertools' event classes;
#   - test_kafka.py: confluent-kafka and kafka-python through a real broker;
#   - test_examples.py: examples/asgi, examples/lambda-python, examples/kafka-python.
# Bounded: each step has a timeout; about a minute after the wheel is built.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/adapters-python
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"
t0=$(date +%s)

. scripts/artifacts.sh
need PORT_SECRET_WHEEL wheel
wheel=$PORT_SECRET_WHEEL
for module in _http.py asgi.py asgi.pyi aws_lambda.py aws_lambda.pyi kafka.py kafka.pyi flask.py; do
  "$python" -c 'import sys, zipfile; sys.exit(sys.argv[2] not in zipfile.ZipFile(sys.argv[1]).namelist())' \
    "$wheel" "port_secret/$module" || { echo "the wheel lacks port_secret/$module" >&2; exit 1; }
done
echo "wheel $(basename "$wheel")"

echo "--- venv: the wheel and the adapters' runtimes (pinned)"
venv=$work/venv
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
timeout 300 "$venv/bin/python" -m pip install -q \
  "fastapi==$PIN_FASTAPI" "starlette==$PIN_STARLETTE" "uvicorn==$PIN_UVICORN" "httpx==$PIN_HTTPX" \
  "anyio==$PIN_ANYIO" "aws-lambda-powertools==$PIN_AWS_LAMBDA_POWERTOOLS" \
  "confluent-kafka==$PIN_CONFLUENT_KAFKA" "kafka-python==$PIN_KAFKA_PYTHON" \
  "pycryptodome==$PIN_PYCRYPTODOME" "cryptography==$PIN_CRYPTOGRAPHY" "flask==$PIN_FLASK" \
  "pytest==$PIN_PYTEST"
"$venv/bin/python" -m pip install -q --no-index --force-reinstall --no-deps "$wheel"

echo "--- Kafka broker (scripts/kafka-broker.sh)"
kdir=$work/kafka
trap 'bash "$root/scripts/kafka-broker.sh" stop "$kdir" >/dev/null 2>&1 || true' EXIT  # before start
trap 'exit 143' INT TERM                                                              # signals too
bash scripts/kafka-broker.sh start "$kdir" >/dev/null
export "$(cat "$kdir/bootstrap")"
echo "$KAFKA_BOOTSTRAP"

echo "--- pytest tests/adapters/python (installed wheel)"
# From the tests' directory: `import port_secret` can only be the installed wheel (python/ is
# not on the path).
cd "$root/tests/adapters/python"
set +e
PORT_SECRET_REPO="$root" timeout 600 "$venv/bin/python" -m pytest -p no:cacheprovider -q -s -rfE \
  test_asgi.py test_lambda.py test_kafka.py test_examples.py test_examples_downstream.py >"$work/pytest.log" 2>&1
rc=$?
set -e
grep -E '^\[' "$work/pytest.log" || true         # the reports: p99 and req/s
for file in test_asgi test_lambda test_kafka test_examples test_examples_downstream; do
  echo "  $file.py: $(PORT_SECRET_REPO="$root" "$venv/bin/python" -m pytest -p no:cacheprovider -q \
    --collect-only "$file.py" 2>/dev/null | tail -1)"
done
tail -1 "$work/pytest.log"
python_file=$("$venv/bin/python" -c 'import port_secret; print(port_secret.__file__)')
case "$python_file" in */site-packages/*) ;; *) echo "port_secret came from $python_file" >&2; exit 1;; esac
[ "$rc" -eq 0 ] || { tail -60 "$work/pytest.log"; exit "$rc"; }
echo "adapters-python: done in $(( $(date +%s) - t0 ))s"
