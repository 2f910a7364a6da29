#!/usr/bin/env bash
# One input, one code, on every path: the whole shared corpus (tests/vectors/: aes256-gcm,
# client-side, fernet, signature, properties, runs; invalid and valid tests) through every entry
# point of every language, then one comparer that fails on any vector whose paths disagree with
# each other or with the code the vector expects (tests/crosspath/README.md).
#
# Languages: Rust (port-secret-core), Python (the built wheel, installed in a fresh venv), Node
# (the packed npm tarball, installed in a fresh project), C (libport_secret + the header), the
# CLI; then Go (go/, cgo) and Java (java/, JNA) when their toolchains are on the machine. Each
# runner reads the vector files itself.
#
# Artifacts are taken from the environment when set, else from make (scripts/artifacts.sh:
# `need`, which builds each one only when stale), else (no scripts/artifacts.sh) built here:
#   PORT_SECRET_WHEEL        the manylinux wheel (.whl)          make wheel        (maturin, pinned)
#   PORT_SECRET_NPM_TARBALL  the npm package (.tgz)              make npm-tarball  (npm pack)
#   PORT_SECRET_LIB_DIR      dir with libport_secret.so          make lib          (cargo --release)
#   PORT_SECRET_CLI          the port-secret binary              make cli
#   PORT_SECRET_TOOLS        bin dir with maturin (the fallback wheel build only)
#   LIBFAKETIME              libfaketime.so.1 (the CLI has no clock option: see cli_runner.py)
# The Rust runner (tests/crosspath/rust) is built here, in the shared target dir.
# Work files go to target/crosspath/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$(date +%s)
target=${CARGO_TARGET_DIR:-$root/target}
work=$root/target/crosspath
out=$work/out
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$work"
rm -rf "$out"
mkdir -p "$out"
PIN_MATURIN=1.16.0
PIN_ZIGLANG=0.17.1
# shellcheck source=/dev/null
[ -f scripts/pins.sh ] && . scripts/pins.sh
lap() { echo "    ($(($(date +%s) - $1)) s)"; }

