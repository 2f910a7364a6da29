#!/usr/bin/env bash
# Mutation testing (issue 15, "Test strength, measured"): how many deliberately broken versions
# of the code the tests catch, per file.
#
#   bash scripts/mutants.sh                 # full run, by hand: every file of port-secret-core,
#                                           # port-secret-ffi, and the hand-written mutants of
#                                           # the C ABI's argument checks (about an hour on 2 cores)
#   bash scripts/mutants.sh signature.rs 'rsa_key/*.rs'   # only these core files (no FFI)
#   bash scripts/mutants.sh --ffi           # only the FFI (cargo-mutants + hand-written)
#   bash scripts/mutants.sh --ci            # the bounded part CI runs (scripts/test-mutants.sh)
#   bash scripts/mutants.sh --list          # list the mutants, run nothing
#
# Two kinds of mutants:
# - cargo-mutants (pinned below, installed with `cargo install --locked` when missing) over the
#   core with all features (both RSA backends compiled and tested) and over the FFI crate.
#   Mutants that cannot change behaviour are excluded in .cargo/mutants.toml, each with why.
# - cargo-mutants never mutates an `unsafe fn`, which is every function of
#   crates/port-secret-ffi/src/args.rs and every exported C function: the NULL, length and
#   UTF-8 checks there get the hand-written mutants listed in `hand_mutants` below, applied one at
#   a time and tested with `cargo test -p port-secret-ffi`.
#
# Everything runs on a private copy of the tree (target/mutants/tree, mutated in place there, so
# builds are incremental), never on the checkout itself. Builds share the workspace's target dir
# (the dependencies the normal tests built are reused); set CARGO_TARGET_DIR to keep them apart.
# Results: target/mutants/out/<part>/mutants.out (caught.txt, missed.txt, diffs and logs).
# Prints a caught/missed/unviable/timeout table per file (score: caught or timed out, over all
# that built); exits 1 if any mutant is missed, 2 on a setup error. A timeout is a mutant that
# made the tests hang: detected, and listed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CARGO_MUTANTS_VERSION=27.1.0
WORK=${MUTANTS_WORK:-$ROOT/target/mutants}
TREE=$WORK/tree
OUT=$WORK/out
TIMEOUT=${MUTANTS_TIMEOUT:-60}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

mode=full
list=0
core_files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) mode=ci ;;
    --ffi) mode=ffi ;;
    --list) list=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "unknown option $1" >&2
      exit 2
      ;;
    *) core_files+=("$1") ;;
  esac
  shift
done

