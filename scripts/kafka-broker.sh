#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM, no ZooKeeper)
# on 127.0.0.1, for adapter tests. Needs only a JDK 17+ and Maven: the broker's jars come
# from Maven Central (org.apache.kafka:kafka_2.13 and its dependencies) and are cached under
# target/kafka/<version>/lib, so only the first start downloads anything.
#
#   bash scripts/kafka-broker.sh resolve          # fetch + cache the jars only (CI warm-up)
#   bash scripts/kafka-broker.sh start DIR        # format DIR/data, start, wait until ready;
#                                                 # last stdout line: KAFKA_BOOTSTRAP=127.0.0.1:<port>
#                                                 # (also written to DIR/bootstrap)
#   bash scripts/kafka-broker.sh status DIR       # exit 0 when running
#   bash scripts/kafka-broker.sh stop DIR         # kill it (process group); safe to call twice
#
# DIR holds server.properties, data/, broker.log, broker.pid, bootstrap. Every start formats a
# fresh data/ (a test run never sees an earlier run's topics). Progress and timings go to
# stderr; stdout carries only the KAFKA_BOOTSTRAP= line.
#
# Environment (all optional):
#   KAFKA_VERSION         Kafka release from Maven Central (default PIN_KAFKA of scripts/pins.sh)
#   KAFKA_CACHE_DIR       jar cache (default <repo>/target/kafka)
#   KAFKA_M2_REPO         Maven local repository to resolve through (default: Maven's own,
#                         ~/.m2/repository, so other checkouts on the machine reuse it)
#   KAFKA_PORT            broker port (default: a free one); the controller gets another free one
#   KAFKA_START_TIMEOUT   seconds to wait for readiness (default 60)
#   KAFKA_HEAP_OPTS       default "-Xms128m -Xmx512m"
#   KAFKA_JVM_OPTS        extra JVM flags
#   JAVA                  java binary (default $JAVA_HOME/bin/java, else java); must be 17+
#   MVN                   mvn binary (default mvn)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/pins.sh"
version=${KAFKA_VERSION:-$PIN_KAFKA}
cache=${KAFKA_CACHE_DIR:-$root/target/kafka}
vdir=$cache/$version
lib=$vdir/lib
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
java=${java:-java}
mvn=${MVN:-mvn}
timeout=${KAFKA_START_TIMEOUT:-60}