# ------------------------------------------------------------------ tools
libfaketime=${LIBFAKETIME:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
if [ ! -f "$libfaketime" ]; then
  echo "--- installing faketime (the CLI's clock for the tests that carry \"now\")"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq faketime >/dev/null
fi
export LIBFAKETIME=$libfaketime

# ------------------------------------------------------------------ artifacts
if [ -f scripts/artifacts.sh ]; then
  # The project's artifacts, each in its one place: set by make, else built by make when stale.
  # shellcheck source=scripts/artifacts.sh
  . scripts/artifacts.sh
  need PORT_SECRET_WHEEL wheel
  need PORT_SECRET_NPM_TARBALL npm-tarball
  need PORT_SECRET_LIB_DIR lib
  need PORT_SECRET_CLI cli
fi
# Without scripts/artifacts.sh: built here, as the part scripts used to.
if [ -z "${PORT_SECRET_WHEEL:-}" ]; then
  echo "--- wheel: maturin build --release --zig --compatibility manylinux2014"
  tools_bin=${PORT_SECRET_TOOLS:-}
  if [ -z "$tools_bin" ]; then
    tools=$root/target/python/tools
    [ -x "$tools/bin/python" ] || "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install -q "maturin==$PIN_MATURIN" "ziglang==$PIN_ZIGLANG"
    tools_bin=$tools/bin
  fi
  rm -rf "$work/wheelhouse"
  (cd python && PATH="$tools_bin:$PATH" maturin build --release --locked --zig \
    --compatibility manylinux2014 --out "$work/wheelhouse")
  PORT_SECRET_WHEEL=$(ls "$work"/wheelhouse/port_secret-*-cp39-abi3-manylinux2014_x86_64*.whl)
fi
if [ -z "${PORT_SECRET_NPM_TARBALL:-}" ]; then
  echo "--- npm tarball: npm run build + npm pack"
  (cd node && CI=true npm install --no-audit --no-fund --loglevel=error && npm run build --silent)
  rm -rf "$work/npm"
  mkdir -p "$work/npm"
  PORT_SECRET_NPM_TARBALL=$work/npm/$(cd node && npm pack --silent --pack-destination "$work/npm")
fi
if [ -z "${PORT_SECRET_LIB_DIR:-}" ]; then
  echo "--- libport_secret: cargo build --release -p port-secret-ffi"
  cargo build --locked --release -p port-secret-ffi
  PORT_SECRET_LIB_DIR=$target/release
fi
if [ -z "${PORT_SECRET_CLI:-}" ]; then
  echo "--- port-secret: cargo build -p port-secret-cli"
  cargo build --locked -p port-secret-cli
  PORT_SECRET_CLI=$target/debug/port-secret
fi
for f in "$PORT_SECRET_WHEEL" "$PORT_SECRET_NPM_TARBALL" "$PORT_SECRET_LIB_DIR/libport_secret.so" "$PORT_SECRET_CLI"; do
  [ -f "$f" ] || { echo "missing artifact: $f" >&2; exit 1; }
done
echo "artifacts:"
for f in "$PORT_SECRET_WHEEL" "$PORT_SECRET_NPM_TARBALL" "$PORT_SECRET_LIB_DIR/libport_secret.so" "$PORT_SECRET_CLI"; do
  echo "    $(date -r "$f" '+%F %T')  $f"
done

# ------------------------------------------------------------------ runners
vectors=$root/tests/vectors

echo "--- rust: tests/crosspath/rust (port-secret-core, both RSA backends)"
t=$(date +%s)
# Its own workspace (see its Cargo.toml), on the project's lock file and target dir.
cp Cargo.lock tests/crosspath/rust/Cargo.lock
cargo build --quiet --offline --manifest-path tests/crosspath/rust/Cargo.toml --target-dir "$target" \
  || cargo build --quiet --manifest-path tests/crosspath/rust/Cargo.toml --target-dir "$target"
"$target/debug/port-secret-crosspath" "$vectors" "$out/rust.jsonl"
lap "$t"

# Python and Node run from a directory outside the checkout: the import can only be the
# installed package.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT

echo "--- python: $(basename "$PORT_SECRET_WHEEL") in a fresh venv"
t=$(date +%s)
venv=$work/venv
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-index "$PORT_SECRET_WHEEL"
cp tests/crosspath/python_runner.py "$outside/"
(cd "$outside" && "$venv/bin/python" python_runner.py "$vectors" "$out/python.jsonl")
lap "$t"

echo "--- node: $(basename "$PORT_SECRET_NPM_TARBALL") in a fresh project"
t=$(date +%s)
app=$outside/app
mkdir -p "$app"
(cd "$app" && npm init -y >/dev/null \
  && npm install --no-audit --no-fund --loglevel=error "$PORT_SECRET_NPM_TARBALL")
cp tests/crosspath/node_runner.mjs "$app/"
(cd "$app" && node node_runner.mjs "$vectors" "$out/node.jsonl")
lap "$t"

echo "--- c: libport_secret.so ($PORT_SECRET_LIB_DIR) with include/port_secret.h"
t=$(date +%s)
gcc -std=c11 -Wall -Wextra -Werror -O1 -Iinclude -o "$work/c_runner" tests/crosspath/c_runner.c \
  -L"$PORT_SECRET_LIB_DIR" -lport_secret -Wl,-rpath,"$PORT_SECRET_LIB_DIR" -lpthread -lm
"$work/c_runner" "$vectors" "$out/c.jsonl"
lap "$t"

echo "--- cli: $PORT_SECRET_CLI (decrypt, verify, decrypt-payload)"
t=$(date +%s)
"$python" tests/crosspath/cli_runner.py "$PORT_SECRET_CLI" "$vectors" "$out/cli.jsonl"
lap "$t"

# Go and Java: when their toolchains are here (CROSSPATH_GO=0 / CROSSPATH_JAVA=0 turn them off).
required=rust,python,node,c,cli
if [ "${CROSSPATH_GO:-1}" != 0 ] && command -v go >/dev/null; then
  echo "--- go: go/ over libport_secret.a ($PORT_SECRET_LIB_DIR)"
  t=$(date +%s)
  (cd tests/crosspath/go && CGO_ENABLED=1 CGO_LDFLAGS="$PORT_SECRET_LIB_DIR/libport_secret.a" \
    GOFLAGS=-mod=mod go build -tags portsecret_external -o "$work/go_runner" .)
  "$work/go_runner" "$vectors" "$out/go.jsonl"
  required=$required,go
  lap "$t"
fi
if [ "${CROSSPATH_JAVA:-1}" != 0 ] && command -v javac >/dev/null && command -v mvn >/dev/null; then
  echo "--- java: java/ (JNA) over libport_secret.so"
  t=$(date +%s)
  # JNA's jar from the local Maven repository (offline first; its log only when it fails).
  classpath=(mvn -B -q -Dstyle.color=never -f java/pom.xml dependency:build-classpath
    -Dmdep.outputFile="$work/java.cp")
  if ! "${classpath[@]}" -o >"$work/mvn.log" 2>&1 && ! "${classpath[@]}" >"$work/mvn.log" 2>&1; then
    cat "$work/mvn.log" >&2
    exit 1
  fi
  rm -rf "$work/java-classes"
  javac -nowarn -d "$work/java-classes" -cp "$(cat "$work/java.cp")" \
    java/src/main/java/io/github/portsecret/*.java tests/crosspath/java/CrossPath.java
  java -cp "$work/java-classes:$(cat "$work/java.cp")" \
    -Dport_secret.library.path="$PORT_SECRET_LIB_DIR/libport_secret.so" \
    CrossPath "$vectors" "$out/java.jsonl"
  required=$required,java
  lap "$t"
fi

echo "--- compare"
"$python" tests/crosspath/compare.py --vectors "$vectors" --require "$required" "$out"/*.jsonl
echo "crosspath: $(($(date +%s) - start)) s in all"
