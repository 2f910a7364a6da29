#!/usr/bin/env bash
# Soak: many threads share one Decryptor for a bounded time, in Rust, Python, Node and C, over a
# fixed mix of good and bad values (tests/soak/README.md); each fails on any wrong outcome or on
# resident memory growing by more than SOAK_RSS_BOUND_MIB after its warm-up. Ends with one
# summary line per language.
#   bash scripts/soak.sh                 # rust python node c
#   bash scripts/soak.sh c python        # only some
# Environment: SOAK_SECONDS (60), SOAK_THREADS (8), SOAK_RSS_BOUND_MIB (16), and where the
# artifacts are (reused as the test scripts leave them; built the same way when missing):
#   SOAK_PYTHON    a python with the port_secret wheel installed
#                  (default target/python/venv-wheel/bin/python, from scripts/test-python.sh)
#   SOAK_NODE_APP  a directory whose node_modules/port-secret is the installed npm tarball
#                  (default target/soak/node-app: node/ packed and installed there, with the
#                  addon built by `npm run build` as scripts/test-node.sh does if it is missing)
#   the C soak links target/release/libport_secret.so (CARGO_TARGET_DIR honoured), as
#   scripts/test-c.sh builds it; SOAK_RUST_PROFILE=release (default) or dev for the Rust example.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SOAK_SECONDS=${SOAK_SECONDS:-60} SOAK_THREADS=${SOAK_THREADS:-8}
export SOAK_RSS_BOUND_MIB=${SOAK_RSS_BOUND_MIB:-16}
export PORT_SECRET_REPO=$root
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
  [ "$status" -eq 0 ] || echo "soak $lang: exit status $status"
}

soak_rust() {
  local profile=${SOAK_RUST_PROFILE:-release} flags=(--locked -p port-secret-core --features aws-lc)
  if [ "$profile" = release ]; then flags+=(--release); fi
  cargo build -q "${flags[@]}" --example soak
  # The example prints "before", "midway" and "after" VmRSS and panics on a wrong outcome; the
  # result line is made here from its output, with midway as the after-warm-up point.
  local status=0 out=$work/rust.raw dir=${CARGO_TARGET_DIR:-$root/target}/debug
  if [ "$profile" = release ]; then dir=${CARGO_TARGET_DIR:-$root/target}/release; fi
  timeout "$limit" "$dir/examples/soak" "$SOAK_SECONDS" "$SOAK_THREADS" >"$out" 2>&1 || status=$?
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
  local python=${SOAK_PYTHON:-$root/target/python/venv-wheel/bin/python}
  if [ ! -x "$python" ]; then
    echo "--- no $python: building the wheel and its venv (bash scripts/test-python.sh --check)"
    bash scripts/test-python.sh --check
    python=$root/target/python/venv-wheel/bin/python
  fi
  # A venv without the package is most likely a test-python.sh run in progress: do not rebuild it
  # under that run's feet.
  "$python" -c 'import port_secret' ||
    { echo "soak python: $python cannot import port_secret (a test-python.sh running?)"; exit 1; }
  # From an empty directory, so that `import port_secret` can only be the installed package.
  local outside
  outside=$(mktemp -d)
  (cd "$outside" && PYTHONDONTWRITEBYTECODE=1 timeout "$limit" "$python" "$root/tests/soak/soak.py")
  rm -rf "$outside"
}

soak_node() {
  local app=${SOAK_NODE_APP:-}
  if [ -z "$app" ]; then
    app=$work/node-app
    if [ ! -f node/port-secret.linux-x64-gnu.node ]; then
      echo "--- no built addon: building it as scripts/test-node.sh does"
      (cd node && CI=true npm install --no-audit --no-fund --loglevel=error &&
        npm run build --silent)
    fi
    # Pack and install the tarball only when the addon or the package files changed.
    local stamp
    stamp=$(cd node && cat package.json ./*.js ./*.d.ts ./*.node | sha256sum | cut -c1-16)
    if [ ! -f "$app/.stamp" ] || [ "$(cat "$app/.stamp")" != "$stamp" ]; then
      rm -rf "$app"
      mkdir -p "$app"
      local tarball
      tarball=$(cd node && npm pack --silent --pack-destination "$app")
      (cd "$app" && npm init -y >/dev/null &&
        npm install --no-audit --no-fund --loglevel=error "./$tarball")
      echo "$stamp" >"$app/.stamp"
    fi
  fi
  test -f "$app/node_modules/port-secret/package.json"
  (cd "$app" && UV_THREADPOOL_SIZE=$SOAK_THREADS timeout "$limit" \
    node --expose-gc "$root/tests/soak/soak.mjs")
}

soak_c() {
  local lib=${CARGO_TARGET_DIR:-$root/target}/release
  if [ ! -f "$lib/libport_secret.so" ]; then
    echo "--- no $lib/libport_secret.so: cargo build --release -p port-secret-ffi"
    cargo build --locked --release -p port-secret-ffi
  fi
  gcc -std=c11 -Wall -Wextra -Werror -O2 -g -D_POSIX_C_SOURCE=200809L -Iinclude \
    -o "$work/soak-c" tests/soak/soak.c -L"$lib" -lport_secret -Wl,-rpath,"$lib" -lpthread
  python3 tests/soak/cases.py "$root" >"$work/cases.tsv"
  timeout "$limit" "$work/soak-c" "$work/cases.tsv"
}

if [ "${1:-}" = --one ]; then
  "soak_$2"
  exit
fi
results=$work/results.$$
: >"$results"
trap 'rm -f "$results"' EXIT
for lang in "${langs[@]}"; do
  case $lang in
    rust | python | node | c) run "$lang" ;;
    *) echo "unknown soak: $lang (rust, python, node, c)" >&2; exit 2 ;;
  esac
done

echo "--- soak summary ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
failed=0
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
  [ "${f[result]}" = pass ] || failed=$((failed + 1))
  unset f
done <"$results"
[ "$failed" -eq 0 ] || { echo "soak: $failed failed"; exit 1; }
echo "soak: all passed"
