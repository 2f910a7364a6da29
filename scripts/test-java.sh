#!/usr/bin/env bash
# Java (java/, io.github.portsecret:port-secret) on the C ABI, through JNA:
#  1. the shared library (PORT_SECRET_LIB_DIR, `make lib`), copied into the
#     jar's resources by Maven at build time (io/github/portsecret/native/<platform>/, never
#     committed);
#  2. `mvn -B -q verify` in java/: JUnit 5 over every shared vector (aes256_gcm, client_side,
#     fernet, signature, properties, runs), the API, many threads on one Decryptor, and
#     PortWebhookFilter over real HTTP (embedded Jetty 12);
#  3. the packaged jar alone (no target/classes): loads its own native library from inside the
#     jar in a fresh JVM; without one for this platform, the error names the platform;
#  4. examples/java started as its README says (`mvn -q compile exec:java`), sent the demo run
#     signed now as Port signs it (Python's hmac) -> 200 with no value in the answer or the log,
#     and the same run tampered -> 401.
# Maven resolves into ~/.m2 (the default); after the first run it works offline.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/artifacts.sh
need PORT_SECRET_LIB_DIR lib
lib=$PORT_SECRET_LIB_DIR
out=$root/target/java-tests
mkdir -p "$out"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86-64 ;;
  Linux-aarch64) platform=linux-aarch64 ;;
  *) echo "scripts/test-java.sh: only Linux x86-64 and aarch64 are set up here"; exit 1 ;;
esac

command -v mvn >/dev/null && command -v java >/dev/null || {
  echo "--- installing a JDK and Maven"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
}

start=$(date +%s)

echo "--- mvn verify (java/)"
(cd java && mvn -B -q -Dstyle.color=never verify -Dport_secret.lib.dir="$lib")
python3 - java/target/surefire-reports <<'PY'
import pathlib, re, sys
tests = failures = errors = skipped = 0
for f in sorted(pathlib.Path(sys.argv[1]).glob("TEST-*.xml")):
    head = f.read_text(encoding="utf-8")[:2000]
    m = {k: int(re.search(rf'\b{k}="(\d+)"', head).group(1)) for k in ("tests", "failures", "errors", "skipped")}
    name = re.search(r'name="([^"]+)"', head).group(1)
    print(f"  {name}: {m['tests']} tests")
    tests += m["tests"]; failures += m["failures"]; errors += m["errors"]; skipped += m["skipped"]
print(f"java: {tests - failures - errors - skipped} passed, {failures + errors} failed, {skipped} skipped")
sys.exit(0 if tests > 0 and failures + errors == 0 else 1)
PY

echo "--- the jar alone, in a fresh JVM"
jar=java/target/port-secret-0.1.0.jar
jar tf "$jar" | grep -qx "io/github/portsecret/native/$platform/libport_secret.so" \
  || { echo "the jar has no native library"; exit 1; }
(cd java && mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$out/runtime.cp" >/dev/null)
cat >"$out/JarCheck.java" <<'JAVA'
import io.github.portsecret.*;
public class JarCheck {
  public static void main(String[] a) {
    String secret = "0123456789abcdef0123456789abcdef";
    String v = PortSecret.encryptAes256Gcm("jar ok", secret);
    System.out.println(PortSecret.version() + " " + PortSecret.platform() + " "
        + PortSecret.decryptAes256Gcm(v, secret));
  }
}
JAVA
cp_jar="$root/$jar:$(cat "$out/runtime.cp")"
tmp=$(mktemp -d)
got=$(cd "$tmp" && java -Djava.io.tmpdir="$tmp" -cp "$cp_jar" "$out/JarCheck.java")
[ "$got" = "0.1.0 $platform jar ok" ] || { echo "jar check: $got"; exit 1; }
# The library was extracted into a private directory and removed once loaded.
if ls "$tmp"/port-secret-* >/dev/null 2>&1; then echo "extracted library left behind"; exit 1; fi
rmdir "$tmp"
echo "jar: loads its native library from inside the jar ($got)"
# A jar without this platform's library (the same jar, its native/ directory left out): a clear
# error naming the platform, not a bare UnsatisfiedLinkError from deep inside JNA.
rm -rf "$out/nolib" && mkdir -p "$out/nolib" && (cd "$out/nolib" && jar xf "$root/$jar" \
  && rm -r io/github/portsecret/native)
status=0
(cd "$out" && java -cp "$out/nolib:$(cat "$out/runtime.cp")" JarCheck.java) >/dev/null \
  2>"$out/nolib.err" || status=$?
if [ "$status" -eq 0 ] || ! grep -q "no native library for platform $platform" "$out/nolib.err"; then
  cat "$out/nolib.err"; echo "no clear error for a platform without a library"; exit 1
fi
echo "jar: without a library for this platform: $(grep -m1 -o 'port-secret: this jar has no native library for platform [a-z0-9-]*' "$out/nolib.err")"

echo "--- examples/java over real HTTP"
(cd java && mvn -B -q -Dstyle.color=never install -DskipTests -Dport_secret.lib.dir="$lib")
(cd examples/java && mvn -B -q -Dstyle.color=never compile)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd examples/java && PORT_CLIENT_SECRET="$(cat ../demo/client_secret.txt)" \
  PORT_PRIVATE_KEY_FILE=../demo/private_key.pem PORT=$port exec mvn -q -Dstyle.color=never compile exec:java) \
  >"$out/example.log" 2>&1 &
app=$!
cleanup() { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$app" 2>/dev/null || { cat "$out/example.log"; echo "example exited"; exit 1; }
  sleep 0.5
done
python3 - "$port" "$out/example.log" <<'PY'
import base64, hashlib, hmac, json, pathlib, sys, time, urllib.error, urllib.request
port, log = sys.argv[1], pathlib.Path(sys.argv[2])
demo = pathlib.Path("examples/demo")
secret = (demo / "client_secret.txt").read_text().strip()
body = (demo / "body.json").read_bytes()

def post(data, ts):
    mac = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).digest()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/port/actions", data=data, method="POST",
        headers={"content-type": "application/json", "x-port-timestamp": ts,
                 "x-port-signature": "v1," + base64.b64encode(mac).decode()})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

ts = str(int(time.time()))
status, answer = post(body, ts)
assert status == 200, (status, answer)
got = json.loads(answer)
assert got["ok"] is True and got["runId"] == "r_DEMO0001", got
assert got["secretInputs"] == ["db_password", "db_connection", "tls_certificate", "vendor_api_key"], got
# No decrypted value (nor any string of an object input) in the answer or the log.
expected = json.loads((demo / "expected.json").read_text())
props = expected["payload"]["properties"]
values = []
for name in got["secretInputs"]:
    v = props[name]
    values += [v] if isinstance(v, str) else [x for x in v.values() if isinstance(x, str)]
values = [v for v in values if len(v) >= 4]
assert values, "no values to look for"
text = answer + log.read_text()
for v in values:
    for part in [v] + [line for line in v.splitlines() if len(line) >= 8]:
        assert part not in text, "a decrypted value leaked"
status, answer = post(body.replace(b"TRIGGERED", b"TRIGGERES"), ts)
assert status == 401 and json.loads(answer) == {"error": "invalid_signature"}, (status, answer)
print(f"examples/java: signed demo run 200 ({len(values)} values absent from answer and log), tampered 401")
PY
cleanup
trap - EXIT
echo "java: all passed in $(( $(date +%s) - start )) s"
