#!/usr/bin/env bash
# Runs a real single-node Apache Kafka (KRaft, broker+controller in one JVM) without Docker.
# Jars come from Maven Central via ./pom.xml; everything else lives under $KAFKA_LOCAL_HOME.
# See ./README.md. Usage: kafka-local.sh [start|stop|status|restart|logs [-f]|reset|--help]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"
READY_SRC="$SCRIPT_DIR/Ready.java"

KAFKA_LOCAL_HOME="${KAFKA_LOCAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/dropship-oms/kafka-local}"
KAFKA_LOCAL_PORT="${KAFKA_LOCAL_PORT:-9092}"
KAFKA_LOCAL_CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
KAFKA_LOCAL_HEAP="${KAFKA_LOCAL_HEAP:--Xms256m -Xmx768m}"
KAFKA_LOCAL_START_TIMEOUT="${KAFKA_LOCAL_START_TIMEOUT:-90}"
KAFKA_LOCAL_LOG_LEVEL="${KAFKA_LOCAL_LOG_LEVEL:-WARN}"

HOST=127.0.0.1
LIB="$KAFKA_LOCAL_HOME/lib"
LIB_MARKER="$LIB/.kafka-local-resolved"
CONF="$KAFKA_LOCAL_HOME/conf"
DATA="$KAFKA_LOCAL_HOME/data"
LOGS="$KAFKA_LOCAL_HOME/logs"
PID_FILE="$KAFKA_LOCAL_HOME/kafka.pid"
SERVER_PROPS="$CONF/server.properties"
LOG4J_CONF="$CONF/log4j2.properties"
TOOLS_LOG4J_CONF="$CONF/tools-log4j2.properties"
FORMAT_MARKER="$DATA/.kafka-local-format"
BOOTSTRAP="$HOST:$KAFKA_LOCAL_PORT"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

log() { printf 'kafka-local: %s\n' "$*"; }
die() { printf 'kafka-local: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
Usage: $(basename "$0") [command]

Runs a single-node Apache Kafka 4.1 broker (KRaft) on $HOST without Docker.

Commands:
  start      (default) resolve jars if needed, format storage once, start, wait until ready
  stop       stop the broker (SIGTERM, SIGKILL after 30 s); safe when not running
  status     show whether the broker runs and answers (exit 0 ready, 1 not ready, 3 stopped)
  restart    stop, then start
  logs [-f]  print the last 200 lines of the server log (-f: follow)
  reset      stop and delete the data directory (topics, offsets, cluster id)
  --help     this text

Environment (current value):
  KAFKA_LOCAL_HOME             $KAFKA_LOCAL_HOME
  KAFKA_LOCAL_PORT             $KAFKA_LOCAL_PORT
  KAFKA_LOCAL_CONTROLLER_PORT  $KAFKA_LOCAL_CONTROLLER_PORT
  KAFKA_LOCAL_HEAP             $KAFKA_LOCAL_HEAP
  KAFKA_LOCAL_START_TIMEOUT    $KAFKA_LOCAL_START_TIMEOUT (seconds)
  KAFKA_LOCAL_LOG_LEVEL        $KAFKA_LOCAL_LOG_LEVEL (level of the kafka / org.apache.kafka loggers)
EOF
}

# ---------------------------------------------------------------------------------------------
# helpers

