#!/usr/bin/env bash
# The benchmark of issue 11 in one command (docs/benchmarks.md): on ONE PostgreSQL server, in one run, the machine's
# single-row commit ceiling (pgbench), the engine's scenarios against the packaged control plane and a JobRunr OSS
# 8.7.0 peer doing the same work, each side in a database of its own. Prints a table with ours / JobRunr and writes
# the same figures to target/bench/results.json. Not a test: nothing here passes or fails on speed (only on a task
# that did not succeed or a broken per-key order).
#
#   bench/run.sh                       full sizes (N=20000, E=1000,10000, 30 s read phases, 100,000 queued)
#   BENCH_N=2000 BENCH_ENTITIES=1000 BENCH_READ_SECONDS=5 BENCH_FOOTPRINT_TASKS=5000 bench/run.sh   a smoke run
#
# BENCH_PG: the server, a jdbc:postgresql:// URL of any database on it (default the machine's PostgreSQL,
# jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres); the harness creates and drops its own databases
# bench_ours, bench_ours_footprint, bench_jobrunr and bench_pgbench there. Sizes: see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh
use_jdk
export BENCH_PG=${BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
hostport=${BENCH_PG#jdbc:postgresql://}
hostport=${hostport%%/*}
host=${hostport%%:*}
port=5432
[[ "$hostport" == *:* ]] && port=${hostport##*:}
if ! pg_isready -q -h "$host" -p "$port" 2> /dev/null; then
  echo "No PostgreSQL server answers at $host:$port (BENCH_PG=$BENCH_PG). Start one (Debian: apt-get install postgresql)" >&2
  echo "or point BENCH_PG at one: both sides must share a server, which the control plane's embedded one cannot be." >&2
  exit 1
fi
command -v node > /dev/null || { echo "node is needed for the read load (Debian: apt-get install nodejs)" >&2; exit 1; }
[[ -f control-api/target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q package -DskipTests -pl control-api -am
./mvnw -B -q -f bench/pom.xml compile
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
quiet="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.jobrunr=error"
# shellcheck disable=SC2086 # $quiet is two options
exec java -cp "$cp" $quiet io.cloudops.bench.Bench control-api/target/quarkus-app/quarkus-run.jar target/bench \
  "java -Xmx512m -cp $cp $quiet io.cloudops.bench.JobRunrPeer"
