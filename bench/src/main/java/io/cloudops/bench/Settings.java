package io.cloudops.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run of the benchmark measures, from the environment variables of bench/run.sh (docs/benchmarks.md,
 * "Sizes"), read in this one place. The harness is a plain Java program, not a Quarkus application, so there is
 * no configuration mapping to read them through.
 */
final class Settings {

    /** Every part of a run, in the order they run. */
    static final String ALL_SCENARIOS = "pgbench,drain,e2e,makespan,latency,footprint,jobrunr";

    final String pgUrl;
    final int port;
    final int n;
    final List<Integer> entities;
    final List<Integer> workers;
    final int connections;
    final int latencySamples;
    final int jobrunrLatencySamples;
    final int makespanSessionsLimit;
    final int makespanTasks;
    final int makespanStepMillis;
    final int readRate;
    final int readSeconds;
    final int footprintTasks;
    final int pgbenchSeconds;
    /** Which parts run: pgbench, drain, e2e, makespan, latency (with the reads), footprint, jobrunr. */
    final Set<String> scenarios;
    /** Keep the engine's database after the run, to look at its task rows. */
    final boolean keepDb;

    private Settings(Map<String, String> env) {
        pgUrl = env.get("BENCH_PG");
        port = intOf(env, "BENCH_PORT", 18080);
        n = intOf(env, "BENCH_N", 20_000);
        entities = intsOf(env, "BENCH_ENTITIES", "1000,10000");
        workers = intsOf(env, "BENCH_WORKERS", "8,32");
        connections = intOf(env, "BENCH_CONNECTIONS", 32);
        latencySamples = intOf(env, "BENCH_LATENCY_SAMPLES", 200);
        jobrunrLatencySamples = intOf(env, "BENCH_JOBRUNR_LATENCY_SAMPLES", 20);
        makespanSessionsLimit = intOf(env, "BENCH_MAKESPAN_MCS", 8);
        makespanTasks = intOf(env, "BENCH_MAKESPAN_K", 10);
        makespanStepMillis = intOf(env, "BENCH_MAKESPAN_MS", 100);
        readRate = intOf(env, "BENCH_READ_RATE", 500);
        readSeconds = intOf(env, "BENCH_READ_SECONDS", 30);
        footprintTasks = intOf(env, "BENCH_FOOTPRINT_TASKS", 100_000);
        pgbenchSeconds = intOf(env, "BENCH_PGBENCH_SECONDS", 10);
        scenarios = Set.copyOf(listOf(valueOf(env, "BENCH_SCENARIOS", ALL_SCENARIOS)));
        keepDb = env.get("BENCH_KEEP_DB") != null;
    }

    static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    private static String valueOf(Map<String, String> env, String name, String def) {
        String v = env.get(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static int intOf(Map<String, String> env, String name, int def) {
        return Integer.parseInt(valueOf(env, name, Integer.toString(def)));
    }

    private static List<Integer> intsOf(Map<String, String> env, String name, String def) {
        return listOf(valueOf(env, name, def)).stream().map(Integer::parseInt).toList();
    }

    private static List<String> listOf(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
