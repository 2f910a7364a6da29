#!/usr/bin/env bash
# Soak: many threads share one Decryptor for a bounded time, in Rust, Python, Node and C, over a
# fixed mix of good and bad values (bench/soak/README.md); each fails on any wrong outcome or on
# resident memory growing by more than SOAK_RSS_BOUND_MIB after its warm-up. Ends with one
# summary line per language. `make soak` runs it on the artifacts (each built once).
#   bash scripts/soak.sh                 # rust python node c
#   bash scripts/soak.sh c python        # only some
# Environment: SOAK_SECONDS (60), SOAK_THREADS (8), SOAK_RSS_BOUND_MIB (16), and the artifacts
# (scripts/artifacts.sh: set by make, else asked of make):
#   rust    PORT_SECRET_BENCH_BIN/soak-threads (bench/soak/rust, `make bench-bins`)
#   python  SOAK_PYTHON, a python with the port_secret wheel installed; default: a venv under
#           target/soak/ with PORT_SECRET_WHEEL installed (`make wheel`)
#   node    SOAK_NODE_APP, a directory whose node_modules/port-secret is the installed npm
#           tarball; default: target/soak/node-app with PORT_SECRET_NPM_TARBALL (`make npm-tarball`)
#   c       PORT_SECRET_LIB_DIR/libport_secret.so (`make lib`)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SOAK_SECONDS=${SOAK_SECONDS:-60} SOAK_THREADS=${SOAK_THREADS:-8}
export SOAK_RSS_BOUND_MIB=${SOAK_RSS_BOUND_MIB:-16}
export PORT_SECRET_REPO=$root
. scripts/artifacts.sh
work=$root/target/soak
mkdir -p "$work"
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(rust python node c)
# A soak that hangs (a deadlock) must not hang CI: each run gets twice its time plus 2 minutes.
limit=$((SOAK_SECONDS * 2 + 120))

run() { # lang: runs one soak in its own bash (so that set -e holds), keeps its result line
  local lang=$1 status=0
  echo "--- soak $lang: $SOAK_THREADS threads, $SOAK_SECONDS s" \
    "(load average $(cut -d' ' -f1-3 /proc/loadavg))"
  bash "$root/scripts/soak.sh" --one "$lang" 2>&1 | tee "$work/$lang.out" || status=$?
  if grep -q '^soak-result ' "$work/$lang.out"; then
    grep '^soak-result ' "$work/$lang.out" | tail -1 >>"$results"
  else
    echo "soak-result lang=$lang result=FAIL(exit-$status)" >>"$results"
  fi
  [ "$status" -eq 0 ] || { echo "soak $lang: exit status $status"; exit_failures=$((exit_failures + 1)); }
}

soak_rust() {
  need PORT_SECRET_BENCH_BIN bench-bins
  # The program prints "before", "midway" and "after" VmRSS and panics on a wrong outcome; the
  # result line is made here from its output, with midway as the after-warm-up point.
  local status=0 out=$work/rust.raw
  timeout "$limit" "$PORT_SECRET_BENCH_BIN/soak-threads" "$SOAK_SECONDS" "$SOAK_THREADS" >"$out" 2>&1 || status=$?
  cat "$out"
  local ops wrong start warm end bound=$((SOAK_RSS_BOUND_MIB * 1024)) result=pass
  kib() { grep "$1" "$out" | sed -n 's/.*VmRSS: \([0-9]*\) kB.*/\1/p' | head -1; }
  start=$(kib 'before:') warm=$(kib 'midway:') end=$(kib 'after:')
  ops=$(sed -n 's/^soak: \([0-9]*\) operations, \([0-9]*\) with the wrong outcome.*/\1/p' "$out")
  wrong=$(sed -n 's/^soak: \([0-9]*\) operations, \([0-9]*\) with the wrong outcome.*/\2/p' "$out")
  if [ "$status" -ne 0 ] || [ -z "$ops" ] || [ -z "$warm" ] || [ -z "$end" ]; then
    echo "soak-result lang=rust result=FAIL(exit-$status)"
    return 1
  fi
  [ "$wrong" -eq 0 ] && [ $((end - warm)) -le "$bound" ] || result=FAIL
  echo "soak-result lang=rust threads=$SOAK_THREADS seconds=$SOAK_SECONDS ops=$ops" \
    "ops_per_s=$((ops / SOAK_SECONDS)) wrong=$wrong rss_start_kib=$start rss_warm_kib=$warm" \
    "rss_end_kib=$end rss_delta_kib=$((end - warm)) bound_kib=$bound result=$result"
  [ "$result" = pass ]
}

