import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Engine benchmark against a running control plane (see bench/run.sh). Prints figures; asserts
 * nothing. Java single-file program: `java bench/EngineBench.java http://localhost:8080 <scenario>`.
 *
 * Scenarios:
 *   latency     acceptance-to-start latency on an idle system (createdAt -> startedAt, server clock)
 *   throughput  N diagnostic tasks (3 steps of 0 ms) over 100 entities, end to end, submitted by 32 threads of
 *               the JDK's HTTP client (a heavy client: it takes a third of a core of the same 2 cores)
 *   throughput-wrk  the same for S seconds, submitted by wrk (bench/submit.lua, 2 threads, 32 connections, a
 *               light native client), then until every accepted task has succeeded
 *   drain       the engine alone: N tasks queued behind 100 blocked entities, then the blockers are cancelled
 *               and the time to run the whole backlog is measured (no HTTP submissions competing)
 *   backlog     100 entities each blocked by a long task, N tasks queued behind them (memory is read by run.sh)
 */
public class EngineBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static String base;

    public static void main(String[] args) throws Exception {
        base = args[0];
        String scenario = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        switch (scenario) {
            case "latency" -> latency(n == 0 ? 50 : n);
            case "throughput" -> throughput(n == 0 ? 10_000 : n);
            case "throughput-wrk" -> throughputWrk(n == 0 ? 20 : n);
            case "drain" -> drain(n == 0 ? 10_000 : n);
            case "backlog" -> backlog(n == 0 ? 100_000 : n);
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    static void latency(int samples) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String id = submit("latency-" + i % 10, 1, 0);
            String task;
            do {
                task = get("/api/tasks/" + id);
            } while (!task.contains("\"status\":\"succeeded\""));
            Instant created = Instant.parse(field(task, "createdAt"));
            Instant started = Instant.parse(field(task, "startedAt"));
            micros.add(Duration.between(created, started).toNanos() / 1000);
        }
        micros.sort(Long::compare);
        System.out.printf("acceptance-to-start latency (idle, %d samples): p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", samples,
                micros.get(samples / 2) / 1000.0, micros.get((int) (samples * 0.95)) / 1000.0, micros.get(samples - 1) / 1000.0);
    }

    static void throughput(int tasks) throws Exception {
        long before = count("succeeded");
        long start = System.nanoTime();
        submitMany(tasks, i -> "bench-" + (i % 100), 3, 0, 32);
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        awaitIdle();
        double seconds = (System.nanoTime() - start) / 1e9;
        check(count("succeeded") - before, tasks);
        System.out.printf("throughput: %d diagnostic tasks (3 steps of 0 ms, 100 entities): accepted in %.1f s (%.0f/s), all succeeded after %.1f s -> %.0f tasks/s end to end%n",
                tasks, submitSeconds, tasks / submitSeconds, seconds, tasks / seconds);
    }

    static void throughputWrk(int seconds) throws Exception {
        long acceptedBefore = countAll();
        long succeededBefore = count("succeeded");
        long start = System.nanoTime();
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + seconds + "s", "-s", "bench/submit.lua", base)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        awaitIdle();
        double total = (System.nanoTime() - start) / 1e9;
        // requests wrk had in flight when it stopped may have been accepted after it exited
        long accepted = countAll() - acceptedBefore;
        check(count("succeeded") - succeededBefore, accepted);
        output.lines().filter(l -> l.startsWith("wrk:")).forEach(System.out::println);
        System.out.printf("throughput (wrk): %d diagnostic tasks (3 steps of 0 ms, 100 entities): accepted in %.1f s (%.0f/s), all succeeded after %.1f s -> %.0f tasks/s end to end%n",
                accepted, submitSeconds, accepted / submitSeconds, total, accepted / total);
    }

    static void drain(int tasks) throws Exception {
        List<String> blockers = new ArrayList<>();
        for (int e = 0; e < 100; e++) {
            blockers.add(submit("drain-" + e, 1, 600_000));
        }
        submitMany(tasks, i -> "drain-" + (i % 100), 3, 0, 32);
        long before = count("succeeded");
        long start = System.nanoTime();
        for (String id : blockers) {
            HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + id + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        awaitIdle();
        double seconds = (System.nanoTime() - start) / 1e9;
        check(count("succeeded") - before, tasks);
        System.out.printf("drain: %d queued diagnostic tasks (3 steps of 0 ms, 100 entities) run in %.1f s -> %.0f tasks/s by the engine alone%n",
                tasks, seconds, tasks / seconds);
    }

    static void backlog(int tasks) throws Exception {
        for (int e = 0; e < 100; e++) {
            submit("backlog-" + e, 1, 600_000);
        }
        long start = System.nanoTime();
        submitMany(tasks, i -> "backlog-" + (i % 100), 3, 0, 32);
        System.out.printf("backlog: %d tasks queued behind 100 blocked entities in %.1f s%n", tasks, (System.nanoTime() - start) / 1e9);
        System.out.println("queue: " + get("/api/queue").replaceAll("\"sessions\":\\[.*?\\],", "").strip());
    }

    interface EntityOf {
        String of(int i);
    }

    static void submitMany(int tasks, EntityOf entity, int steps, int stepMillis, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong next = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                long i;
                while ((i = next.getAndIncrement()) < tasks) {
                    submit(entity.of((int) i), steps, stepMillis);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
    }

    static String submit(String entity, int steps, int stepMillis) throws Exception {
        String body = "{\"entityId\":\"" + entity + "\",\"steps\":" + steps + ",\"stepMillis\":" + stepMillis + "}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks/diagnostic"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return field(response.body(), "taskId");
    }

    static long count(String status) throws Exception {
        return Long.parseLong(numberField(get("/api/tasks?type=diagnostic&size=1&status=" + status), "total"));
    }

    /**
     * Waits until nothing is queued or running (the queue view reads only active tasks, so polling it
     * costs the server little, unlike counting a growing table of finished tasks).
     */
    static void awaitIdle() throws Exception {
        String queue;
        do {
            Thread.sleep(20);
            queue = get("/api/queue");
        } while (!numberField(queue, "queuedTotal").equals("0") || !numberField(queue, "runningTotal").equals("0"));
    }

    static void check(long succeeded, long expected) {
        if (succeeded != expected) {
            throw new IllegalStateException(expected + " tasks accepted but " + succeeded + " succeeded");
        }
    }

    static long countAll() throws Exception {
        return Long.parseLong(numberField(get("/api/tasks?type=diagnostic&size=1"), "total"));
    }

    static String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(name + " not in " + json);
        }
        return m.group(1);
    }

    static String numberField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(name + " not in " + json);
        }
        return m.group(1);
    }
}
