package io.cloudops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jobrunr.jobs.JobId;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * The JobRunr OSS peer of the benchmark, in a JVM of its own (so that its footprint is its own): the same work as the
 * engine's scenarios, on the same PostgreSQL server, in JobRunr's own database. JobRunr OSS runs each job at least
 * once on any free worker: it keeps no order and no one-at-a-time per key (the engine's guarantee), so its figures
 * are for unordered work. Its smallest poll interval is 5 s (JobRunr refuses less), which bounds its idle latency.
 *
 * <p>
 * Arguments (system properties): bench.pg, bench.db, bench.workers (8,32), bench.n, bench.submitters,
 * bench.latencySamples, bench.footprintTasks, bench.out (JSON file).
 */
public final class JobRunrPeer {

    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    static final AtomicLong EXECUTED = new AtomicLong();
    static final AtomicLong FIRST_START = new AtomicLong();
    static volatile CountDownLatch blocker = new CountDownLatch(0);

    /** The no-op job. */
    public static void noop(int i) {
        FIRST_START.compareAndSet(0, System.nanoTime());
        EXECUTED.incrementAndGet();
    }

    /** A job that holds its worker until released (footprint: everything else stays enqueued). */
    public static void block(int i) throws InterruptedException {
        blocker.await();
    }

    private final Pg pg;
    private final String db;
    private final JacksonJsonMapper json = new JacksonJsonMapper();
    private HikariDataSource ds;
    private StorageProvider storage;
    private JobScheduler scheduler;
    private BackgroundJobServer server;
    private long polls;

    JobRunrPeer(Pg pg, String db) {
        this.pg = pg;
        this.db = db;
    }

    public static void main(String[] args) throws Exception {
        Pg pg = new Pg(System.getProperty("bench.pg"));
        String db = System.getProperty("bench.db", "bench_jobrunr");
        int n = Integer.getInteger("bench.n", 20_000);
        int submitters = Integer.getInteger("bench.submitters", 32);
        int latencySamples = Integer.getInteger("bench.latencySamples", 20);
        int footprintTasks = Integer.getInteger("bench.footprintTasks", 100_000);
        List<Integer> workers = new ArrayList<>();
        for (String w : System.getProperty("bench.workers", "8,32").split(",")) {
            workers.add(Integer.parseInt(w.trim()));
        }
        pg.recreate(db);
        JobRunrPeer peer = new JobRunrPeer(pg, db);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", "org.jobrunr:jobrunr:8.7.0 (OSS)");
        out.put("pollIntervalSeconds", POLL_INTERVAL.toSeconds());
        out.put("guarantees", "at-least-once on any free worker; no per-key order, no one-at-a-time per key");
        Map<String, Object> footprint = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        peer.open(workers.get(0), true);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        footprint.put("timeToReadySeconds", Pg.round((System.currentTimeMillis() - jvmStart) / 1000.0, 2));
        footprint.put("startSecondsInProcess", Pg.round((System.nanoTime() - t0) / 1e9, 2));
        footprint.put("rssAfterStartMiB", Pg.rssKib(ProcessHandle.current().pid()) / 1024);
        peer.close();
        for (int w : workers) {
            Map<String, Object> byWorkers = new LinkedHashMap<>();
            byWorkers.put("drain", peer.drain(w, n));
            byWorkers.put("endToEnd", peer.endToEnd(w, n, submitters));
            out.put("workers" + w, byWorkers);
        }
        footprint.put("rssAfterThroughputMiB", Pg.rssKib(ProcessHandle.current().pid()) / 1024);
        out.put("latency", peer.latency(workers.get(0), latencySamples));
        footprint.putAll(peer.heapWithQueued(workers.get(0), footprintTasks));
        out.put("footprint", footprint);
        pg.drop(db);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(new File(System.getProperty("bench.out")), out);
        System.exit(0);
    }

    void open(int workers, boolean startServer) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.url(db));
        // JobRunr's advice: at least as many connections as workers plus its own
        config.setMaximumPoolSize(workers + 4);
        ds = new HikariDataSource(config);
        storage = new PostgresStorageProvider(ds);
        storage.setJobMapper(new JobMapper(json));
        scheduler = new JobScheduler(storage);
        server = new BackgroundJobServer(storage, json, new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                return null;
            }
        }, BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration().andWorkerCount(workers)
                .andPollInterval(POLL_INTERVAL));
        if (startServer) {
            startServer();
        }
    }

    void startServer() {
        server.start(true);
        while (!server.isRunning() || server.isNotReadyToProcessJobs()) {
            Thread.onSpinWait();
        }
    }

    void close() {
        server.stop();
        storage.close();
        ds.close();
    }

    long succeeded() {
        polls++;
        return storage.countJobs(StateName.SUCCEEDED);
    }

    void awaitSucceeded(long expected) throws InterruptedException {
        while (succeeded() < expected) {
            Thread.sleep(100);
        }
    }

    /** N no-op jobs enqueued with no server running, then drained: first start to the last one succeeded. */
    Map<String, Object> drain(int workers, int n) throws Exception {
        open(workers, false);
        scheduler.enqueue(IntStream.range(0, n).boxed(), i -> JobRunrPeer.noop(i));
        long base = succeeded();
        polls = 0;
        EXECUTED.set(0);
        FIRST_START.set(0);
        Pg.Snapshot before = pg.snapshot(db);
        long cpu0 = Pg.cpuTicks(ProcessHandle.current().pid());
        startServer();
        awaitSucceeded(base + n);
        long end = System.nanoTime();
        Pg.Snapshot last = pg.snapshot(db);
        long cpu = Pg.cpuTicks(ProcessHandle.current().pid()) - cpu0;
        long ownPolls = polls;
        close();
        Pg.Snapshot after = pg.snapshot(db);
        double seconds = (end - FIRST_START.get()) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", n);
        out.put("seconds", Pg.round(seconds, 2));
        out.put("tasksPerSecond", Math.round(n / seconds));
        out.putAll(Pg.cost(before, last, after, n, ownPolls, cpu));
        System.out.printf("jobrunr drain, %d workers: %d jobs in %.1f s -> %.0f/s%n", workers, n, seconds, n / seconds);
        return out;
    }

    /** N jobs enqueued one at a time by concurrent submitters while the server runs: first enqueue to last done. */
    Map<String, Object> endToEnd(int workers, int n, int submitters) throws Exception {
        open(workers, true);
        long base = succeeded();
        polls = 0;
        Pg.Snapshot before = pg.snapshot(db);
        long cpu0 = Pg.cpuTicks(ProcessHandle.current().pid());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        AtomicLong next = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            futures.add(pool.submit(() -> {
                long i;
                while ((i = next.getAndIncrement()) < n) {
                    int item = (int) i;
                    scheduler.enqueue(() -> JobRunrPeer.noop(item));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        awaitSucceeded(base + n);
        double seconds = (System.nanoTime() - start) / 1e9;
        Pg.Snapshot last = pg.snapshot(db);
        long cpu = Pg.cpuTicks(ProcessHandle.current().pid()) - cpu0;
        long ownPolls = polls;
        close();
        Pg.Snapshot after = pg.snapshot(db);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", n);
        out.put("submitters", submitters);
        out.put("acceptedPerSecond", Math.round(n / submitSeconds));
        out.put("seconds", Pg.round(seconds, 2));
        out.put("tasksPerSecond", Math.round(n / seconds));
        out.putAll(Pg.cost(before, last, after, n, ownPolls, cpu));
        System.out.printf("jobrunr end to end, %d workers: %d jobs in %.1f s -> %.0f/s%n", workers, n, seconds, n / seconds);
        return out;
    }

    /** One job at a time on an idle server: enqueue to succeeded (the harness polls the job every 5 ms). */
    Map<String, Object> latency(int workers, int samples) throws Exception {
        open(workers, true);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            int item = i;
            long t = System.nanoTime();
            JobId id = scheduler.enqueue(() -> JobRunrPeer.noop(item));
            while (storage.getJobById(id).getState() != StateName.SUCCEEDED) {
                Thread.sleep(5);
            }
            millis.add((System.nanoTime() - t) / 1e6);
        }
        close();
        System.out.printf("jobrunr idle latency: %s%n", Percentiles.of(millis));
        Map<String, Object> out = new LinkedHashMap<>(Percentiles.of(millis));
        out.put("samples", samples);
        return out;
    }

    /** Heap used after GC with N jobs enqueued and every worker held by a blocking job. */
    Map<String, Object> heapWithQueued(int workers, int n) throws Exception {
        blocker = new CountDownLatch(1);
        open(workers, true);
        scheduler.enqueue(IntStream.range(0, n).boxed(), i -> JobRunrPeer.block(i));
        while (storage.countJobs(StateName.PROCESSING) < Math.min(workers, n)) {
            Thread.sleep(100);
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queuedJobs", n);
        out.put("heapUsedAfterGcMiB", Pg.round(heap / 1048576.0, 1));
        out.put("rssWithQueuedMiB", Pg.rssKib(ProcessHandle.current().pid()) / 1024);
        blocker.countDown();
        close();
        return out;
    }
}