run_ffi_cargo_mutants=1
run_hand=1
hand_filter=""
hand_tests="--lib --tests"
ci_args=()
case "$mode" in
  ci)
    # The bounded CI part: the webhook signature code, the size cap in front of every base64
    # decode, and the hand-written mutants of args.rs. Only the test targets that catch them
    # are built (a third of the link time of all of them).
    core_files=(signature.rs b64.rs)
    ci_args=(--no-config --re 'signature\.rs|b64\.rs:[0-9]+:[0-9]+: replace (<<|.*check_len)'
      --cargo-arg=--lib --cargo-arg=--test=api --cargo-arg=--test=runs
      --cargo-arg=--test=mutants_b64)
    run_ffi_cargo_mutants=0
    hand_filter="args.rs"
    hand_tests="--lib --test mutants_args"
    ;;
  ffi) core_files=() ;;
  full)
    if [ ${#core_files[@]} -gt 0 ]; then
      run_ffi_cargo_mutants=0
      run_hand=0
    else
      core_files=(ALL)
    fi
    ;;
esac

# --- cargo-mutants, pinned ---
# Where `cargo install` puts it (CARGO_INSTALL_ROOT, else CARGO_HOME), first on the PATH.
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"
have=$(cargo mutants --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$CARGO_MUTANTS_VERSION" ]; then
  echo "--- installing cargo-mutants $CARGO_MUTANTS_VERSION (found: ${have:-none})"
  start=$(date +%s)
  cargo install --locked cargo-mutants --version "$CARGO_MUTANTS_VERSION"
  echo "--- installed in $(($(date +%s) - start)) s"
fi

# --- a private copy of the tree ---
rm -rf "$TREE"
mkdir -p "$TREE" "$OUT"
# Extracted with fresh modification times (-m): the copy keeps the same path from run to run,
# so with the originals' older times cargo could take a previous run's last mutant build as
# up to date.
tar -C "$ROOT" --exclude=./target --exclude=./.git --exclude='*/node_modules' \
  --exclude=./fuzz/target -cf - . | tar -C "$TREE" -xmf -

# `core_args` holds `--all-features` and one `--file` per file asked for (none: every file).
core_args=()
if [ ${#core_files[@]} -gt 0 ]; then
  core_args=(--all-features)
  for f in "${core_files[@]}"; do
    [ "$f" = ALL ] || core_args+=(--file "crates/port-secret-core/src/$f")
  done
fi

if [ "$list" = 1 ]; then
  if [ ${#core_args[@]} -gt 0 ]; then
    cargo mutants --list -d "$TREE" -p port-secret-core "${core_args[@]}" "${ci_args[@]}"
  fi
  if [ "$run_ffi_cargo_mutants" = 1 ]; then
    cargo mutants --list -d "$TREE" -p port-secret-ffi
  fi
fi

# --- the hand-written mutants of the C ABI's argument checks ---
# One per line, fields separated by ` @@ `: file (under crates/port-secret-ffi/src), text that
# starts the function it is in, the exact text (first match after that), its replacement. Each mutant must be caught
# by `cargo test -p port-secret-ffi` (tests/mutants_args.rs was written for them).
hand_mutants() {
  cat <<'EOF'
args.rs @@ c_bytes @@ if p.is_null() { @@ if false {
args.rs @@ c_str @@ core::str::from_utf8(bytes).map_err(|_| INVALID) @@ Ok(core::str::from_utf8(bytes).unwrap_or_default())
args.rs @@ c_slice @@ if len == 0 { @@ if false {
args.rs @@ c_slice @@ if len == 0 { @@ if len != 0 {
args.rs @@ c_slice @@ p.is_null() || len > isize::MAX as usize @@ len > isize::MAX as usize
args.rs @@ c_slice @@ p.is_null() || len > isize::MAX as usize @@ p.is_null()
args.rs @@ c_optional_str @@ if p.is_null() { @@ if false {
args.rs @@ c_headers @@ if n == 0 { @@ if false {
args.rs @@ c_headers @@ if p.is_null() || n >  @@ if false || n > 
args.rs @@ c_headers @@ n > isize::MAX as usize / size_of::<PortSecretHeader>() @@ false
args.rs @@ c_headers @@ if let Ok(name) = core::str::from_utf8(name) { @@ { let name = core::str::from_utf8(name).map_err(|_| INVALID)?;
args.rs @@ c_str_array @@ if n == 0 { @@ if false {
args.rs @@ c_str_array @@ if p.is_null() || n >  @@ if false || n > 
args.rs @@ c_str_array @@ n > isize::MAX as usize / size_of::<*const c_char>() @@ false
args.rs @@ c_out @@ *out = PortSecretBuffer::EMPTY; @@ 
buffer.rs @@ fn release @@ if !self.data.is_null() { @@ if true {
decryptor.rs @@ fn decryptor< @@ .ok_or(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT) @@ .ok_or(PortSecretStatus::PORT_SECRET_INTERNAL)
decryptor.rs @@ fn port_secret_decryptor_new( @@ *out = ptr::null_mut(); @@ 
decryptor.rs @@ fn port_secret_decryptor_free @@ if !d.is_null() { @@ if true {
decryptor.rs @@ fn port_secret_decryptor_decrypt_properties @@ if out == error_input { @@ if false {
decryptor.rs @@ fn port_secret_decryptor_decrypt_properties @@ *slot = PortSecretBuffer::EMPTY; @@ 
run.rs @@ fn run_options @@ None => Ok(RunOptions::default()), @@ None => Err(PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT),
run.rs @@ fn open_run @@ if out_json == error_input { @@ if false {
EOF
}

run_hand_mutants() {
  local out=$OUT/ffi-hand
  rm -rf "$out"
  mkdir -p "$out"
  hand_mutants >"$out/mutants.txt"
  python3 - "$TREE" "$out" "$TIMEOUT" "$hand_filter" "$hand_tests" <<'PY'
import pathlib, subprocess, sys, time
tree, out, timeout, only = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
src = tree / "crates/port-secret-ffi/src"
cmd = ["cargo", "test", "-p", "port-secret-ffi"] + sys.argv[5].split()
rows = []
for n, line in enumerate((out / "mutants.txt").read_text().splitlines()):
    if not line.strip():
        continue
    file, func, old, new = line.split(" @@ ", 3)
    if only and file != only:
        continue
    name = f"{file}: {func}: `{old}` -> `{new or '(deleted)'}`"
    path = src / file
    original = path.read_text()
    anchor = original.find(func)
    at = original.find(old, anchor) if anchor >= 0 else -1
    if at < 0:
        rows.append((file, "not-applied", name))
        print(f"NOT FOUND {name}", flush=True)
        continue
    path.write_text(original[:at] + new + " /* ~ hand mutant ~ */ " + original[at + len(old):])
    start = time.time()
    log = out / f"hand-{n:02}.log"
    try:
        with open(log, "w") as f:
            f.write(name + "\n")
            f.flush()
            build = subprocess.run(cmd + ["--no-run"], cwd=tree, stdout=f, stderr=subprocess.STDOUT)
            if build.returncode != 0:
                outcome = "unviable"
            else:
                try:
                    test = subprocess.run(cmd, cwd=tree, stdout=f, stderr=subprocess.STDOUT, timeout=timeout)
                    outcome = "caught" if test.returncode != 0 else "missed"
                except subprocess.TimeoutExpired:
                    outcome = "timeout"
    finally:
        path.write_text(original)
    print(f"{outcome:8} {name} in {time.time() - start:.0f}s", flush=True)
    rows.append((file, outcome, name))
with open(out / "outcomes.tsv", "w") as f:
    for row in rows:
        f.write("\t".join(row) + "\n")
PY
}

# --- the runs ---
status=0
baseline=run
run_cargo_mutants() { # part package args...
  local part=$1 package=$2
  shift 2
  echo "--- cargo mutants: $part ($(date +%T))"
  local start rc=0
  start=$(date +%s)
  rm -rf "${OUT:?}/${part:?}"
  cargo mutants --in-place -d "$TREE" -p "$package" --no-shuffle --timeout "$TIMEOUT" \
    --baseline="$baseline" -o "$OUT/$part" "$@" || rc=$?
  echo "--- $part: exit $rc in $(($(date +%s) - start)) s"
  # 0: all caught; 2: some missed; 3: some timed out; anything else is a setup failure.
  case $rc in 0 | 2 | 3) ;; *) exit 2 ;; esac
  return 0
}

if [ "$list" = 0 ]; then
  if [ ${#core_args[@]} -gt 0 ]; then
    run_cargo_mutants core port-secret-core "${core_args[@]}" "${ci_args[@]}"
    # Wiping freed memory is invisible to safe Rust: the core's own tests cannot catch `wipe` or
    # a `Drop` that wipes turned into `()`. The FFI crate's tests/mutants_wipe.rs can (a global
    # allocator that inspects freed blocks), so those mutants are tested again with its tests.
    if grep -qE 'secret\.rs.*with \(\)' "$OUT/core/mutants.out/missed.txt" 2>/dev/null; then
      run_cargo_mutants core-wipe port-secret-core --all-features --file crates/port-secret-core/src/secret.rs \
        --re 'secret\.rs:.*replace (wipe|<impl Drop for [A-Za-z]+>::drop) with \(\)' \
        --test-package port-secret-core --test-package port-secret-ffi
    fi
    # With all features the public functions use AWS-LC, so the pure-Rust backend's public-key
    # and key-generation code is reached only with default features (where it is the default):
    # its mutants missed above are tested again that way.
    if grep -q 'rsa_key/rust_crypto\.rs' "$OUT/core/mutants.out/missed.txt" 2>/dev/null; then
      run_cargo_mutants core-default port-secret-core --file crates/port-secret-core/src/rsa_key/rust_crypto.rs
    fi
  fi
  if [ "$run_ffi_cargo_mutants" = 1 ]; then
    run_cargo_mutants ffi port-secret-ffi
  fi
  if [ "$run_hand" = 1 ]; then
    echo "--- hand-written mutants of the C ABI's argument checks ($(date +%T))"
    start=$(date +%s)
    run_hand_mutants
    echo "--- hand-written mutants: $(($(date +%s) - start)) s"
  fi

  # --- the table ---
  python3 - "$OUT" "$ROOT" <<'PY' || status=1
import json, pathlib, sys
out, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
# One outcome per mutant; a mutant tested in two parts (core, then core-wipe) counts as caught
# if either caught it.
rank = {"caught": 4, "timeout": 3, "missed": 2, "not-applied": 1, "unviable": 0}
outcome_of = {}
def add(file, outcome, name):
    key = (file, name)
    if key not in outcome_of or rank[outcome] > rank[outcome_of[key]]:
        outcome_of[key] = outcome
names = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable", "Timeout": "timeout"}
for part in ("core", "core-wipe", "core-default", "ffi"):
    path = out / part / "mutants.out" / "outcomes.json"
    if not path.exists():
        continue
    for o in json.loads(path.read_text())["outcomes"]:
        if o["scenario"] == "Baseline":
            continue
        m = o["scenario"]["Mutant"]
        add(m["file"], names.get(o["summary"], o["summary"]), m["name"])
hand = out / "ffi-hand" / "outcomes.tsv"
if hand.exists():
    for line in hand.read_text().splitlines():
        file, outcome, name = line.split("\t", 2)
        add(f"crates/port-secret-ffi/src/{file} (hand-written)", outcome, name)
counts, bad = {}, []
for (file, name), outcome in sorted(outcome_of.items()):
    c = counts.setdefault(file, {"caught": 0, "missed": 0, "unviable": 0, "timeout": 0})
    c[outcome] = c.get(outcome, 0) + 1
    if outcome in ("missed", "not-applied"):
        bad.append(f"{outcome.upper()}: {name}")
    elif outcome == "timeout":
        # The tests ran the mutant and never finished (pyjson.rs has one: a loop that no
        # longer ends). A hang fails a test run too, so it counts as detected; listed anyway.
        print(f"timeout (detected as a hang): {name}")
print(f"\n{'file':58} {'caught':>6} {'missed':>6} {'unviab':>6} {'timeout':>7}  score")
tot = {"caught": 0, "missed": 0, "unviable": 0, "timeout": 0}
for file in sorted(counts):
    c = counts[file]
    for k in tot:
        tot[k] += c.get(k, 0)
    viable = c["caught"] + c["missed"] + c["timeout"]
    score = f"{c['caught'] + c['timeout']}/{viable}" if viable else "-"
    print(f"{file:58} {c['caught']:6} {c['missed']:6} {c['unviable']:6} {c['timeout']:7}  {score}")
viable = tot["caught"] + tot["missed"] + tot["timeout"]
print(f"{'total':58} {tot['caught']:6} {tot['missed']:6} {tot['unviable']:6} {tot['timeout']:7}  {tot['caught'] + tot['timeout']}/{viable}")
for line in bad:
    print(line)
sys.exit(1 if bad else 0)
PY
fi
exit $status
