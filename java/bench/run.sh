#!/usr/bin/env bash
# Java benchmarks (never part of `mvn verify`): per call, one thread, a warmed loop (2 s warm-up,
# median of 5 rounds of ~1 s; see src/test/java/io/github/portsecret/bench/Bench.java):
#   1. port-secret through JNA next to javax.crypto (AES/GCM/NoPadding; RSA-OAEP-SHA-256 + AES-GCM),
#      on Java 17 and, when present, on Java 25;
#   2. the native-access choice: JNA direct mapping vs the FFM API on the same Java 25 JVM (bench/FfmVsJna.java).
# Writes java/BENCHMARKS.md. Needs the library built: cargo build --release -p port-secret-ffi
set -euo pipefail
cd "$(dirname "$0")/.."
lib=${CARGO_TARGET_DIR:-$PWD/../target}/release/libport_secret.so
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q test-compile -Dport_secret.lib.dir="$(dirname "$lib")"
mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench.cp)"
out=target/bench
mkdir -p "$out"

echo "--- Java $(java -version 2>&1 | head -1)"
java -cp "$cp" io.github.portsecret.bench.Bench ../examples/demo | tee "$out/java17.md"
if [ -x "$jdk25/bin/java" ]; then
  echo "--- Java 25: the same"
  "$jdk25/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" io.github.portsecret.bench.Bench \
    ../examples/demo | tee "$out/java25.md"
  echo "--- Java 25: JNA direct mapping vs FFM"
  "$jdk25/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" bench/FfmVsJna.java "$lib" \
    | tee "$out/ffm.md"
fi

{
  echo "# Java benchmarks"
  echo
  echo "Written by \`bash java/bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
  echo "one thread, per call: a warmed loop (2 s warm-up, median of 5 rounds of about 1 s; compared cases"
  echo "interleave their rounds so load changes hit both alike), not JMH. Other jobs may share the machine."
  echo "The value is base64 text in and the plaintext out (text: a \`String\`), as a backend receives it;"
  echo "the javax.crypto rows do the same work (base64 decode, key made once, \`Cipher\` reused)."
  echo
  echo "## Java 17 (the JNA binding)"
  echo
  cat "$out/java17.md"
  if [ -f "$out/java25.md" ]; then
    echo
    echo "## Java 25"
    echo
    cat "$out/java25.md"
    echo
    echo "## Native access: JNA direct mapping vs FFM (\`java.lang.foreign\`), Java 25"
    echo
    cat "$out/ffm.md"
  fi
} | grep -v "^(checksum" | sed "s/^ratio: /- ratio: /" > BENCHMARKS.md
echo "wrote java/BENCHMARKS.md"
