#!/usr/bin/env bash
# A bounded load run on loopback: wrk POSTs a valid, signed Port run (three aes256-gcm inputs and
# one client-side RSA-OAEP input) for N seconds to the Flask example under gunicorn
# (-w 2 --threads 4) and to the Fastify example, and fails unless every request got a 200 with
# the decrypted run (a wrk Lua script counts the others; socket errors count as failures).
#   bash scripts/load.sh [seconds=10]
# The signature is computed once, right before each run, with the current time; it stays inside
# the examples' default 300 s tolerance for the whole run (it is the same body, replayed).
# Needs wrk (apt-get install wrk), and the examples' dependencies: E2E_PYTHON (a Python with
# flask, gunicorn and port-secret), E2E_FLASK_DIR / E2E_FASTIFY_DIR / E2E_EXPRESS_DIR (installed
# copies; default: examples/*). scripts/test-examples.sh sets them up and runs this.
# LOAD_EXAMPLES="flask fastify express" adds Express.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-10}
python=${E2E_PYTHON:-python3}
flask_dir=${E2E_FLASK_DIR:-$root/examples/flask}
fastify_dir=${E2E_FASTIFY_DIR:-$root/examples/fastify}
express_dir=${E2E_EXPRESS_DIR:-$root/examples/express}
examples=${LOAD_EXAMPLES:-flask fastify}
# Relative paths are taken from the repository root; the servers start in their own directory.
case $python in */*) python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python") ;; *) python=$(command -v "$python") ;; esac
flask_dir=$(realpath "$flask_dir"); fastify_dir=$(realpath "$fastify_dir"); express_dir=$(realpath "$express_dir")
command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export PORT_CLIENT_SECRET=$(cat examples/demo/client_secret.txt)
export PORT_PRIVATE_KEY_FILE=$root/examples/demo/private_key.pem

status=0
for name in $examples; do
  port=$(free_port)
  export PORT=$port
  case $name in
    flask) (cd "$flask_dir" && exec setsid "$(dirname "$python")/gunicorn" -w 2 --threads 4 -b "127.0.0.1:$port" \
             --log-level warning app:app) >"$work/$name.log" 2>&1 & ;;
    fastify) (cd "$fastify_dir" && LOG_REQUESTS=0 exec setsid node server.js) >"$work/$name.log" 2>&1 & ;;
    express) (cd "$express_dir" && exec setsid node server.js) >/dev/null 2>"$work/$name.log" & ;;
    *) echo "unknown example $name" >&2; exit 2 ;;
  esac
  pid=$!
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/$name.log"; exit 1; }
  node tests/e2e/load-request.mjs "$work/request.lua"
  label=$name; [ "$name" = flask ] && label="flask (gunicorn -w 2 --threads 4)"
  echo "--- wrk -t2 -c16 -d${seconds}s: $label"
  wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/request.lua" "http://127.0.0.1:$port" >"$work/wrk.out"
  grep -E "Requests/sec|Non-2xx|Socket errors|Latency  " "$work/wrk.out" | sed 's/^/    /'
  result=$(grep '^RESULT' "$work/wrk.out")
  echo "load $name: ${result#RESULT }"
  failed=$(sed -E 's/.* failed=([0-9]+).*/\1/' <<<"$result")
  socket=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$result")
  ok=$(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$result")
  if [ "$failed" != 0 ] || [ "$socket" != 0 ] || [ "$ok" = 0 ]; then
    echo "load $name: FAILED ($failed bad responses, $socket socket errors)"; status=1
  fi
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
done
exit $status