log() { echo "kafka-broker: $*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }
secs() { local d=$(( $(now_ms) - $1 )); printf '%d.%03ds' $((d / 1000)) $((d % 1000)); }

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

check_java() {
  command -v "$java" >/dev/null 2>&1 || die "no java ($java); install a JDK 17+"
  local v
  v=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "$java is Java '$v'; Kafka $version needs 17+"
}

pom() {
  # The broker: kafka_2.13 (kafka.Kafka, kafka.tools.StorageTool) pulls kafka-server,
  # kafka-storage, kafka-raft, kafka-metadata, the coordinators, kafka-clients, scala-library,
  # jackson... Plus a log4j2 backend behind Kafka's SLF4J 1.7 API (the jars its own
  # distribution ships). kafka-tools (the CLI) is left out: it drags in Connect/Jetty/Jersey.
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>port-secret.test</groupId>
  <artifactId>kafka-broker-deps</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <properties>
    <kafka.version>$version</kafka.version>
    <log4j.version>2.24.3</log4j.version>
  </properties>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>\${kafka.version}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-server</artifactId><version>\${kafka.version}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-storage</artifactId><version>\${kafka.version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>\${log4j.version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>\${log4j.version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>\${log4j.version}</version></dependency>
  </dependencies>
</project>
EOF
}

# Resolve the broker's jars into $lib once; later calls are a no-op while the generated pom is
# unchanged. A lock keeps parallel starts (e.g. the Python and Node suites at once) from
# resolving into the same place.
cached() { [ -f "$vdir/.complete" ] && [ "$(pom)" = "$(cat "$vdir/pom.xml" 2>/dev/null)" ]; }
resolve() {
  cached && { log "jars cached: $lib ($(du -sh "$lib" | cut -f1))"; return 0; }
  command -v "$mvn" >/dev/null 2>&1 || die "no mvn; install Maven (apt-get install maven)"
  mkdir -p "$vdir"
  exec 9>"$vdir/.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  cached && { exec 9>&-; log "jars cached: $lib"; return 0; }
  local t0 work
  t0=$(now_ms)
  rm -f "$vdir/.complete"
  work=$(mktemp -d "$vdir/resolve.XXXXXX")
  pom >"$work/pom.xml"
  local -a repo=()
  [ -n "${KAFKA_M2_REPO:-}" ] && repo=("-Dmaven.repo.local=$KAFKA_M2_REPO")
  log "resolving org.apache.kafka:kafka_2.13:$version from Maven Central (first time only)..."
  if ! "$mvn" -B -q -f "$work/pom.xml" "${repo[@]}" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$work/lib" >"$work/resolve.log" 2>&1; then
    tail -n 40 "$work/resolve.log" >&2
    die "could not resolve Kafka $version (log: $work/resolve.log)"
  fi
  # Exactly one SLF4J backend: ours (log4j2). Drop any other binding that came along.
  rm -f "$work"/lib/slf4j-reload4j-*.jar "$work"/lib/slf4j-log4j12-*.jar "$work"/lib/logback-classic-*.jar
  rm -rf "$lib"
  mv "$work/lib" "$lib"
  mv "$work/pom.xml" "$vdir/pom.xml"
  rm -rf "$work"
  touch "$vdir/.complete"
  exec 9>&-
  log "resolved Kafka $version in $(secs "$t0"): $(ls "$lib" | wc -l) jars, $(du -sh "$lib" | cut -f1) in $lib"
}

# A free TCP port on 127.0.0.1 (bind to 0 and let the kernel pick).
free_ports() {
  if command -v python3 >/dev/null 2>&1 && python3 - "$1" 2>/dev/null <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
  then return 0; fi
  local out=() p
  while [ ${#out[@]} -lt "$1" ]; do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [[ " ${out[*]} " != *" $p "* ]]; then
      out+=("$p")
    fi
  done
  echo "${out[*]}"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() { # prints the pid when DIR's broker is alive
  local pid
  [ -f "$1/broker.pid" ] || return 1
  pid=$(cat "$1/broker.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fail_start() {
  log "error: $1"
  if [ -f "$dir/broker.log" ]; then
    log "---- tail of $dir/broker.log ----"
    tail -n 60 "$dir/broker.log" >&2
  fi
  stop >/dev/null 2>&1 || true
  exit 1
}

start() {
  local t_total pid port cport cluster_id t0 deadline
  t_total=$(now_ms)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if pid=$(running_pid "$dir"); then die "a broker already runs for $dir (pid $pid); stop it first"; fi
  check_java
  resolve

  read -r port cport <<<"$(free_ports 2)"
  port=${KAFKA_PORT:-$port}
  rm -rf "$dir/data" "$dir/bootstrap" "$dir/broker.pid"
  : >"$dir/broker.log"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.segment.bytes=16777216
log.retention.check.interval.ms=300000
EOF
  cat >"$dir/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRefs = out
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.controller.name = state.change.logger
logger.controller.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
# The ~300-line config dumps (broker, clients) would push the useful lines out of the
# failure tail; DIR/server.properties has the settings that differ from the defaults.
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
EOF

  local cp="$lib/*"
  local -a jvm=(${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$dir/log4j2.properties" "-Dkafka.logs.dir=$dir"
    ${KAFKA_JVM_OPTS:-})

  t0=$(now_ms)
  cluster_id=$(python3 -c 'import base64,uuid;print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))' 2>/dev/null) ||
    cluster_id=$("$java" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  # StorageTool is kafka.tools.StorageTool (in kafka_2.13) in 3.x and 4.x up to at least 4.4;
  # should a release move it, the org.apache.kafka.tools name is tried next.
  local storage_tool ok=
  for storage_tool in kafka.tools.StorageTool org.apache.kafka.tools.StorageTool; do
    if "$java" -Xmx256m -XX:TieredStopAtLevel=1 -cp "$cp" \
        "-Dlog4j2.configurationFile=$dir/log4j2.properties" \
        "$storage_tool" format -t "$cluster_id" -c "$dir/server.properties" \
        >>"$dir/broker.log" 2>&1; then
      ok=1; break
    fi
    grep -q "Could not find or load main class $storage_tool" "$dir/broker.log" || break
  done
  [ -n "$ok" ] || fail_start "storage format failed ($storage_tool)"
  log "formatted $dir/data (cluster $cluster_id) in $(secs "$t0")"

  t0=$(now_ms)
  # setsid: the broker gets its own session/process group (stop kills the whole group) and
  # outlives this script. Not a process-group leader here, so setsid execs and $! is java.
  setsid "$java" "${jvm[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$dir/broker.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/broker.pid"

  deadline=$(( $(date +%s) + timeout ))
  while :; do
    kill -0 "$pid" 2>/dev/null || fail_start "broker exited during start-up"
    if grep -q 'Kafka Server started' "$dir/broker.log" && port_open "$port"; then break; fi
    [ "$(date +%s)" -lt "$deadline" ] || fail_start "broker not ready after ${timeout}s"
    sleep 0.2
  done
  log "broker pid $pid ready on 127.0.0.1:$port in $(secs "$t0") (JVM start to ready); start total $(secs "$t_total")"
  echo "KAFKA_BOOTSTRAP=127.0.0.1:$port" >"$dir/bootstrap"
  echo "KAFKA_BOOTSTRAP=127.0.0.1:$port"
}

stop() {
  local pid i
  [ -d "$dir" ] || { log "nothing to stop ($dir does not exist)"; return 0; }
  dir=$(cd "$dir" && pwd)
  if ! pid=$(running_pid "$dir"); then
    rm -f "$dir/broker.pid"
    log "no broker running for $dir"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker $pid ignored SIGTERM for 10s; SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$dir/broker.pid"
  log "stopped broker $pid"
}

cmd=${1:-}
dir=${2:-}
case $cmd in
  resolve) resolve ;;
  start) [ -n "$dir" ] || usage; start ;;
  stop) [ -n "$dir" ] || usage; stop ;;
  status)
    [ -n "$dir" ] || usage
    if pid=$(running_pid "$dir"); then echo "running pid $pid $(cat "$dir/bootstrap" 2>/dev/null)"; else echo "not running"; exit 1; fi ;;
  *) usage ;;
esac
