#!/usr/bin/env bash
# Benchmarks (issue 7): on the artifacts make built (`make bench`), runs the Rust (criterion +
# memory soak), Python and Node benchmarks, prints one table with every target and its measured
# ratio (medians), and writes BENCHMARKS.md from that run. Not part of CI (slow, and noisy on a
# shared machine).
#   make bench                             # everything (about 10 minutes, installs its own deps)
#   make bench BENCH_PARTS="rust python"   # some parts (rust, python, node); the report covers them
# Environment: BENCH_MAX_LOAD (default 1.0) and BENCH_WAIT (seconds, default 300): before the
# measurements, wait up to BENCH_WAIT for the 1-minute load average to drop under BENCH_MAX_LOAD
# (then go on anyway; the report records the load). BENCH_QUICK=1: short rounds, for a smoke test.
# Work files go to target/bench/ (the venv, the node app, JSON results of the last run).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/bench
run=$work/run
parts=${*:-rust python node}
python=${PYTHON:-python3}
quick=()
[ "${BENCH_QUICK:-0}" = 1 ] && quick=(--quick)
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1 CI=true
mkdir -p "$work"
rm -rf "$run"
mkdir -p "$run"
has() { case " $parts " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
log() { echo "--- $*"; echo "$*" | grep -q '^\$ ' && echo "${*#\$ }" >>"$run/commands.txt" || true; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# ------------------------------------------------------------------ builds (before measuring)
# The artifacts come from make (scripts/artifacts.sh): bench/'s release programs, the wheel, the
# npm tarball; here they are only installed.
. scripts/artifacts.sh
if has rust; then
  log "build: criterion benches; the memory soak is bench/soak/rust's port-secret-soak (make bench-bins)"
  cargo bench -p port-secret-core --all-features --bench core --no-run --locked
  need PORT_SECRET_BENCH_BIN bench-bins
fi
if has python; then
  log "install: the Python wheel (make wheel) into a fresh venv with pyca and pycryptodome"
  need PORT_SECRET_WHEEL wheel
  venv=$work/venv
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q --no-index "$PORT_SECRET_WHEEL"
  "$venv/bin/python" -m pip install -q -r bench/python/requirements.txt
fi
if has node; then
  log "install: the npm tarball (make npm-tarball) into a fresh project"
  need PORT_SECRET_NPM_TARBALL npm-tarball
  rm -rf "$work/node"
  mkdir -p "$work/node/app"
  (cd "$work/node/app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$PORT_SECRET_NPM_TARBALL")
  cp bench/node/bench.mjs "$work/node/app/bench.mjs"
fi

# ------------------------------------------------------------------ machine, quiet enough?
max_load=${BENCH_MAX_LOAD:-1.0}
waited=0
while awk -v l="$(load1)" -v m="$max_load" 'BEGIN { exit !(l >= m) }' && [ "$waited" -lt "${BENCH_WAIT:-300}" ]; do
  [ "$waited" = 0 ] && echo "--- load average $(load1) >= $max_load: waiting up to ${BENCH_WAIT:-300}s for a quieter machine"
  sleep 10
  waited=$((waited + 10))
done
"$python" - "$run/machine.json" <<'EOF'
import json, os, platform, subprocess, sys, time
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo") if l.startswith("flags")), [])
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
json.dump({
    "cpu": cpu + (" (AES-NI, VAES, VPCLMULQDQ, AVX-512)" if {"vaes", "vpclmulqdq", "avx512f"} <= set(flags) else ""),
    "nproc": os.cpu_count(), "mem": f"{int(mem) // 1048576} GiB", "kernel": platform.release(),
    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rustc": rustc.replace("rustc ", ""),
    "load_start": open("/proc/loadavg").read().split()[0],
}, open(sys.argv[1], "w"))
EOF
echo "--- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(load1), $(date -u '+%F %H:%M UTC')"

# ------------------------------------------------------------------ measurements
if has rust; then
  log "\$ cargo bench -p port-secret-core --all-features --bench core -- --warm-up-time 0.5 --measurement-time 1.5"
  rm -rf target/criterion
  times=(--warm-up-time 0.5 --measurement-time 1.5)
  [ ${#quick[@]} -gt 0 ] && times=(--warm-up-time 0.2 --measurement-time 0.4)
  cargo bench -p port-secret-core --all-features --bench core --locked -- "${times[@]}" --noplot 2>&1 |
    awk '/time:/ { line = $0; sub(/^ +/, "", line); if ($1 == "time:") print prev "  " line; else print } { prev = $1 }'
  log "\$ target/release/port-secret-soak --decrypts 100000   # RSS before/after, 1 vs 2 threads"
  "$PORT_SECRET_BENCH_BIN/port-secret-soak" --decrypts 100000 >"$run/rust-soak.json"
fi
if has python; then
  log "\$ target/bench/venv/bin/python bench/python/bench.py --rounds 7 --json ...   # from an empty directory"
  outside=$(mktemp -d)
  (cd "$outside" && "$work/venv/bin/python" "$root/bench/python/bench.py" --rounds 7 "${quick[@]}" --json "$run/python.json")
  rmdir "$outside"
fi
if has node; then
  log "\$ node --expose-gc bench.mjs --rounds 7 --json ...   # in a project with the packed tarball installed"
  (cd "$work/node/app" && node --expose-gc bench.mjs --rounds 7 "${quick[@]}" --json "$run/node.json")
fi

# ------------------------------------------------------------------ report
"$python" - "$run/machine.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["load_end"] = open("/proc/loadavg").read().split()[0]
json.dump(m, open(sys.argv[1], "w"))
EOF
echo
"$python" bench/report.py "$run" --write BENCHMARKS.md