soak_python() {
  local python=${SOAK_PYTHON:-}
  if [ -z "$python" ]; then
    need PORT_SECRET_WHEEL wheel
    # A venv with the wheel, reinstalled only when the wheel changed.
    local venv=$work/venv
    [ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
    if [ ! -f "$venv/.wheel" ] || [ "$(cat "$venv/.wheel")" != "$(sha256sum <"$PORT_SECRET_WHEEL")" ]; then
      "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-index --force-reinstall \
        --no-deps "$PORT_SECRET_WHEEL"
      sha256sum <"$PORT_SECRET_WHEEL" >"$venv/.wheel"
    fi
    python=$venv/bin/python
  fi
  # From an empty directory, so that `import port_secret` can only be the installed package.
  local outside
  outside=$(mktemp -d)
  (cd "$outside" && PYTHONDONTWRITEBYTECODE=1 timeout "$limit" "$python" "$root/bench/soak/soak.py")
  rm -rf "$outside"
}

soak_node() {
  local app=${SOAK_NODE_APP:-}
  if [ -z "$app" ]; then
    need PORT_SECRET_NPM_TARBALL npm-tarball
    app=$work/node-app
    # Installed again only when the tarball changed.
    local stamp
    stamp=$(sha256sum <"$PORT_SECRET_NPM_TARBALL")
    if [ ! -f "$app/.stamp" ] || [ "$(cat "$app/.stamp")" != "$stamp" ]; then
      rm -rf "$app"
      mkdir -p "$app"
      (cd "$app" && npm init -y >/dev/null &&
        npm install --no-audit --no-fund --loglevel=error "$PORT_SECRET_NPM_TARBALL")
      echo "$stamp" >"$app/.stamp"
    fi
  fi
  test -f "$app/node_modules/port-secret/package.json"
  (cd "$app" && UV_THREADPOOL_SIZE=$SOAK_THREADS timeout "$limit" \
    node --expose-gc "$root/bench/soak/soak.mjs")
}

soak_c() {
  need PORT_SECRET_LIB_DIR lib
  local lib=$PORT_SECRET_LIB_DIR
  gcc -std=c11 -Wall -Wextra -Werror -O2 -g -D_POSIX_C_SOURCE=200809L -Iinclude \
    -o "$work/soak-c" bench/soak/soak.c -L"$lib" -lport_secret -Wl,-rpath,"$lib" -lpthread
  python3 bench/soak/cases.py "$root" >"$work/cases.tsv"
  timeout "$limit" "$work/soak-c" "$work/cases.tsv"
}

if [ "${1:-}" = --one ]; then
  "soak_$2"
  exit
fi
results=$work/results.$$
exit_failures=0
: >"$results"
trap 'rm -f "$results"' EXIT
for lang in "${langs[@]}"; do
  case $lang in
    rust | python | node | c) run "$lang" ;;
    *) echo "unknown soak: $lang (rust, python, node, c)" >&2; exit 2 ;;
  esac
done

echo "--- soak summary ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-8s %7s %7s %10s %8s %6s %12s %12s %12s %9s  %s\n' language threads seconds ops ops/s \
  wrong 'rss start' 'rss warm' 'rss end' delta result
while read -r line; do
  declare -A f=()
  for kv in $line; do
    [[ $kv == *=* ]] && f[${kv%%=*}]=${kv#*=}
  done
  printf '%-8s %7s %7s %10s %8s %6s %8s KiB %7s KiB %7s KiB %5s KiB  %s\n' "${f[lang]}" \
    "${f[threads]:--}" "${f[seconds]:--}" "${f[ops]:--}" "${f[ops_per_s]:--}" "${f[wrong]:--}" \
    "${f[rss_start_kib]:--}" "${f[rss_warm_kib]:--}" "${f[rss_end_kib]:--}" \
    "${f[rss_delta_kib]:--}" "${f[result]}"
  unset f
done <"$results"
# Pass or fail is each soak's exit status (the table above is its report).
[ "$exit_failures" -eq 0 ] || { echo "soak: $exit_failures failed"; exit 1; }
echo "soak: all passed"
