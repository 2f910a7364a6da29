#!/usr/bin/env bash
# Requests/s of each framework helper against the same framework doing only the JSON parse of the
# same signed body (goal: >= 0.9x) and running the docs' decrypt snippet (goal: >= 1x). One
# signed Port run with three aes256-gcm inputs; wrk -t2 -c16 on loopback; ROUNDS rounds of
# SECONDS per route, interleaved (bare, docs, helper), median reported. Flask runs under
# gunicorn -w 2 --threads 4, Express and Fastify as one Node process: the same server for all
# three routes of a framework, so the ratios compare only what each route does.
#   bash bench/helpers/run.sh [seconds=5] [rounds=3]
# Uses what `bash scripts/test-examples.sh` installs (target/e2e: a venv with Flask, gunicorn and
# the wheel; the Express and Fastify examples with the packed tarball); run that first.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-5}
rounds=${2:-3}
e2e=$root/target/e2e
[ -x "$e2e/venv/bin/gunicorn" ] && [ -d "$e2e/express/node_modules/port-secret" ] && [ -d "$e2e/fastify/node_modules/port-secret" ] \
  || { echo "run 'bash scripts/test-examples.sh' first (it installs target/e2e)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 2; }
"$e2e/venv/bin/python" -m pip install -q pycryptodome
export PORT_CLIENT_SECRET=$(cat examples/demo/client_secret.txt)
work=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill -TERM -- "-$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| framework | bare (parse only) req/s | docs' snippet req/s | port-secret helper req/s | helper / bare | helper / docs |"
echo "|---|---|---|---|---|---|"
for framework in flask express fastify; do
  port=$(free_port)
  case $framework in
    flask) (cd bench/helpers && exec setsid "$e2e/venv/bin/gunicorn" -w 2 --threads 4 -b "127.0.0.1:$port" \
             --log-level warning flask_app:app) >"$work/server.log" 2>&1 & ;;
    *) (NODE_PATH=$e2e/$framework/node_modules exec setsid node bench/helpers/node_app.js "$framework" "$port") >"$work/server.log" 2>&1 & ;;
  esac
  pid=$!
  for route in bare docs helper; do node bench/helpers/request.mjs "/$route" "$work/$route.lua" "$PORT_CLIENT_SECRET"; done
  for _ in $(seq 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi  # any HTTP answer: it listens
    sleep 0.1
  done
  for route in bare docs helper; do : >"$work/$route.rps"; done
  for _ in $(seq "$rounds"); do
    for route in bare docs helper; do
      result=$(wrk -t2 -c16 -d"${seconds}s" -s "$work/$route.lua" "http://127.0.0.1:$port" | grep '^RESULT')
      case $result in *" bad=0 errors=0") ;; *) echo "$framework /$route: $result" >&2; cat "$work/server.log" >&2; exit 1 ;; esac
      sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$result" >>"$work/$route.rps"
    done
  done
  bare=$(median <"$work/bare.rps"); docs=$(median <"$work/docs.rps"); helper=$(median <"$work/helper.rps")
  awk -v f="$framework" -v b="$bare" -v d="$docs" -v h="$helper" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.2fx | %.2fx |\n", f, b, d, h, h / b, h / d }'
  kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=
done
