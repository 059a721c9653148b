#!/usr/bin/env bash
# Engine benchmark: starts the packaged control plane (embedded default) in a fresh folder, runs the
# scenarios of EngineBench.java and prints figures. Not a test: nothing here passes or fails on speed.
#   bench/run.sh [throughput-tasks] [backlog-tasks]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
THROUGHPUT_TASKS=${1:-10000}
BACKLOG_TASKS=${2:-100000}
PORT=${BENCH_PORT:-18080}
[ -f control-api/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
work=$(mktemp -d)
stop() {
  local p; p=$(cat "$work/pid" 2>/dev/null) || true
  if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; fi
  rm -rf "$work"
}
trap stop EXIT
app="$PWD/control-api/target/quarkus-app/quarkus-run.jar"
# the task rate limit is for users, not for a benchmark that submits thousands of tasks as one
(cd "$work" && QUARKUS_HTTP_PORT=$PORT QUARKUS_LOG_LEVEL=WARN RATE_LIMIT_TASKS_PER_MINUTE=0 exec "$JAVA" -Xmx512m -jar "$app" > "$work/app.log" 2>&1) &
echo $! > "$work/pid"
until curl -sf "http://localhost:$PORT/q/health/ready" > /dev/null; do sleep 0.5; done
pid=$(cat "$work/pid")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; JVM -Xmx512m; embedded PostgreSQL (fsync on)"
"$JAVA" bench/EngineBench.java "http://localhost:$PORT" latency 50
"$JAVA" bench/EngineBench.java "http://localhost:$PORT" throughput "$THROUGHPUT_TASKS"
if command -v wrk > /dev/null; then
  "$JAVA" bench/EngineBench.java "http://localhost:$PORT" throughput-wrk 20
else
  echo "throughput (wrk): skipped, wrk is not installed (Debian: apt-get install wrk)"
fi
"$JAVA" bench/EngineBench.java "http://localhost:$PORT" drain "$THROUGHPUT_TASKS"
"$JAVA" bench/EngineBench.java "http://localhost:$PORT" backlog "$BACKLOG_TASKS"
"$JAVA_HOME/bin/jcmd" "$pid" GC.run > /dev/null
echo "memory with the backlog queued: RSS $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$pid/status), heap used after GC: $("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info | awk '/garbage-first heap/ {for (i = 1; i < NF; i++) if ($i == "used") print $(i + 1)}')"
