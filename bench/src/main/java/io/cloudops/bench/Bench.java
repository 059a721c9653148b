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
import java.util.Set;
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
    final int n = intEnv("BENCH_N", 20_000);
    final List<Integer> entities = listEnv("BENCH_ENTITIES", "1000,10000");
    final List<Integer> workers = listEnv("BENCH_WORKERS", "8,32");
    final int connections = intEnv("BENCH_CONNECTIONS", 32);
    final int latencySamples = intEnv("BENCH_LATENCY_SAMPLES", 200);
    final int jobrunrLatencySamples = intEnv("BENCH_JOBRUNR_LATENCY_SAMPLES", 20);
    final int makespanSessionsLimit = intEnv("BENCH_MAKESPAN_MCS", 8);
    final int makespanTasks = intEnv("BENCH_MAKESPAN_K", 10);
    final int makespanStepMillis = intEnv("BENCH_MAKESPAN_MS", 100);
    final int readRate = intEnv("BENCH_READ_RATE", 500);
    final int readSeconds = intEnv("BENCH_READ_SECONDS", 30);
    final int footprintTasks = intEnv("BENCH_FOOTPRINT_TASKS", 100_000);
    final int pgbenchSeconds = intEnv("BENCH_PGBENCH_SECONDS", 10);
    /** Which parts run (all by default): pgbench, drain, e2e, makespan, latency (with the reads), footprint, jobrunr. */
    final Set<String> scenarios = Set.copyOf(listOf(System.getenv().getOrDefault("BENCH_SCENARIOS",
            "pgbench,drain,e2e,makespan,latency,footprint,jobrunr")));
    final Map<String, Object> results = new LinkedHashMap<>();
    long polls;

    Bench(Pg pg, Path jar, Path out, int port) {
        this.pg = pg;
        this.jar = jar;
        this.out = out;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        Pg pg = new Pg(System.getenv("BENCH_PG"));
        Bench bench = new Bench(pg, Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(), intEnv("BENCH_PORT", 18080));
        bench.run(args.length > 2 ? args[2] : null);
    }

    static int intEnv(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }

    static List<String> listOf(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    static List<Integer> listEnv(String name, String def) {
        String v = System.getenv(name);
        List<Integer> out = new ArrayList<>();
        for (String s : (v == null || v.isBlank() ? def : v).split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
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
        sizes.put("n", n);
        sizes.put("entities", entities);
        sizes.put("workers", workers);
        sizes.put("connections", connections);
        sizes.put("latencySamples", latencySamples);
        sizes.put("jobrunrLatencySamples", jobrunrLatencySamples);
        sizes.put("makespan", Map.of("maxConcurrentSessions", makespanSessionsLimit, "k", makespanTasks, "stepMillis", makespanStepMillis));
        sizes.put("read", Map.of("rate", readRate, "seconds", readSeconds));
        sizes.put("footprintTasks", footprintTasks);
        results.put("sizes", sizes);
        System.out.printf("bench: N=%d, E=%s, workers=%s, %d connections; PostgreSQL %s at %s: fsync=%s, synchronous_commit=%s%n", n, entities,
                workers, connections, pg.settings().get("server_version"), pg.host + ":" + pg.port, pg.settings().get("fsync"),
                pg.settings().get("synchronous_commit"));

        sizes.put("scenarios", scenarios.stream().sorted().toList());
        if (scenarios.contains("pgbench")) {
            results.put("pgbench", pgbench());
        }
        results.put("ours", ours());
        if (peerCommand != null && scenarios.contains("jobrunr")) {
            results.put("jobrunr", jobrunr(peerCommand));
        }
        JSON.writeValue(out.resolve("results.json").toFile(), results);
        Table.print(JSON.valueToTree(results));
        System.out.println("figures: " + out.resolve("results.json"));
    }

    /** The machine's single-row commit ceiling: pgbench, 8 clients, one INSERT of one row per transaction. */
    Map<String, Object> pgbench() throws Exception {
        String db = "bench_pgbench";
        pg.recreate(db);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE one_row (id BIGSERIAL PRIMARY KEY, v INTEGER NOT NULL)");
        }
        Path script = out.resolve("one-row-insert.sql");
        Files.writeString(script, "\\set v random(1, 1000000)\nINSERT INTO one_row (v) VALUES (:v);\n");
        List<String> cmd = new ArrayList<>(List.of(pgbenchBinary(), "-n", "-c", "8", "-j", "2", "-T", Integer.toString(pgbenchSeconds),
                "-f", script.toString(), "-h", pg.host, "-p", Integer.toString(pg.port)));
        if (pg.param("user") != null) {
            cmd.addAll(List.of("-U", pg.param("user")));
        }
        cmd.add(db);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (pg.param("password") != null) {
            pb.environment().put("PGPASSWORD", pg.param("password"));
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed: " + output);
        }
        Matcher m = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no tps in pgbench's output: " + output);
        }
        pg.drop(db);
        double tps = Double.parseDouble(m.group(1));
        System.out.printf("pgbench (8 clients, one-row INSERT, %d s): %.0f commits/s%n", pgbenchSeconds, tps);
        return Map.of("clients", 8, "seconds", pgbenchSeconds, "commitsPerSecond", Math.round(tps));
    }

    static String pgbenchBinary() throws Exception {
        for (String candidate : new String[] {"/usr/bin/pgbench"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin/pgbench")).filter(Files::isExecutable).map(Path::toString).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("pgbench not found (Debian: apt-get install postgresql-contrib)"));
        }
    }

    Map<String, Object> ours() throws Exception {
        pg.recreate(DB);
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("guarantees", "per entity: one task at a time, in submission order (checked from the task rows at the largest E)");
        Map<String, Object> footprint = new LinkedHashMap<>();
        for (int w : workers) {
            Map<String, Object> byWorkers = new LinkedHashMap<>();
            for (int e : scenarios.contains("drain") ? entities : List.<Integer>of()) {
                byWorkers.put("drainE" + e, queuedRun("d" + w + "e" + e + "-", w, n, e, 0, e == entities.get(entities.size() - 1)));
            }
            if (scenarios.contains("e2e")) {
                byWorkers.put("endToEnd", endToEnd(w, footprint));
            }
            ours.put("workers" + w, byWorkers);
        }
        List<Map<String, Object>> makespans = new ArrayList<>();
        for (int s : scenarios.contains("makespan") ? new int[] {makespanSessionsLimit, 2 * makespanSessionsLimit} : new int[0]) {
            Map<String, Object> run = queuedRun("m" + s + "-", makespanSessionsLimit, s * makespanTasks, s, makespanStepMillis, false);
            double ideal = Math.ceil(s / (double) makespanSessionsLimit) * makespanTasks * makespanStepMillis / 1000.0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessions", s);
            m.put("maxConcurrentSessions", makespanSessionsLimit);
            m.put("tasksPerSession", makespanTasks);
            m.put("stepMillis", makespanStepMillis);
            m.put("seconds", run.get("seconds"));
            m.put("idealSeconds", ideal);
            m.put("overIdeal", Pg.round((double) run.get("seconds") / ideal, 3));
            makespans.add(m);
            System.out.printf("makespan, %d sessions x %d tasks of %d ms (MAX_CONCURRENT_SESSIONS=%d): %.2f s, ideal %.2f s%n", s, makespanTasks,
                    makespanStepMillis, makespanSessionsLimit, run.get("seconds"), ideal);
        }
        ours.put("makespan", makespans);
        if (scenarios.contains("latency")) {
            latencyAndReads(ours);
        }
        if (scenarios.contains("footprint")) {
            footprint.put("heapWithQueuedOneEntity", heapWithQueued(1));
            footprint.put("heapWithQueued" + entities.get(entities.size() - 1) + "Entities",
                    heapWithQueued(entities.get(entities.size() - 1)));
        }
        ours.put("footprint", footprint);
        if (System.getenv("BENCH_KEEP_DB") == null) {
            pg.drop(DB); // BENCH_KEEP_DB=1 keeps bench_ours, to look at the task rows after the run
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
        int e = entities.get(0);
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
            submit(engine.base, n, e, prefix, 0, false);
            double submitSeconds = (System.nanoTime() - t0) / 1e9;
            awaitIdle(poll);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Pg.Snapshot end = pg.snapshot(DB);
            long jvm = Pg.cpuTicks(engine.pid()) - jvm0;
            long ownPolls = polls;
            rows(poll, prefix, n);
            poll.close();
            footprint.put("rssAfterThroughputMiB", engine.rssMiB());
            engine.close();
            Pg.Snapshot after = pg.snapshot(DB);
            run.put("tasks", n);
            run.put("entities", e);
            run.put("connections", connections);
            run.put("acceptedPerSecond", Math.round(n / submitSeconds));
            run.put("seconds", Pg.round(seconds, 2));
            run.put("tasksPerSecond", Math.round(n / seconds));
            run.putAll(Pg.cost(before, end, after, n, ownPolls + 1, jvm));
        }
        System.out.printf("ours end to end, MAX_CONCURRENT_SESSIONS=%d, %d tasks over HTTP (%d connections): accepted %s/s, %s/s end to end%n", w,
                n, connections, run.get("acceptedPerSecond"), run.get("tasksPerSecond"));
        return run;
    }

    /** Idle acceptance-to-done latency (server clock, from the task rows), then the constant-rate read load. */
    void latencyAndReads(Map<String, Object> ours) throws Exception {
        int w = workers.get(0);
        try (ControlPlane engine = start(DB, true, w, "engine"); Connection poll = pg.connect(DB)) {
            List<Double> millis = new ArrayList<>();
            String last = null;
            try (PreparedStatement status = poll.prepareStatement("SELECT status, created_at, finished_at FROM task WHERE id = ?")) {
                for (int i = 0; i < latencySamples; i++) {
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
            latency.put("samples", latencySamples);
            latency.put("maxConcurrentSessions", w);
            ours.put("latency", latency);
            System.out.printf("ours idle acceptance-to-done latency (%d samples): %s%n", latencySamples, Percentiles.of(millis));
            Map<String, Object> reads = new LinkedHashMap<>();
            reads.put("getTask", readLoad(engine.base + "/api/tasks/" + last));
            reads.put("listTasks", readLoad(engine.base + "/api/tasks"));
            ours.put("reads", reads);
        }
    }

    /** Constant arrival rate for a fixed time (bench/read-load.js: autocannon, latency of every response). */
    Map<String, Object> readLoad(String url) throws Exception {
        Process p = new ProcessBuilder("node", Path.of("bench", "read-load.js").toString(), url, Integer.toString(readRate),
                Integer.toString(readSeconds), "64").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("read load failed: " + output);
        }
        JsonNode node = JSON.readTree(output);
        System.out.printf("ours reads, %s at %d/s for %d s: %s%n", url.replaceAll("http://[^/]+", "GET "), readRate, readSeconds, node);
        return JSON.convertValue(node, Map.class);
    }

    /** Heap used after GC with N long tasks queued (one entity, or E entities) in a control plane of its own database. */
    Map<String, Object> heapWithQueued(int e) throws Exception {
        String db = "bench_ours_footprint";
        pg.recreate(db);
        Map<String, Object> outMap = new LinkedHashMap<>();
        ControlPlane engine = start(db, true, workers.get(0), "footprint");
        try (Connection poll = pg.connect(db)) {
            submit(engine.base, footprintTasks, e, "f-", 600_000, false);
            int running = Math.min(workers.get(0), e);
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
        System.out.printf("ours footprint, %d tasks queued over %d entities: %s%n", footprintTasks, e, outMap);
        return outMap;
    }

    Map<String, Object> jobrunr(String peerCommand) throws Exception {
        Path json = out.resolve("jobrunr.json");
        List<String> cmd = new ArrayList<>(List.of(peerCommand.split(" ")));
        cmd.addAll(1, List.of("-Dbench.pg=" + pg.url("postgres"), "-Dbench.n=" + n, "-Dbench.submitters=" + connections,
                "-Dbench.latencySamples=" + jobrunrLatencySamples, "-Dbench.footprintTasks=" + footprintTasks,
                "-Dbench.workers=" + String.join(",", workers.stream().map(String::valueOf).toList()), "-Dbench.out=" + json));
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
        int c = Math.min(connections, perEntitySequential ? e : tasks);
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
