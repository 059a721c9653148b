package io.cloudops.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** The printed table of results.json: ours beside JobRunr, with ours / JobRunr where the work is the same. */
final class Table {

    private Table() {
    }

    static void print(JsonNode r) {
        JsonNode m = r.path("machine");
        JsonNode pgs = m.path("postgres");
        JsonNode ours = r.path("ours");
        JsonNode jr = r.path("jobrunr");
        long ceiling = r.path("pgbench").path("commitsPerSecond").asLong();
        System.out.println();
        System.out.printf("Machine: %s cores, %s GiB, load average %s at start, Java %s%n", m.path("cores").asText(), m.path("memoryGiB").asText(),
                m.path("loadAverageAtStart").asText(), m.path("java").asText());
        System.out.printf("PostgreSQL %s at %s (both sides, own databases): fsync=%s, synchronous_commit=%s, full_page_writes=%s%n",
                pgs.path("server_version").asText(), m.path("postgresServer").asText(), pgs.path("fsync").asText(),
                pgs.path("synchronous_commit").asText(), pgs.path("full_page_writes").asText());
        if (!"on".equals(pgs.path("fsync").asText()) || !"on".equals(pgs.path("synchronous_commit").asText())) {
            System.out.println("NOTE: not durable settings: every figure below is taken with fsync/synchronous_commit as printed above");
        }
        System.out.printf("Single-row commit ceiling (pgbench, 8 clients, one-row INSERT): %,d commits/s%n", ceiling);
        System.out.printf("Sizes: %s%n", r.path("sizes"));
        System.out.println();
        String fmt = "| %-52s | %14s | %14s | %9s |%n";
        System.out.printf(fmt, "figure", "ours", "JobRunr OSS", "ours/JR");
        System.out.printf(fmt, "-".repeat(52), "-".repeat(14), "-".repeat(14), "-".repeat(9));
        for (var it = ours.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!key.startsWith("workers")) {
                continue;
            }
            String w = key.substring("workers".length());
            JsonNode o = ours.path(key);
            JsonNode j = jr.path(key);
            for (var d = o.fieldNames(); d.hasNext();) {
                String drain = d.next();
                if (!drain.startsWith("drainE")) {
                    continue;
                }
                JsonNode od = o.path(drain);
                JsonNode jd = j.path("drain");
                String e = drain.substring("drainE".length());
                row(fmt, "drain, " + w + " workers, E=" + e + " (tasks/s)", od.path("tasksPerSecond"), jd.path("tasksPerSecond"), true);
                row(fmt, "  commits per task", od.path("commitsPerTask"), jd.path("commitsPerTask"), false);
                row(fmt, "  WAL bytes per task (server-wide)", od.path("walBytesPerTask"), jd.path("walBytesPerTask"), false);
                row(fmt, "  commits/s as % of the ceiling", pct(od, ceiling), pct(jd, ceiling), false);
                row(fmt, "  PostgreSQL share of CPU (db vs JVM)", od.path("postgresCpuShare"), jd.path("postgresCpuShare"), false);
                if (od.has("perKey")) {
                    JsonNode pk = od.path("perKey");
                    System.out.printf(fmt, "  per key: overlapping / out of order (pairs)", pk.path("overlapping").asText() + " / "
                            + pk.path("outOfSubmissionOrder").asText() + " (" + pk.path("sameEntityPairsChecked").asText() + ")", "not guaranteed", "");
                }
            }
            JsonNode oe = o.path("endToEnd");
            JsonNode je = j.path("endToEnd");
            row(fmt, "end to end, " + w + " workers (tasks/s; ours over HTTP)", oe.path("tasksPerSecond"), je.path("tasksPerSecond"), true);
            row(fmt, "  accepted per second while running", oe.path("acceptedPerSecond"), je.path("acceptedPerSecond"), true);
            row(fmt, "  commits per task", oe.path("commitsPerTask"), je.path("commitsPerTask"), false);
            row(fmt, "  WAL bytes per task (server-wide)", oe.path("walBytesPerTask"), je.path("walBytesPerTask"), false);
            row(fmt, "  PostgreSQL share of CPU (db vs JVM)", oe.path("postgresCpuShare"), je.path("postgresCpuShare"), false);
        }
        JsonNode ol = ours.path("latency");
        JsonNode jl = jr.path("latency");
        for (String p : new String[] {"p50Ms", "p95Ms", "p99Ms"}) {
            row(fmt, "idle accept-to-done latency " + p.substring(0, 3).toUpperCase() + " (ms)", ol.path(p), jl.path(p), true);
        }
        for (JsonNode ms : ours.path("makespan")) {
            System.out.printf(fmt, "makespan " + ms.path("sessions").asText() + " sessions x " + ms.path("tasksPerSession").asText() + " x "
                    + ms.path("stepMillis").asText() + " ms, MCS=" + ms.path("maxConcurrentSessions").asText() + " (s)", ms.path("seconds").asText()
                            + " / " + ms.path("idealSeconds").asText(), "", "x" + ms.path("overIdeal").asText() + " ideal");
        }
        for (var it = ours.path("reads").fieldNames(); it.hasNext();) {
            String k = it.next();
            JsonNode rd = ours.path("reads").path(k);
            System.out.printf(fmt, (k.equals("getTask") ? "GET /api/tasks/{id}" : "GET /api/tasks") + " at " + rd.path("rate").asText() + "/s P50/P95/P99",
                    rd.path("p50Ms").asText() + "/" + rd.path("p95Ms").asText() + "/" + rd.path("p99Ms").asText(), "", "");
            System.out.printf(fmt, "  achieved rate/s (non-2xx, errors)", rd.path("achievedRate").asText() + " (" + rd.path("non2xx").asText()
                    + ", " + rd.path("errors").asText() + ")", "", "");
            if (rd.path("achievedRate").asDouble() < 0.95 * rd.path("rate").asDouble()) {
                System.out.printf(fmt, "  (below the target rate: percentiles are a lower bound)", "", "", "");
            }
        }
        JsonNode of = ours.path("footprint");
        JsonNode jf = jr.path("footprint");
        row(fmt, "time to ready (s)", of.path("timeToReadySeconds"), jf.path("timeToReadySeconds"), true);
        row(fmt, "RSS after start (MiB)", of.path("rssAfterStartMiB"), jf.path("rssAfterStartMiB"), true);
        row(fmt, "RSS after the throughput runs (MiB)", of.path("rssAfterThroughputMiB"), jf.path("rssAfterThroughputMiB"), true);
        for (var it = of.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (k.startsWith("heapWithQueued")) {
                JsonNode h = of.path(k);
                System.out.printf(fmt, "heap after GC, " + h.path("queuedTasks").asText() + " queued on " + h.path("entities").asText() + " entities (MiB)",
                        h.path("heapUsedAfterGcMiB").asText(), k.endsWith("OneEntity") ? jf.path("heapUsedAfterGcMiB").asText() : "", "");
            }
        }
        System.out.println();
        System.out.println("Guarantees: ours - " + ours.path("guarantees").asText());
        System.out.println("            JobRunr OSS - " + jr.path("guarantees").asText() + " (poll interval " + jr.path("pollIntervalSeconds").asText()
                + " s, its smallest)");
        System.out.println("Commits exclude the harness's own polls; WAL is the server's (pg_current_wal_lsn), so other databases' writes in the same"
                + " window add to it (their commits are in results.json as otherDatabasesCommits).");
    }

    static JsonNode pct(JsonNode run, long ceiling) {
        if (run.isMissingNode() || ceiling == 0) {
            return run.path("none");
        }
        double commitsPerSecond = run.path("tasksPerSecond").asDouble() * run.path("commitsPerTask").asDouble();
        return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(Pg.round(100 * commitsPerSecond / ceiling, 1));
    }

    static void row(String fmt, String name, JsonNode ours, JsonNode peer, boolean ratio) {
        String r = "";
        if (ratio && ours.isNumber() && peer.isNumber() && peer.asDouble() != 0) {
            r = String.format("%.2f", ours.asDouble() / peer.asDouble());
        }
        System.out.printf(fmt, name, ours.isMissingNode() ? "-" : ours.asText(), peer.isMissingNode() ? "-" : peer.asText(), r);
    }
}