check_env() {
  [[ "$KAFKA_LOCAL_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_LOCAL_PORT must be a number"
  [[ "$KAFKA_LOCAL_CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_LOCAL_CONTROLLER_PORT must be a number"
  [[ "$KAFKA_LOCAL_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "KAFKA_LOCAL_START_TIMEOUT must be a number of seconds"
  [[ "$KAFKA_LOCAL_PORT" != "$KAFKA_LOCAL_CONTROLLER_PORT" ]] || die "broker and controller ports must differ"
}

need_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (Java 17+ is required; set JAVA_HOME)"
  local v
  v="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${v%%.*}" =~ ^[0-9]+$ && "${v%%.*}" -ge 17 ]] || die "Kafka 4.x needs Java 17+, found '${v:-unknown}' ($JAVA)"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

port_open() { # port -> 0 if something accepts TCP connections on $HOST:port
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c ": >/dev/tcp/$HOST/$1" 2>/dev/null
  else
    (: >"/dev/tcp/$HOST/$1") 2>/dev/null
  fi
}

# Is $1 the pid of a broker started by this script with this KAFKA_LOCAL_HOME?
is_our_broker() {
  local pid="$1" args
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  [[ "$args" == *kafka.Kafka* && "$args" == *"$SERVER_PROPS"* ]]
}

# Prints the pid of our running broker (from the pid file, else by scanning processes), or fails.
our_pid() {
  local pid=""
  if [[ -f "$PID_FILE" ]]; then
    pid="$(tr -dc '0-9' <"$PID_FILE" || true)"
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  fi
  # Pid file missing or stale: look for an orphaned broker using our server.properties.
  pid="$(ps -ww -eo pid=,args= 2>/dev/null |
    awk -v p="$SERVER_PROPS" 'index($0, "kafka.Kafka") && index($0, p) { print $1; exit }')"
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  return 1
}

lock() { # serialise start/stop/reset between concurrent invocations
  mkdir -p "$KAFKA_LOCAL_HOME"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$KAFKA_LOCAL_HOME/.lock"
  flock -w 300 9 || die "another kafka-local.sh holds $KAFKA_LOCAL_HOME/.lock"
}

lib_ok() {
  [[ -f "$LIB_MARKER" ]] && grep -qx "pom-sha256=$(sha256 "$POM")" "$LIB_MARKER" &&
    compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null
}

ensure_lib() {
  lib_ok && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found; Maven is needed once to fetch the Kafka jars"
  log "resolving Kafka jars with Maven into $LIB (first run or pom.xml changed)"
  local tmp="$KAFKA_LOCAL_HOME/lib.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$LOGS"
  if ! mvn -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$LOGS/maven.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$LOGS/maven.log" >&2
    die "Maven could not resolve $POM (full output: $LOGS/maven.log)"
  fi
  printf 'pom-sha256=%s\n' "$(sha256 "$POM")" >"$tmp/.kafka-local-resolved"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  rm -rf "$KAFKA_LOCAL_HOME/ready" # compiled probe depends on the jars
  log "resolved $(find "$LIB" -name '*.jar' | wc -l | tr -d ' ') jars"
}

# Java command line for the readiness probe. Compiles Ready.java once into a cache (faster
# than single-file source launch on every poll); falls back to source launch without javac.
ready_cmd() {
  local dir="$KAFKA_LOCAL_HOME/ready/$(sha256 "$READY_SRC")"
  local javac="javac"
  [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]] && javac="$JAVA_HOME/bin/javac"
  if [[ ! -f "$dir/Ready.class" ]] && command -v "$javac" >/dev/null 2>&1; then
    local tmp="$KAFKA_LOCAL_HOME/ready.tmp.$$"
    rm -rf "$tmp"; mkdir -p "$tmp"
    if "$javac" -nowarn -d "$tmp" -cp "$LIB/*" "$READY_SRC" >/dev/null 2>&1; then
      rm -rf "$KAFKA_LOCAL_HOME/ready" # drop builds of older Ready.java versions
      mkdir -p "$KAFKA_LOCAL_HOME/ready"
      mv "$tmp" "$dir"
    else
      rm -rf "$tmp"
    fi
  fi
  local common=(-Xms32m -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
    "-Dlog4j2.configurationFile=$TOOLS_LOG4J_CONF")
  if [[ -f "$dir/Ready.class" ]]; then
    READY=("$JAVA" "${common[@]}" -cp "$dir:$LIB/*" Ready)
  else
    READY=("$JAVA" "${common[@]}" -cp "$LIB/*" "$READY_SRC")
  fi
}

# ready [extra Ready args...] -> prints the probe line; exit code from Ready.java
ready() {
  [[ -n "${READY+x}" ]] || ready_cmd
  "${READY[@]}" "$BOOTSTRAP" "$@"
}

meta_cluster_id() {
  [[ -f "$DATA/meta.properties" ]] && sed -n 's/^cluster.id=//p' "$DATA/meta.properties"
}

write_tools_log4j() {
  mkdir -p "$CONF"
  cat >"$TOOLS_LOG4J_CONF" <<'EOF'
# Generated by kafka-local.sh: logging for the short-lived StorageTool / Ready.java JVMs.
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.err.ref = STDERR
# The admin client logs connection failures while the broker boots; Ready.java reports itself.
logger.clients.name = org.apache.kafka.clients
logger.clients.level = OFF
EOF
}

write_config() {
  mkdir -p "$CONF" "$DATA" "$LOGS"
  cat >"$SERVER_PROPS" <<EOF
# Generated by kafka-local.sh on every start; edit the script, not this file.
# Single-node KRaft: this JVM is broker and controller. Development only.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$KAFKA_LOCAL_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_LOCAL_PORT,CONTROLLER://$HOST:$KAFKA_LOCAL_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_LOCAL_PORT,CONTROLLER://$HOST:$KAFKA_LOCAL_CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=3
default.replication.factor=1
# Convenience for local development only. Production turns this off and every topic is
# created explicitly (clients also set allowAutoTopicCreation=false there).
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Keep the local disk footprint small.
log.retention.hours=24
log.segment.bytes=67108864
log.retention.check.interval.ms=300000
EOF

  cat >"$LOG4J_CONF" <<EOF
# Generated by kafka-local.sh. Broker log: \${sys:kafka.logs.dir}/server.log
status = warn
name = kafka-local
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.filePattern = \${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
# Kafka is chatty at INFO; KAFKA_LOCAL_LOG_LEVEL (default WARN) sets its level.
logger.kafka.name = kafka
logger.kafka.level = $KAFKA_LOCAL_LOG_LEVEL
logger.apache.name = org.apache.kafka
logger.apache.level = $KAFKA_LOCAL_LOG_LEVEL
logger.statechange.name = state.change.logger
logger.statechange.level = $KAFKA_LOCAL_LOG_LEVEL
# ...but keep the lifecycle lines (version, "Kafka Server started").
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = INFO
logger.appinfo.name = org.apache.kafka.common.utils.AppInfoParser
logger.appinfo.level = INFO
EOF
  write_tools_log4j
}

format_storage() {
  if [[ -f "$DATA/meta.properties" ]]; then
    if [[ -f "$FORMAT_MARKER" ]] &&
      ! grep -qx "controller.port=$KAFKA_LOCAL_CONTROLLER_PORT" "$FORMAT_MARKER"; then
      die "the data in $DATA was formatted with another controller port ($(sed -n 's/^controller.port=//p' "$FORMAT_MARKER")); run '$0 reset' or use that port"
    fi
    return 0
  fi
  local id
  id="$("$JAVA" "-Dlog4j2.configurationFile=$TOOLS_LOG4J_CONF" -cp "$LIB/*" kafka.tools.StorageTool random-uuid)"
  log "formatting $DATA (cluster id $id)"
  "$JAVA" "-Dlog4j2.configurationFile=$TOOLS_LOG4J_CONF" -cp "$LIB/*" \
    kafka.tools.StorageTool format --standalone -t "$id" -c "$SERVER_PROPS" >/dev/null ||
    die "formatting $DATA failed"
  printf 'controller.port=%s\n' "$KAFKA_LOCAL_CONTROLLER_PORT" >"$FORMAT_MARKER"
}

LOG_MARK=0 # server.log line count before this start, so only this run's lines are shown
print_tail() {
  if [[ -s "$LOGS/kafka.out" ]]; then
    echo "----- tail of $LOGS/kafka.out -----" >&2
    tail -n 20 "$LOGS/kafka.out" >&2
  fi
  local lines=""
  [[ -s "$LOGS/server.log" ]] && lines="$(tail -n "+$((LOG_MARK + 1))" "$LOGS/server.log" | tail -n 40)"
  if [[ -n "$lines" ]]; then
    echo "----- tail of $LOGS/server.log (this start) -----" >&2
    printf '%s\n' "$lines" >&2
  fi
}

done_line() {
  log "ready: $1"
  echo "KAFKA_BROKERS=$BOOTSTRAP"
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_start() {
  local started=$SECONDS pid line
  lock
  need_java

  if pid="$(our_pid)"; then
    [[ -f "$LIB_MARKER" ]] || ensure_lib
    lib_ok || log "warning: pom.xml changed since this broker started; run '$0 restart' to apply"
    [[ "$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)" == "$pid" ]] || echo "$pid" >"$PID_FILE"
    local running_port
    running_port="$(sed -n 's|^listeners=PLAINTEXT://[^,]*:\([0-9]*\),.*|\1|p' "$SERVER_PROPS" 2>/dev/null || true)"
    if [[ -n "$running_port" && "$running_port" != "$KAFKA_LOCAL_PORT" ]]; then
      die "already running (pid $pid) on port $running_port, not $KAFKA_LOCAL_PORT; use '$0 restart' to switch"
    fi
    if line="$(ready 2>/dev/null)"; then
      log "already running (pid $pid)"
      done_line "$line"
      return 0
    fi
    log "broker process $pid is running but not answering yet; waiting up to ${KAFKA_LOCAL_START_TIMEOUT}s"
    wait_ready "$pid" "$started"
    return 0
  fi
  if [[ -f "$PID_FILE" ]]; then
    log "removing stale pid file (pid $(tr -dc '0-9' <"$PID_FILE" || true) is not our broker)"
    rm -f "$PID_FILE"
  fi

  ensure_lib
  write_tools_log4j

  if port_open "$KAFKA_LOCAL_PORT"; then
    if line="$(ready 2>/dev/null)"; then
      log "port $KAFKA_LOCAL_PORT is served by a Kafka broker not started by this script ($line); using it"
      echo "KAFKA_BROKERS=$BOOTSTRAP"
      return 0
    fi
    die "port $HOST:$KAFKA_LOCAL_PORT is in use by something that is not a Kafka broker (set KAFKA_LOCAL_PORT)"
  fi
  port_open "$KAFKA_LOCAL_CONTROLLER_PORT" &&
    die "controller port $HOST:$KAFKA_LOCAL_CONTROLLER_PORT is in use (set KAFKA_LOCAL_CONTROLLER_PORT)"

  write_config
  format_storage

  [[ -f "$LOGS/server.log" ]] && LOG_MARK="$(wc -l <"$LOGS/server.log" | tr -d ' ')"
  log "starting Kafka on $BOOTSTRAP (controller $HOST:$KAFKA_LOCAL_CONTROLLER_PORT, data $DATA)"
  # shellcheck disable=SC2206 # KAFKA_LOCAL_HEAP is a list of JVM flags
  local heap=($KAFKA_LOCAL_HEAP)
  local jvm=("${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$LOG4J_CONF" "-Dkafka.logs.dir=$LOGS")
  # setsid: own session, so Ctrl-C on this script or the end of a CI step does not reach it.
  # 9>&- : do not hand the lock to the broker.
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  ${launcher[@]+"${launcher[@]}"} nohup "$JAVA" "${jvm[@]}" -cp "$LIB/*" kafka.Kafka "$SERVER_PROPS" \
    </dev/null >"$LOGS/kafka.out" 2>&1 9>&- &
  pid=$!
  # setsid forks when called as a process-group leader; then find the real JVM.
  if ! is_our_broker "$pid"; then
    sleep 1
    pid="$(our_pid)" || { print_tail; die "the broker exited immediately"; }
  fi
  echo "$pid" >"$PID_FILE"
  log "pid $pid; waiting up to ${KAFKA_LOCAL_START_TIMEOUT}s for an admin call to succeed"
  wait_ready "$pid" "$started"
}

wait_ready() { # pid started-at-SECONDS
  local pid="$1" started="$2" line rc=0
  line="$(ready --wait "$KAFKA_LOCAL_START_TIMEOUT" --pid "$pid" 2>"$KAFKA_LOCAL_HOME/ready.err")" || rc=$?
  case "$rc" in
    0) log "started in $((SECONDS - started))s"; done_line "$line" ;;
    3) rm -f "$PID_FILE"; print_tail; die "the broker process exited during startup" ;;
    *) print_tail; cat "$KAFKA_LOCAL_HOME/ready.err" >&2 || true
       die "the broker did not answer within ${KAFKA_LOCAL_START_TIMEOUT}s (still running as pid $pid; '$0 stop' to stop it)" ;;
  esac
}

cmd_stop() {
  lock
  local pid
  if ! pid="$(our_pid)"; then
    [[ -f "$PID_FILE" ]] && { log "removing stale pid file"; rm -f "$PID_FILE"; }
    log "not running"
    return 0
  fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid line
  if pid="$(our_pid)"; then
    if [[ -f "$LIB_MARKER" ]] && line="$(ready 2>/dev/null)"; then
      log "running (pid $pid) and ready: $line"
      echo "KAFKA_BROKERS=$BOOTSTRAP"
      return 0
    fi
    log "running (pid $pid) but not answering on $BOOTSTRAP"
    return 1
  fi
  if port_open "$KAFKA_LOCAL_PORT" && [[ -f "$LIB_MARKER" ]] && line="$(ready 2>/dev/null)"; then
    log "not started by this script, but a Kafka broker answers on $BOOTSTRAP: $line"
    echo "KAFKA_BROKERS=$BOOTSTRAP"
    return 0
  fi
  log "not running"
  [[ -f "$PID_FILE" ]] && log "(stale pid file $PID_FILE)"
  return 3
}

cmd_logs() {
  [[ -f "$LOGS/server.log" ]] || die "no log yet at $LOGS/server.log"
  if [[ "${1:-}" == "-f" ]]; then
    exec tail -n 200 -F "$LOGS/server.log"
  fi
  tail -n 200 "$LOGS/server.log"
}

cmd_reset() {
  cmd_stop
  # Only ever delete the data folder inside KAFKA_LOCAL_HOME.
  [[ -n "$KAFKA_LOCAL_HOME" && "$DATA" == "$KAFKA_LOCAL_HOME/data" ]] || die "refusing to delete $DATA"
  if [[ -d "$DATA" ]]; then
    rm -rf "$DATA"
    log "deleted $DATA (jars in $LIB kept)"
  else
    log "no data directory to delete"
  fi
}

main() {
  check_env
  local cmd="${1:-start}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    restart) cmd_stop; cmd_start ;;
    logs) cmd_logs "$@" ;;
    reset) cmd_reset ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
