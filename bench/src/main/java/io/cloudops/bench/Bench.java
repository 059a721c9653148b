package io.cloudops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark of issue 11 in one run (bench/run.sh): the machine's single-row commit ceiling (pgbench), the engine's
 * scenarios against the packaged control plane, and the JobRunr OSS peer ({@link JobRunrPeer}, its own JVM), all on
 * one PostgreSQL server, each side in its own database. Prints a table and writes the same figures to
 * target/bench/results.json. Asserts nothing about speed: it fails only if a task did not succeed or the per-key
 * order was broken.
 */
public final class Bench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String DB = "bench_ours";

    final Pg pg;
    final Path jar;
    final Path out;
    final int port;
    final Settings settings;
    final Map<String, Object> results = new LinkedHashMap<>();
    long polls;

    Bench(Settings settings, Path jar, Path out) {
        this.settings = settings;
        this.pg = new Pg(settings.pgUrl);
        this.jar = jar;
        this.out = out;
        this.port = settings.port;
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(Settings.fromEnvironment(), Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath());
        bench.run(args.length > 2 ? args[2] : null);
    }

    void run(String peerCommand) throws Exception {
        Files.createDirectories(out);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryGiB", Math.round(Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum() / 1048576.0));
        machine.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        machine.put("java", System.getProperty("java.version"));
        machine.put("postgres", pg.settings());
        machine.put("postgresServer", pg.host + ":" + pg.port);
        results.put("machine", machine);
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("n", settings.n);
        sizes.put("entities", settings.entities);
        sizes.put("workers", settings.workers);
        sizes.put("connections", settings.connections);
        sizes.put("latencySamples", settings.latencySamples);
        sizes.put("jobrunrLatencySamples", settings.jobrunrLatencySamples);
        sizes.put("makespan", Map.of("maxConcurrentSessions", settings.makespanSessionsLimit, "k", settings.makespanTasks, "stepMillis", settings.makespanStepMillis));
        sizes.put("read", Map.of("rate", settings.readRate, "seconds", settings.readSeconds));
        sizes.put("footprintTasks", settings.footprintTasks);
        results.put("sizes", sizes);
        System.out.printf("bench: N=%d, E=%s, workers=%s, %d connections; PostgreSQL %s at %s: fsync=%s, synchronous_commit=%s%n", settings.n, settings.entities,
                settings.workers, settings.connections, pg.settings().get("server_version"), pg.host + ":" + pg.port, pg.settings().get("fsync"),
                pg.settings().get("synchronous_commit"));

        sizes.put("scenarios", settings.scenarios.stream().sorted().toList());
        if (settings.scenarios.contains("pgbench")) {
            results.put("pgbench", CommitCeiling.measure(pg, out, settings.pgbenchSeconds));
        }
        results.put("ours", ours());
        if (peerCommand != null && settings.scenarios.contains("jobrunr")) {
            results.put("jobrunr", jobrunr(peerCommand));
        }
        JSON.writeValue(out.resolve("results.json").toFile(), results);
        Table.print(JSON.valueToTree(results));
        System.out.println("figures: " + out.resolve("results.json"));
    }

    Map<String, Object> ours() throws Exception {
        pg.recreate(DB);
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("guarantees", "per entity: one task at a time, in submission order (checked from the task rows at the largest E)");
        Map<String, Object> footprint = new LinkedHashMap<>();
        for (int w : settings.workers) {
            Map<String, Object> byWorkers = new LinkedHashMap<>();
            for (int e : settings.scenarios.contains("drain") ? settings.entities : List.<Integer>of()) {
                byWorkers.put("drainE" + e, queuedRun("d" + w + "e" + e + "-", w, settings.n, e, 0, e == settings.entities.get(settings.entities.size() - 1)));
            }
            if (settings.scenarios.contains("e2e")) {
                byWorkers.put("endToEnd", endToEnd(w, footprint));
            }
            ours.put("workers" + w, byWorkers);
        }
        List<Map<String, Object>> makespans = new ArrayList<>();
        for (int s : settings.scenarios.contains("makespan") ? new int[] {settings.makespanSessionsLimit, 2 * settings.makespanSessionsLimit} : new int[0]) {
            Map<String, Object> run = queuedRun("m" + s + "-", settings.makespanSessionsLimit, s * settings.makespanTasks, s, settings.makespanStepMillis, false);
            double ideal = Math.ceil(s / (double) settings.makespanSessionsLimit) * settings.makespanTasks * settings.makespanStepMillis / 1000.0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessions", s);
            m.put("maxConcurrentSessions", settings.makespanSessionsLimit);
            m.put("tasksPerSession", settings.makespanTasks);
            m.put("stepMillis", settings.makespanStepMillis);
            m.put("seconds", run.get("seconds"));
            m.put("idealSeconds", ideal);
            m.put("overIdeal", Pg.round((double) run.get("seconds") / ideal, 3));
            makespans.add(m);
            System.out.printf("makespan, %d sessions x %d tasks of %d ms (MAX_CONCURRENT_SESSIONS=%d): %.2f s, ideal %.2f s%n", s, settings.makespanTasks,
                    settings.makespanStepMillis, settings.makespanSessionsLimit, run.get("seconds"), ideal);
        }
        ours.put("makespan", makespans);
        if (settings.scenarios.contains("latency")) {
            latencyAndReads(ours);
        }
        if (settings.scenarios.contains("footprint")) {
            footprint.put("heapWithQueuedOneEntity", heapWithQueued(1));
            footprint.put("heapWithQueued" + settings.entities.get(settings.entities.size() - 1) + "Entities",
                    heapWithQueued(settings.entities.get(settings.entities.size() - 1)));
        }
        ours.put("footprint", footprint);
        if (!settings.keepDb) {
            pg.drop(DB);
        }
        return ours;
    }

    ControlPlane start(String db, boolean engine, int sessions, String name) throws Exception {
        return ControlPlane.start(jar, out.resolve("work").resolve(name), pg.url(db), port, engine, sessions);
    }

    /**
     * N one-step tasks of {@code stepMillis} over E entities, accepted over HTTP by a control plane whose engine is off,
     * then run by a control plane with the engine on: the figure is from the first task's start to the last one's end
     * (task rows), so neither the submissions nor the release of the backlog is what is measured.
     */
    Map<String, Object> queuedRun(String prefix, int w, int tasks, int e, int stepMillis, boolean checkOrder) throws Exception {
        List<String> ids;
        try (ControlPlane api = start(DB, false, w, "api")) {
            ids = submit(api.base, tasks, e, prefix, stepMillis, true);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        try (Connection poll = pg.connect(DB)) {
            polls = 0;
            Pg.Snapshot before = pg.snapshot(DB);
            ControlPlane engine = start(DB, true, w, "engine");
            Pg.Snapshot ready = pg.snapshot(DB);
            long jvm0 = Pg.cpuTicks(engine.pid());
            awaitIdle(poll);
            Pg.Snapshot end = pg.snapshot(DB);
            long jvm = Pg.cpuTicks(engine.pid()) - jvm0;
            long ownPolls = polls;
            Map<String, Object> rows = rows(poll, prefix, tasks);
            poll.close();
            engine.close();
            Pg.Snapshot after = pg.snapshot(DB);
            double seconds = (double) rows.remove("seconds");
            run.put("tasks", tasks);
            run.put("entities", e);
            run.put("seconds", Pg.round(seconds, 3));
            run.put("tasksPerSecond", Math.round(tasks / seconds));
            Map<String, Object> cost = Pg.cost(before, end, after, tasks, ownPolls + 1, jvm);
            // the CPU split is of the window from ready to done (the process's own start is not the engine's cost)
            Map<String, Object> cpu = Pg.cost(ready, end, end, tasks, 0, jvm);
            cost.put("postgresCpuSeconds", cpu.get("postgresCpuSeconds"));
            cost.put("postgresCpuShare", cpu.get("postgresCpuShare"));
            run.putAll(cost);
            if (checkOrder) {
                run.put("perKey", checkOrder(ids, prefix));
            }
            run.put("engineSecondsToReady", Pg.round(engine.secondsToReady, 2));
        }
        if (stepMillis == 0) {
            System.out.printf("ours drain, MAX_CONCURRENT_SESSIONS=%d, %d tasks over %d entities: %.2f s -> %s/s, %s commits/task%s%n", w, tasks,
                    e, run.get("seconds"), run.get("tasksPerSecond"), run.get("commitsPerTask"),
                    run.containsKey("perKey") ? ", per key: " + run.get("perKey") : "");
        }
        return run;
    }

    /** N tasks submitted over HTTP by concurrent connections to a running engine: first submission to the last done. */
    Map<String, Object> endToEnd(int w, Map<String, Object> footprint) throws Exception {
        int e = settings.entities.get(0);
        String prefix = "t" + w + "-";
        Map<String, Object> run = new LinkedHashMap<>();
        try (Connection poll = pg.connect(DB)) {
            ControlPlane engine = start(DB, true, w, "engine");
            if (!footprint.containsKey("timeToReadySeconds")) {
                footprint.put("timeToReadySeconds", Pg.round(engine.secondsToReady, 2));
                footprint.put("rssAfterStartMiB", engine.rssMiB());
            }
            polls = 0;
            Pg.Snapshot before = pg.snapshot(DB);
            long jvm0 = Pg.cpuTicks(engine.pid());
            long t0 = System.nanoTime();
            submit(engine.base, settings.n, e, prefix, 0, false);
            double submitSeconds = (System.nanoTime() - t0) / 1e9;
            awaitIdle(poll);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Pg.Snapshot end = pg.snapshot(DB);
            long jvm = Pg.cpuTicks(engine.pid()) - jvm0;
            long ownPolls = polls;
            rows(poll, prefix, settings.n);
            poll.close();
            footprint.put("rssAfterThroughputMiB", engine.rssMiB());
            engine.close();
            Pg.Snapshot after = pg.snapshot(DB);
            run.put("tasks", settings.n);
            run.put("entities", e);
            run.put("connections", settings.connections);
            run.put("acceptedPerSecond", Math.round(settings.n / submitSeconds));
            run.put("seconds", Pg.round(seconds, 2));
            run.put("tasksPerSecond", Math.round(settings.n / seconds));
            run.putAll(Pg.cost(before, end, after, settings.n, ownPolls + 1, jvm));
        }
        System.out.printf("ours end to end, MAX_CONCURRENT_SESSIONS=%d, %d tasks over HTTP (%d connections): accepted %s/s, %s/s end to end%n", w,
                settings.n, settings.connections, run.get("acceptedPerSecond"), run.get("tasksPerSecond"));
        return run;
    }

    /** Idle acceptance-to-done latency (server clock, from the task rows), then the constant-rate read load. */
    void latencyAndReads(Map<String, Object> ours) throws Exception {
        int w = settings.workers.get(0);
        try (ControlPlane engine = start(DB, true, w, "engine"); Connection poll = pg.connect(DB)) {
            List<Double> millis = new ArrayList<>();
            String last = null;
            try (PreparedStatement status = poll.prepareStatement("SELECT status, created_at, finished_at FROM task WHERE id = ?")) {
                for (int i = 0; i < settings.latencySamples; i++) {
                    String id = submitOne(engine.base, "lat-" + (i % 10), 0);
                    last = id;
                    while (true) {
                        status.setObject(1, UUID.fromString(id));
                        try (ResultSet rs = status.executeQuery()) {
                            rs.next();
                            if (rs.getString(1).equals("succeeded")) {
                                millis.add((micros(rs.getTimestamp(3)) - micros(rs.getTimestamp(2))) / 1000.0);
                                break;
                            }
                        }
                        Thread.sleep(1);
                    }
                }
            }
            Map<String, Object> latency = new LinkedHashMap<>(Percentiles.of(millis));
            latency.put("samples", settings.latencySamples);
            latency.put("maxConcurrentSessions", w);
            ours.put("latency", latency);
            System.out.printf("ours idle acceptance-to-done latency (%d samples): %s%n", settings.latencySamples, Percentiles.of(millis));
            Map<String, Object> reads = new LinkedHashMap<>();
            reads.put("getTask", readLoad(engine.base + "/api/tasks/" + last));
            reads.put("listTasks", readLoad(engine.base + "/api/tasks"));
            ours.put("reads", reads);
        }
    }

    /** Constant arrival rate for a fixed time (bench/read-load.js: an open model, latency of every response from when it was due). */
    Map<String, Object> readLoad(String url) throws Exception {
        Process p = new ProcessBuilder("node", Path.of("bench", "read-load.js").toString(), url, Integer.toString(settings.readRate),
                Integer.toString(settings.readSeconds), "64").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("read load failed: " + output);
        }
        JsonNode node = JSON.readTree(output);
        System.out.printf("ours reads, %s at %d/s for %d s: %s%n", url.replaceAll("http://[^/]+", "GET "), settings.readRate, settings.readSeconds, node);
        return JSON.convertValue(node, Map.class);
    }

    /** Heap used after GC with N long tasks queued (one entity, or E entities) in a control plane of its own database. */
    Map<String, Object> heapWithQueued(int e) throws Exception {
        String db = "bench_ours_footprint";
        pg.recreate(db);
        Map<String, Object> outMap = new LinkedHashMap<>();
        ControlPlane engine = start(db, true, settings.workers.get(0), "footprint");
        try (Connection poll = pg.connect(db)) {
            submit(engine.base, settings.footprintTasks, e, "f-", 600_000, false);
            int running = Math.min(settings.workers.get(0), e);
            while (count(poll, "SELECT count(*) FROM task WHERE status = 'running'") < running) {
                Thread.sleep(100);
            }
            outMap.put("queuedTasks", count(poll, "SELECT count(*) FROM task WHERE status = 'queued'"));
            outMap.put("entities", e);
            outMap.put("heapUsedAfterGcMiB", engine.heapAfterGcMiB());
            outMap.put("rssMiB", engine.rssMiB());
        } finally {
            engine.kill();
            pg.drop(db);
        }
        System.out.printf("ours footprint, %d tasks queued over %d entities: %s%n", settings.footprintTasks, e, outMap);
        return outMap;
    }

    Map<String, Object> jobrunr(String peerCommand) throws Exception {
        Path json = out.resolve("jobrunr.json");
        List<String> cmd = new ArrayList<>(List.of(peerCommand.split(" ")));
        cmd.addAll(1, List.of("-Dbench.pg=" + pg.url("postgres"), "-Dbench.n=" + settings.n, "-Dbench.submitters=" + settings.connections,
                "-Dbench.latencySamples=" + settings.jobrunrLatencySamples, "-Dbench.footprintTasks=" + settings.footprintTasks,
                "-Dbench.workers=" + String.join(",", settings.workers.stream().map(String::valueOf).toList()), "-Dbench.out=" + json));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the JobRunr peer failed");
        }
        return JSON.readValue(json.toFile(), Map.class);
    }

    // --- submissions and checks

    /**
     * Submits {@code tasks} diagnostic tasks (one step of {@code stepMillis}) over {@code e} entities with the
     * configured number of connections. {@code perEntitySequential}: every entity's tasks go through one connection in
     * index order, so that the order of submission per entity is known (the returned ids are in index order).
     */
    List<String> submit(String base, int tasks, int e, String prefix, int stepMillis, boolean perEntitySequential) throws Exception {
        String[] ids = new String[tasks];
        int c = Math.min(settings.connections, perEntitySequential ? e : tasks);
        ExecutorService pool = Executors.newFixedThreadPool(c);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < tasks; i++) {
                    int owner = perEntitySequential ? (i % e) % c : i % c;
                    if (owner == worker) {
                        ids[i] = submitOne(base, prefix + (i % e), stepMillis);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return List.of(ids);
    }

    static String submitOne(String base, String entity, int stepMillis) throws Exception {
        String body = "{\"entityId\":\"" + entity + "\",\"steps\":1,\"stepMillis\":" + stepMillis + "}";
        HttpResponse<String> response = ControlPlane.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks/diagnostic"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        Matcher m = Pattern.compile("\"taskId\":\"([^\"]+)\"").matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no taskId in " + response.body());
        }
        return m.group(1);
    }

    long count(Connection c, String sql) throws Exception {
        polls++;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void awaitIdle(Connection poll) throws Exception {
        // EXISTS stops at the first unfinished task: a count of them all, every 50 ms, was a tenth of a core of the
        // server's CPU, charged to the engine's figures
        while (count(poll, "SELECT count(*) FROM (SELECT 1 FROM task WHERE status IN ('queued', 'running') LIMIT 1) t") > 0) {
            Thread.sleep(50);
        }
    }

    /** All tasks of the run succeeded; the run's span from the first start to the last end. */
    Map<String, Object> rows(Connection c, String prefix, int tasks) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*), min(started_at), "
                + "max(finished_at) FROM task WHERE entity_id LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != tasks || rs.getLong(2) != tasks) {
                    throw new IllegalStateException(prefix + ": " + tasks + " tasks accepted but " + rs.getLong(1) + " of " + rs.getLong(2)
                            + " succeeded");
                }
                Map<String, Object> out = new HashMap<>();
                out.put("seconds", micros(rs.getTimestamp(4)) / 1e6 - micros(rs.getTimestamp(3)) / 1e6);
                return out;
            }
        }
    }

    static long micros(Timestamp t) {
        return t.getTime() / 1000 * 1_000_000 + t.getNanos() / 1000;
    }

    /**
     * From the task rows: per entity, no two tasks ran at the same time (each started at or after the previous one
     * finished) and they started in the order the harness submitted them.
     */
    Map<String, Object> checkOrder(List<String> ids, String prefix) throws Exception {
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            order.put(ids.get(i), i);
        }
        record Row(String entity, int order, long start, long end) {
        }
        List<Row> rows = new ArrayList<>();
        try (Connection c = pg.connect(DB); PreparedStatement s = c.prepareStatement("SELECT id, entity_id, started_at, finished_at FROM task "
                + "WHERE entity_id LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(2), order.get(rs.getString(1)), micros(rs.getTimestamp(3)), micros(rs.getTimestamp(4))));
                }
            }
        }
        rows.sort((a, b) -> a.entity.equals(b.entity) ? Integer.compare(a.order, b.order) : a.entity.compareTo(b.entity));
        long overlaps = 0;
        long outOfOrder = 0;
        long pairs = 0;
        for (int i = 1; i < rows.size(); i++) {
            Row prev = rows.get(i - 1);
            Row cur = rows.get(i);
            if (!prev.entity.equals(cur.entity)) {
                continue;
            }
            pairs++;
            if (cur.start < prev.end) {
                overlaps++;
            }
            if (cur.start < prev.start) {
                outOfOrder++;
            }
        }
        if (overlaps > 0 || outOfOrder > 0) {
            throw new IllegalStateException("per-key guarantee broken: " + overlaps + " overlapping, " + outOfOrder + " out of order");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sameEntityPairsChecked", pairs);
        out.put("overlapping", overlaps);
        out.put("outOfSubmissionOrder", outOfOrder);
        return out;
    }
}
