#!/usr/bin/env bash
# The C ABI (crates/port-secret-ffi, include/port_secret.h):
#  1. the crate's Rust tests (status mapping, panic boundary, header version macros);
#  2. C programs written only from the header (crates/port-secret-ffi/tests/c/*.c), compiled
#     with gcc -Wall -Wextra -Werror -std=c11, linked against the shared library (rpath) and
#     the static library, over the shared tests/vectors/ (runs/ included: whole deliveries
#     through open_webhook / open_kafka_message, exact JSON text) and the API's own contract;
#  3. the same under valgrind (shared library; a subset of client-side vectors, see below) and
#     with -fsanitize=address,undefined (static library), each checker first shown to catch a
#     deliberate leak;
#  4. pkg-config (port_secret.pc) and examples/c/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=target/c-tests
# libport_secret.{so,a}: PORT_SECRET_LIB_DIR (`make lib`, cargo build --release -p port-secret-ffi).
. scripts/artifacts.sh
need PORT_SECRET_LIB_DIR lib
lib=$PORT_SECRET_LIB_DIR
CFLAGS=(-std=c11 -Wall -Wextra -Werror -g -Iinclude)
tests_dir=crates/port-secret-ffi/tests

# Tools: gcc is on the machine; the rest comes from apt when missing.
need=()
command -v valgrind >/dev/null || need+=(valgrind)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v make >/dev/null || need+=(make)
if [ ${#need[@]} -gt 0 ]; then
  echo "--- installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "--- cargo test -p port-secret-ffi"
cargo test --locked -p port-secret-ffi

echo "exported symbols: $(nm -D --defined-only "$lib/libport_secret.so" | grep -c ' port_secret_')"

rm -rf "$out"
mkdir -p "$out"
python3 "$tests_dir/vectors_to_tsv.py" tests/vectors "$out/vectors.tsv"

build() { # name source link-kind [extra flags...]
  local name=$1 src=$2 kind=$3
  shift 3
  if [ "$kind" = shared ]; then
    gcc "${CFLAGS[@]}" "$@" -o "$out/$name" "$src" -L"$lib" -lport_secret \
      -Wl,-rpath,"$lib" -lpthread
  else
    gcc "${CFLAGS[@]}" "$@" -o "$out/$name" "$src" "$lib/libport_secret.a" -lpthread -ldl -lm
  fi
}

echo "--- C tests, shared library"
build api "$tests_dir/c/api.c" shared
build vectors "$tests_dir/c/vectors.c" shared
ldd "$out/api" >"$out/api.ldd"
grep -q "$lib/libport_secret.so" "$out/api.ldd" || { echo "api is not linked to the .so"; exit 1; }
"$out/api"
"$out/vectors" "$out/vectors.tsv"

echo "--- C tests, static library"
build api-static "$tests_dir/c/api.c" static
build vectors-static "$tests_dir/c/vectors.c" static
ldd "$out/api-static" >"$out/api-static.ldd"
if grep -q libport_secret "$out/api-static.ldd"; then echo "api-static links the .so"; exit 1; fi
"$out/api-static"
"$out/vectors-static" "$out/vectors.tsv"

echo "--- valgrind (shared library)"
# aws-lc's RSA under valgrind is slow (the full vector set takes ~5 minutes): valgrind runs every
# aes256-gcm, fernet and signature vector, 60 of the client-side ones (evenly spread over all
# files and key sizes) and 2 threads on the shared decryptor; the full set runs above and under
# ASan below.
vg=(valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite)
under_valgrind() { # name program [args...]: run, print valgrind's summary, fail on any error
  local name=$1 status=0
  shift
  "${vg[@]}" "$@" 2>"$out/$name.valgrind" || status=$?
  grep -E "definitely lost|ERROR SUMMARY" "$out/$name.valgrind" | sed "s/^==[0-9]*==/valgrind $name:/"
  if [ "$status" -ne 0 ]; then cat "$out/$name.valgrind"; exit 1; fi
}
build leak-control "$tests_dir/c/leak_control.c" shared
if "${vg[@]}" "$out/leak-control" >/dev/null 2>"$out/leak-control.valgrind"; then
  echo "valgrind did not report the deliberate leak"; exit 1
fi
grep -q "definitely lost" "$out/leak-control.valgrind" || { echo "valgrind: no leak report"; exit 1; }
echo "valgrind: deliberate leak detected (control)"
under_valgrind api "$out/api"
under_valgrind vectors "$out/vectors" "$out/vectors.tsv" --cs-limit 60 --threads 2
echo "valgrind: no errors, no definite leaks"

echo "--- -fsanitize=address,undefined (static library)"
san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
build leak-control-asan "$tests_dir/c/leak_control.c" static "${san[@]}"
if ASAN_OPTIONS=detect_leaks=1 "$out/leak-control-asan" >/dev/null 2>"$out/leak-control.asan"; then
  echo "LeakSanitizer did not report the deliberate leak"; exit 1
fi
grep -q "LeakSanitizer: detected memory leaks" "$out/leak-control.asan" \
  || { echo "ASan: no leak report"; exit 1; }
echo "asan: deliberate leak detected (control)"
build api-asan "$tests_dir/c/api.c" static "${san[@]}"
build vectors-asan "$tests_dir/c/vectors.c" static "${san[@]}"
nm "$out/api-asan" >"$out/api-asan.nm"
grep -q __asan_init "$out/api-asan.nm" || { echo "ASan is not linked in"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$out/api-asan"
"$out/vectors-asan" "$out/vectors.tsv"
echo "asan+ubsan: no errors, no leaks"
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "--- pkg-config"
version=$(sed -n 's/^#define PORT_SECRET_VERSION_STRING "\(.*\)"$/\1/p' include/port_secret.h)
mkdir -p "$out/pkgconfig"
sed -e "s|@LIBDIR@|$lib|" -e "s|@INCLUDEDIR@|$root/include|" -e "s|@VERSION@|$version|" \
  crates/port-secret-ffi/port_secret.pc.in >"$out/pkgconfig/port_secret.pc"
export PKG_CONFIG_PATH="$root/$out/pkgconfig"
[ "$(pkg-config --modversion port_secret)" = "$version" ]
# shellcheck disable=SC2046 # word splitting of pkg-config output is intended
gcc -std=c11 -Wall -Wextra -Werror -o "$out/api-pkgconfig" "$tests_dir/c/api.c" \
  $(pkg-config --cflags --libs port_secret) -Wl,-rpath,"$(pkg-config --variable=libdir port_secret)"
"$out/api-pkgconfig"
unset PKG_CONFIG_PATH

echo "--- examples/c"
make -s -C examples/c clean
make -s -C examples/c LIBDIR="$lib"
python3 - "$out" <<'EOF'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
doc = json.loads(pathlib.Path("tests/vectors/aes256_gcm/aes256_gcm_node_test.json").read_text())
t = next(t for t in doc["tests"] if t["result"] == "valid" and t.get("plaintext"))
(out / "example.value").write_text("  " + t["value"] + "\n")
(out / "example.secret").write_text(t["clientSecret"])
(out / "example.expected").write_bytes(bytes.fromhex(t["plaintextHex"]))
EOF
for prog in decrypt decrypt-static; do
  PORT_CLIENT_SECRET=$(cat "$out/example.secret") "examples/c/$prog" aes256-gcm \
    <"$out/example.value" >"$out/example.got"
  cmp "$out/example.got" "$out/example.expected"
  status=0
  PORT_CLIENT_SECRET="wrong-client-secret-0123456789abcdefgh" "examples/c/$prog" aes256-gcm \
    <"$out/example.value" 2>"$out/example.err" || status=$?
  [ "$status" -eq 1 ] && grep -q "authentication_failed" "$out/example.err"
done
# open_webhook on the demo run, signed now with Python's hmac (as Port signs), then tampered.
python3 - "$out" <<'EOF'
import base64, hashlib, hmac, pathlib, sys, time
out = pathlib.Path(sys.argv[1])
secret = pathlib.Path("examples/demo/client_secret.txt").read_text().strip()
body = pathlib.Path("examples/demo/body.json").read_bytes()
ts = str(int(time.time()))
mac = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).digest()
(out / "demo.signature").write_text("v1," + base64.b64encode(mac).decode())
(out / "demo.timestamp").write_text(ts)
(out / "demo.tampered").write_bytes(body.replace(b"TRIGGERED", b"TRIGGERES"))
EOF
demo_secret=$(cat examples/demo/client_secret.txt)
PORT_CLIENT_SECRET=$demo_secret examples/c/open_webhook "$(cat "$out/demo.signature")" \
  "$(cat "$out/demo.timestamp")" examples/demo/private_key.pem <examples/demo/body.json \
  >"$out/demo.run.json"
python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))' \
  "$out/demo.run.json" examples/demo/expected.json
status=0
PORT_CLIENT_SECRET=$demo_secret examples/c/open_webhook "$(cat "$out/demo.signature")" \
  "$(cat "$out/demo.timestamp")" examples/demo/private_key.pem <"$out/demo.tampered" \
  2>"$out/demo.err" >/dev/null || status=$?
if [ "$status" -ne 1 ] || ! grep -q "invalid_signature" "$out/demo.err"; then
  echo "open_webhook did not refuse a tampered run"; exit 1
fi
echo "examples/c: decrypt, decrypt-static and open_webhook ok"
make -s -C examples/c clean

echo "--- soak, 5 s: threads sharing one decryptor, on the release library"
SOAK_SECONDS=5 SOAK_RSS_BOUND_MIB=8 bash scripts/soak.sh c

echo "c: all passed"
