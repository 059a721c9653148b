package io.cloudops.api.topology;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.cloudops.api.testsupport.HubClient;
import io.cloudops.api.testsupport.Ports;
import io.cloudops.api.testsupport.SseClient;
import io.cloudops.api.testsupport.TcpProxy;
import io.cloudops.api.testsupport.TopologyScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The distributed topology, started by {@code scripts/topology.sh} from the packaged artifacts:
 * a private PostgreSQL, a standalone Artemis, two control-api JVMs that only accept and stream
 * ({@code ORCHESTRATOR_ENABLED=false}) and two orchestrator JVMs, with a {@link TcpProxy} in this
 * JVM between the four apps and PostgreSQL. One run, faults in sequence (the methods run in order
 * on the same topology): normal load, {@code kill -9} of an orchestrator mid-step, a broker
 * restart, a PostgreSQL restart, a database that stops answering. Throughout, every accepted task
 * must end {@code succeeded} and an entity's tasks must run one at a time in acceptance order
 * (checked on whole tasks, from the database). The figures go into one summary at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedTopologyIT {

    private static final Logger LOG = Logger.getLogger(DistributedTopologyIT.class);
    private static final Duration LEASE = Duration.ofSeconds(3);
    /** Lease expiry, the sweeper's 2 s period and a claim: a dead run is resumed within this. */
    private static final Duration RESUME_BOUND = LEASE.plusSeconds(7);
    /** A stalled database must turn into a 503 within this, not a hang. */
    private static final Duration STALL_ANSWER_BOUND = Duration.ofSeconds(20);
    private static final Duration DRAIN = Duration.ofSeconds(90);

    private final Map<String, Duration> recovery = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<Long> orchestratorPids = new HashSet<>();
    private TcpProxy proxy;
    private TopologyScript topology;
    private TaskTable tasks;
    private TopologyApi api;
    private Path orchestratorJar;

    @BeforeAll
    void startTheTopology() throws Exception {
        // the topology brings its own PostgreSQL server: once per build is enough (.ci/run's second run sets this)
        boolean ownDatabase = System.getenv("PLATFORM_DB_CONN") == null || System.getenv("PLATFORM_DB_CONN").isBlank();
        if (!ownDatabase) {
            LOG.warn("SKIPPED: DistributedTopologyIT runs only without PLATFORM_DB_CONN: it starts its own PostgreSQL"
                    + " server, and .ci/run's first run (embedded) has already run it");
        }
        Assumptions.assumeTrue(ownDatabase, "runs only without PLATFORM_DB_CONN (it starts its own PostgreSQL server)");
        orchestratorJar = TopologyScript.ORCHESTRATOR_JAR;
        assertThat(orchestratorJar).as("the packaged orchestrator service (the reactor packages it before control-api)")
                .isRegularFile();
        int pgPort = Ports.freePort();
        proxy = TcpProxy.start("127.0.0.1", pgPort);
        Path runDir = TopologyScript.ROOT.resolve("control-api/target/distributed-topology-it/run");
        topology = new TopologyScript(runDir, pgPort, proxy.port(), orchestratorJar, Map.of(
                "TASK_LEASE_DURATION", LEASE.toSeconds() + "s",
                // fewer sessions per JVM than entities, so that one JVM alone could not take them all at once
                "MAX_CONCURRENT_SESSIONS", "2"));
        topology.run("clean");
        topology.run("start");
        tasks = new TaskTable(topology.directJdbcUrl());
        api = new TopologyApi(topology::apiPort);
        rememberOrchestrators();
    }

    @AfterAll
    void summaryAndStop() throws Exception {
        try {
            summary();
        } finally {
            if (topology != null) {
                topology.close();
            }
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    @Order(1)
    void entityTasksRunInAcceptanceOrderWithoutOverlapOnBothOrchestratorsAndStreamToBothApis() throws Exception {
        try (HubClient hub1 = HubClient.connect(api.http(), "localhost", topology.apiPort(1), "/hubs/tasks");
                HubClient hub2 = HubClient.connect(api.http(), "localhost", topology.apiPort(2), "/hubs/tasks")) {
            // a hub subscribes after its handshake: warm-up tasks until one has streamed to both
            AtomicInteger warmUps = new AtomicInteger();
            await("both hubs are live").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        api.submit(warmUps.getAndIncrement() % 2 + 1, "topology/warm-up", 1, 10);
                        return hub1.sawTerminal() && hub2.sawTerminal();
                    });

            List<String> batch = new ArrayList<>();
            List<SseClient> streams = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                for (int e = 0; e < 6; e++) {
                    int n = (t + e) % 2 + 1; // alternately, also within an entity
                    String id = api.submit(n, "topology/a-" + e, 2, 100);
                    batch.add(id);
                    if (t == 0 && e < 2) {
                        // each API streams a task the other one accepted
                        streams.add(SseClient.open(api.http(), topology.apiPort(3 - n), UUID.fromString(id)));
                    }
                }
            }
            awaitTerminal("load", batch, DRAIN);
            assertAllSucceeded(batch, 1);
            assertNoOverlapAndAcceptanceOrder();

            Map<String, Long> runner = tasks.latestRunner();
            Map<Long, Long> perPid = new LinkedHashMap<>();
            batch.forEach(id -> perPid.merge(runner.get(id), 1L, Long::sum));
            notes.add("load: 24 tasks ran per orchestrator pid " + perPid);
            for (int n = 1; n <= topology.orchestratorCount(); n++) {
                assertThat(perPid).as("tasks run by orchestrator-%d", n).containsKey(topology.pid("orchestrator-" + n));
            }
            assertThat(perPid.keySet()).as("only orchestrators run tasks").isSubsetOf(orchestratorPids);

            Map<String, Long> lastSeq = tasks.lastSeqs();
            await("both hubs streamed every task").atMost(Duration.ofSeconds(30))
                    .until(() -> batch.stream().allMatch(id -> hub1.terminalOf(UUID.fromString(id))
                            && hub2.terminalOf(UUID.fromString(id))));
            for (String id : batch) {
                List<Long> expected = LongStream.rangeClosed(1, lastSeq.get(id)).boxed().toList();
                assertThat(hub1.seqsOf(UUID.fromString(id))).as("events of %s on control-api-1", id)
                        .isEqualTo(expected);
                assertThat(hub2.seqsOf(UUID.fromString(id))).as("events of %s on control-api-2", id)
                        .isEqualTo(expected);
            }
            await("the SSE streams ended").atMost(Duration.ofSeconds(30))
                    .until(() -> streams.stream().allMatch(SseClient::ended));
            for (SseClient stream : streams) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.sawStatus("succeeded")).as("SSE saw %s succeed", stream.task()).isTrue();
                assertThat(stream.seqs()).as("SSE events of %s, once and in order", stream.task())
                        .isEqualTo(LongStream.rangeClosed(1, lastSeq.get(stream.task().toString())).boxed().toList());
            }
        }
    }

    @Test
    @Order(2)
    void killingAnOrchestratorMidStepLosesNothingAndLeavesNothingStuck() throws Exception {
        List<String> batch = api.submitBatch("topology/c-", 4, 2, 3, 1000);
        Map<Integer, List<String>> midStepBy = new LinkedHashMap<>();
        await("a task mid-step").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            midStepBy.clear();
            Map<String, Long> runner = tasks.latestRunner();
            for (String id : tasks.midStep()) {
                for (int n = 1; n <= topology.orchestratorCount(); n++) {
                    if (batch.contains(id) && Objects.equals(runner.get(id), topology.pid("orchestrator-" + n))) {
                        midStepBy.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
                    }
                }
            }
            return !midStepBy.isEmpty();
        });
        int victim = midStepBy.keySet().iterator().next();
        long victimPid = topology.pid("orchestrator-" + victim);
        topology.run("kill-orchestrator", Integer.toString(victim));
        Instant killedAt = Instant.now();
        // what the dead process still held: running under its lease, it can no longer finish them
        Map<String, Long> runner = tasks.latestRunner();
        List<String> interrupted = tasks.rows(batch).values().stream()
                .filter(r -> "running".equals(r.status()) && Objects.equals(runner.get(r.id()), victimPid))
                .map(TaskTable.Row::id)
                .toList();
        assertThat(interrupted).as("tasks the killed orchestrator was running").isNotEmpty();

        Duration worst = Duration.ZERO;
        for (String id : interrupted) {
            Instant resumed = await("run of " + id + " resumed").atMost(RESUME_BOUND.plusSeconds(5))
                    .ignoreExceptions().until(() -> tasks.runStartedAfter(id, killedAt).orElse(null), r -> r != null);
            Duration stuck = Duration.between(killedAt, resumed);
            assertThat(stuck).as("%s stayed running after the kill", id).isLessThanOrEqualTo(RESUME_BOUND);
            worst = stuck.compareTo(worst) > 0 ? stuck : worst;
        }
        recovery.put("kill -9 orchestrator (interrupted runs resumed)", worst);
        notes.add("kill -9: orchestrator-" + victim + " (pid " + victimPid + ") held " + interrupted.size()
                + " running task(s)");
        awaitTerminal("after the kill", batch, DRAIN);
        assertAllSucceeded(batch, 0);
        assertNoOverlapAndAcceptanceOrder();

        topology.run("start"); // brings the killed orchestrator back
        rememberOrchestrators();
    }

    @Test
    @Order(3)
    void aBrokerRestartIsSurvived() throws Exception {
        List<String> batch = new ArrayList<>(api.submitBatch("topology/d-", 4, 3, 2, 300));
        ExecutorService background = Executors.newSingleThreadExecutor();
        // its own thread: the common pool has a single worker on two cores
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> topology.run("restart-broker"), background);
        // accepted while the broker is down: their wake-ups are lost, the sweeper finds them
        await("broker down").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> restart.isDone() || !topology.brokerListening());
        boolean downBefore = !topology.brokerListening();
        Instant submitting = Instant.now();
        batch.addAll(api.submitBatch("topology/d-", 4, 1, 2, 300));
        long submitMs = Duration.between(submitting, Instant.now()).toMillis();
        boolean downAfter = !topology.brokerListening();
        notes.add("broker restart: 4 tasks accepted in %d ms; broker listening before/after: %s/%s"
                .formatted(submitMs, !downBefore, !downAfter));
        restart.join();
        background.shutdown();
        recovery.put("broker restart (probe task done after the broker was back)",
                probe("topology/d-probe", Instant.now()));
        awaitTerminal("after the broker restart", batch, DRAIN);
        assertAllSucceeded(batch, 0);
        assertNoOverlapAndAcceptanceOrder();
    }

    @Test
    @Order(4)
    void aDatabaseRestartIsSurvived() throws Exception {
        List<String> batch = api.submitBatch("topology/d-db-", 4, 3, 2, 300);
        await("tasks running").atMost(Duration.ofSeconds(30)).until(() -> !tasks.midStep().isEmpty());
        topology.run("restart-db");
        recovery.put("PostgreSQL restart (probe task done after the database was back)",
                probe("topology/d-db-probe", Instant.now()));
        awaitTerminal("after the database restart", batch, DRAIN);
        assertAllSucceeded(batch, 0);
        assertNoOverlapAndAcceptanceOrder();
    }

    @Test
    @Order(5)
    void aStalledDatabaseAnswers503FastAndTheSystemRecovers() throws Exception {
        String known = api.accepted().values().iterator().next().get(0);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        proxy.stall();
        Instant resumedAt;
        try {
            for (int n = 1; n <= 2; n++) {
                calls.add(timed(n, "GET /api/tasks/{id}", api.get(n, "/api/tasks/" + known)));
                calls.add(timed(n, "POST /api/tasks/diagnostic",
                        api.post(n, TopologyApi.body("topology/e-stalled", 1, 10), "topology-stalled-" + n)));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        } finally {
            proxy.resume();
            resumedAt = Instant.now();
        }
        recovery.put("stalled database (probe task done after resume)", probe("topology/e-probe", resumedAt));
        List<String> batch = api.submitBatch("topology/e-", 2, 2, 2, 100);
        awaitTerminal("after the stall", batch, DRAIN);
        assertAllSucceeded(batch, 0);
        calls.forEach(call -> notes.add("stall: " + call.join()));
        // a request that holds a pooled connection waits for the socket: this needs the JDBC socket and
        // statement timeouts (the fencing work); without them it hangs until the database answers again
        assertThat(calls)
                .as("answers while the database stalled (bound %s; needs the JDBC timeouts)", STALL_ANSWER_BOUND)
                .allSatisfy(call -> assertThat(call.join()).startsWith("503 with Retry-After"));
    }

    @Test
    @Order(6)
    void everyAcceptedTaskSucceededAndNoTwoTasksOfAnEntityOverlapped() throws Exception {
        List<String> all = api.accepted().values().stream().flatMap(List::stream).toList();
        awaitTerminal("every task", all, DRAIN);
        assertAllSucceeded(all, 0);
        assertNoOverlapAndAcceptanceOrder();
        assertThat(tasks.runs().stream().map(TaskTable.Run::pid).distinct())
                .as("no run by a control-api").allMatch(orchestratorPids::contains);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** From {@code from} (the fault's end) until a fresh task, accepted as soon as the API takes it, succeeded. */
    private Duration probe(String entity, Instant from) throws Exception {
        String id = api.submit(1, entity, 1, 10);
        awaitTerminal(entity, List.of(id), DRAIN);
        assertAllSucceeded(List.of(id), 0);
        return Duration.between(from, Instant.now());
    }

    /** "503 with Retry-After 5 in 1234 ms (control-api-1 GET ...)", or what happened instead. */
    private CompletableFuture<String> timed(int api, String what, CompletableFuture<HttpResponse<String>> call) {
        Instant start = Instant.now();
        return call.handle((response, error) -> {
            long ms = Duration.between(start, Instant.now()).toMillis();
            String where = " in " + ms + " ms (control-api-" + api + " " + what + ")";
            if (error != null) {
                return "no answer: " + error.getClass().getSimpleName() + where;
            }
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            boolean fast = ms <= STALL_ANSWER_BOUND.toMillis();
            return (response.statusCode() == 503 && retryAfter != null && fast
                    ? "503 with Retry-After " + retryAfter
                    : response.statusCode()
                            + (retryAfter == null ? " without Retry-After" : " Retry-After " + retryAfter)
                            + (fast ? "" : " too slow"))
                    + where;
        });
    }

    private void awaitTerminal(String what, List<String> ids, Duration atMost) {
        await(what + ": " + ids.size() + " tasks terminal").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> tasks.allTerminal(ids));
    }

    /** Every task succeeded; with {@code attempts} > 0, in exactly that many attempts. */
    private void assertAllSucceeded(List<String> ids, int attempts) throws Exception {
        for (TaskTable.Row row : tasks.rows(ids).values()) {
            assertThat(row.status()).as("task %s of %s", row.id(), row.entity()).isEqualTo("succeeded");
            if (attempts > 0) {
                assertThat(row.attempt()).as("attempts of %s", row.id()).isEqualTo(attempts);
            }
        }
    }

    /** No whole-task overlap in any entity, and queue order = the order the test got its 202s. */
    private void assertNoOverlapAndAcceptanceOrder() throws Exception {
        assertThat(tasks.overlaps()).as("overlapping tasks of an entity").isEmpty();
        assertThat(tasks.stepsOutsideTheirTask()).as("steps outside their task's run").isEmpty();
        Map<String, List<TaskTable.Row>> byEntity = tasks.byEntity();
        api.accepted().forEach((entity, ids) -> assertThat(byEntity.get(entity).stream().map(TaskTable.Row::id))
                .as("queue order of %s", entity).containsExactlyElementsOf(ids));
    }

    private void rememberOrchestrators() {
        IntStream.rangeClosed(1, topology.orchestratorCount())
                .forEach(n -> orchestratorPids.add(topology.pid("orchestrator-" + n)));
    }

    private void summary() {
        StringBuilder out = new StringBuilder("\n==== DistributedTopologyIT summary\n");
        if (orchestratorJar == null) {
            return;
        }
        out.append("orchestrator jar: ").append(orchestratorJar).append('\n');
        try {
            Map<String, List<TaskTable.Row>> rows = tasks.byEntity();
            long submitted = rows.values().stream().mapToLong(List::size).sum();
            long succeeded = rows.values().stream().flatMap(List::stream).filter(r -> "succeeded".equals(r.status()))
                    .count();
            long retried = rows.values().stream().flatMap(List::stream).filter(r -> r.attempt() > 1).count();
            out.append("tasks submitted: %d, succeeded: %d, with more than one attempt: %d, overlaps found: %d%n"
                    .formatted(submitted, succeeded, retried, tasks.overlaps().size()));
        } catch (Exception e) {
            out.append("task figures unavailable: ").append(e).append('\n');
        }
        recovery.forEach(
                (fault, time) -> out.append("time to recovery, %s: %d ms%n".formatted(fault, time.toMillis())));
        notes.forEach(note -> out.append(note).append('\n'));
        LOG.info(out);
    }
}
