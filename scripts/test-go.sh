#!/usr/bin/env bash
# The Go module (go/) over the C ABI, and its example (examples/go/):
#   the static library (target/release/libport_secret.a, `make lib`), the header copy in go/ equal to include/,
#   go vet, gofmt, go test -race (shared vectors, middleware over HTTP, concurrency),
#   the cgo layer under AddressSanitizer + LeakSanitizer (go test -asan) and under
#   GOEXPERIMENT=cgocheck2 (every Go pointer handed to C checked), a build from outside the
#   repository (-tags portsecret_external), and the example app over real HTTP.
# Bounded: each step has a timeout; about 3 minutes after the Rust build on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }
tmp="$(mktemp -d)"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

step "static library (PORT_SECRET_LIB_DIR, make lib)"
. scripts/artifacts.sh
need PORT_SECRET_LIB_DIR lib
test -f "$PORT_SECRET_LIB_DIR/libport_secret.a"

step "go/port_secret.h is include/port_secret.h"
cmp include/port_secret.h go/port_secret.h || {
  echo "go/port_secret.h differs from include/port_secret.h: cp include/port_secret.h go/" >&2
  exit 1
}

go version
export CGO_ENABLED=1

step "gofmt, go vet"
unformatted="$(gofmt -l go examples/go)"
if [ -n "$unformatted" ]; then
  echo "gofmt -l: $unformatted" >&2
  exit 1
fi
(cd go && go vet ./...)
(cd examples/go && go vet ./...)

step "go test -race (vectors, middleware, concurrency)"
# go test exits non-zero on a failed test and on a data race (the race detector fails the test).
status=0
(cd go && timeout 300 go test -race -count=1 -v ./... >"$tmp/race.log" 2>&1) || status=$?
grep -E '^(ok|FAIL|---|PASS)|vectors_test.go:[0-9]+: ' "$tmp/race.log" || true
[ "$status" -eq 0 ] || { cat "$tmp/race.log" >&2; exit "$status"; }

step "AddressSanitizer + LeakSanitizer on the cgo layer (go test -asan)"
(cd go && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 timeout 300 go test -asan -count=1 ./...)

step "cgocheck2: every pointer passed to C checked"
(cd go && GOEXPERIMENT=cgocheck2 timeout 300 go test -count=1 ./...)

step "a program outside the repository (-tags portsecret_external, CGO_LDFLAGS)"
mkdir -p "$tmp/ext/app"
cp -r go "$tmp/ext/portsecret"
cat > "$tmp/ext/app/go.mod" <<EOF
module example.com/app

go 1.24

require github.com/port-secret/port-secret/go v0.0.0

replace github.com/port-secret/port-secret/go => ../portsecret
EOF
cat > "$tmp/ext/app/main.go" <<'EOF'
package main

import (
	"fmt"

	portsecret "github.com/port-secret/port-secret/go"
)

func main() { fmt.Println("port-secret", portsecret.Version()) }
EOF
(cd "$tmp/ext/app" && CGO_LDFLAGS="$PORT_SECRET_LIB_DIR/libport_secret.a" \
  timeout 300 go build -tags portsecret_external -o "$tmp/ext/app/app" . && "$tmp/ext/app/app")

step "examples/go: go test (its answer and DOWNSTREAM_URL), then over HTTP"
(cd examples/go && timeout 300 go test -count=1 ./...)
(cd examples/go && timeout 300 go build -o "$tmp/example" .)
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
secret="$(cat examples/demo/client_secret.txt)"
PORT_CLIENT_SECRET="$secret" PORT_PRIVATE_KEY_FILE=examples/demo/private_key.pem PORT="$port" \
  "$tmp/example" > "$tmp/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/healthz" > /dev/null

# Sign as Port does: "v1," + base64(HMAC-SHA256(whole secret, "<ts>.<raw body>")).
sign() { (printf '%s.' "$2"; cat "$1") | openssl dgst -sha256 -hmac "$secret" -binary | base64 -w0; }
post() { # body-file ts signature -> "status body"
  curl -s -o "$tmp/resp" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/port/actions" \
    -H 'content-type: application/json' -H "x-port-timestamp: $2" -H "x-port-signature: $3" \
    --data-binary @"$1"
}
passed=0
failed=0
expect() { # name want-status want-body-substring got-status
  cat "$tmp/resp" >> "$tmp/answers"
  if [ "$4" = "$2" ] && grep -q -- "$3" "$tmp/resp"; then
    passed=$((passed + 1)); echo "ok   $1: $4 $(cat "$tmp/resp")"
  else
    failed=$((failed + 1)); echo "FAIL $1: got $4 $(cat "$tmp/resp"), want $2 with $3"
  fi
}
body=examples/demo/body.json
ts="$(date +%s)"
expect "signed demo run" 200 '"db_connection":"object"' "$(post "$body" "$ts" "v1,$(sign "$body" "$ts")")"
grep -q '"vendor_api_key":"string"' "$tmp/resp" || { failed=$((failed + 1)); echo "FAIL: client-side input missing"; }
sed 's/quarterly rotation/quarterly rotatioN/' "$body" > "$tmp/tampered.json"
expect "tampered" 401 '"error":"invalid_signature"' "$(post "$tmp/tampered.json" "$ts" "v1,$(sign "$body" "$ts")")"
expect "unsigned" 401 '"error":"invalid_signature"' "$(post "$body" "$ts" "")"
old=$((ts - 400))
expect "stale" 401 '"error":"expired"' "$(post "$body" "$old" "v1,$(sign "$body" "$old")")"
printf 'not json' > "$tmp/notjson"
expect "not JSON" 400 '"error":"invalid_json"' "$(post "$tmp/notjson" "$ts" "v1,$(sign "$tmp/notjson" "$ts")")"

# Never a value: none of the demo plaintexts in any answer or in the log.
for plaintext in 'correct horse battery staple' 'sk_demo_4eC39HqLyjWDarjtT1zdp7dc' 'BEGIN CERTIFICATE' 'db.internal'; do
  if grep -q -- "$plaintext" "$tmp/app.log" "$tmp/answers"; then
    failed=$((failed + 1)); echo "FAIL: a secret value reached the log or an answer"
  fi
done
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
echo "example: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
