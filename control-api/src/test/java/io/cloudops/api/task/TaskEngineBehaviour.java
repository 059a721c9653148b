package io.cloudops.api.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's core promise, measured by {@link ProbeHandler}: tasks of one entity never overlap
 * and run in acceptance order; tasks of different entities run in parallel up to the session limit;
 * a task waiting for its retry holds back the tasks behind it. One suite for every task channel:
 * each subclass runs it on one ({@link InMemoryTaskEngineTest}, {@link AmqpTaskEngineTest}).
 */
abstract class TaskEngineBehaviour {

    @Inject
    protected TaskSubmitter submitter;

    @Inject
    protected TaskQueries queries;

    @Inject
    protected EngineConfig config;

    @Inject
    protected ObjectMapper json;

    @Inject
    protected InMemorySpanExporter spans;

    @BeforeEach
    void resetProbe() {
        ProbeHandler.EXECUTIONS.clear();
        ProbeHandler.MAX_IN_FLIGHT.set(0);
        ProbeHandler.MAX_IN_FLIGHT_PER_ENTITY.set(0);
    }

    @Test
    void tasksOfOneEntityNeverOverlapAndRunInAcceptanceOrderWhileEntitiesRunInParallel() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int entities = 12;
        List<UUID> ids = submitConcurrently(run, entities, 8);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream().allMatch(id -> status(id) == TaskStatus.SUCCEEDED));

        assertThat(ProbeHandler.MAX_IN_FLIGHT.get()).as("runs across entities at the same moment")
                .isGreaterThan(1).isLessThanOrEqualTo(config.maxConcurrentSessions());
        assertExclusiveAndInAcceptanceOrder(run, entities);
    }

    /**
     * Submits {@code perEntity} probe tasks for each of {@code entities} entities named after
     * {@code run}: one client per entity submits that entity's tasks one after another (so their
     * acceptance order is defined); the clients of different entities run in parallel.
     */
    protected List<UUID> submitConcurrently(String run, int entities, int perEntity) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<List<UUID>>> submitted = new java.util.LinkedHashMap<>();
            for (int e = 0; e < entities; e++) {
                String entity = "fifo-" + run + "-" + e;
                // each entity's first task waits inside its step until another entity's run is in one too
                submitted.put(entity, clients.submit(() -> java.util.stream.IntStream.range(0, perEntity)
                        .mapToObj(i -> submit(entity, i == 0 ? probe(2).put("meet", 2) : probe(2))).toList()));
            }
            List<UUID> ids = new ArrayList<>();
            for (Future<List<UUID>> f : submitted.values()) {
                ids.addAll(f.get());
            }
            return ids;
        } finally {
            clients.shutdown();
        }
    }

    /**
     * No two runs of one entity overlapped, and each entity's tasks ran in acceptance order as whole
     * tasks: task N+1's first step started only after task N's last step ended and after task N
     * finished (its {@code finishedAt}). Steps of two tasks of one entity that interleave (A1 B1 A2
     * B2), even without overlapping, fail this.
     */
    protected void assertExclusiveAndInAcceptanceOrder(String run, int entities) {
        assertThat(ProbeHandler.MAX_IN_FLIGHT_PER_ENTITY.get()).as("runs of one entity at the same moment")
                .isEqualTo(1);
        Map<String, List<ProbeHandler.Execution>> byEntity = executionsByEntity(run);
        assertThat(byEntity).hasSize(entities);
        for (var entry : byEntity.entrySet()) {
            List<ProbeHandler.Execution> executions = new ArrayList<>(entry.getValue());
            executions.sort(Comparator.comparingLong(ProbeHandler.Execution::startNanos));
            for (int i = 1; i < executions.size(); i++) {
                assertThat(executions.get(i).startNanos()).as("no overlap within %s", entry.getKey())
                        .isGreaterThanOrEqualTo(executions.get(i - 1).endNanos());
            }
            List<TaskSummaryView> accepted = queries
                    .list(new TaskQueries.Filter(null, ProbeHandler.TYPE, entry.getKey()), 0, 100).items()
                    .stream().sorted(Comparator.comparing(TaskSummaryView::createdAt)).toList();
            List<String> acceptanceOrder = accepted.stream().map(t -> t.id().toString()).toList();
            // the tasks in the order their steps ran, one entry per change of task: [A, B, A] if steps interleaved
            List<String> runOrder = new ArrayList<>();
            for (ProbeHandler.Execution x : executions) {
                if (runOrder.isEmpty() || !runOrder.getLast().equals(x.taskId())) {
                    runOrder.add(x.taskId());
                }
            }
            assertThat(runOrder).as("each task of %s ran as one block, in acceptance order", entry.getKey())
                    .isEqualTo(acceptanceOrder);
            for (int n = 1; n < accepted.size(); n++) {
                TaskSummaryView previous = accepted.get(n - 1);
                String next = accepted.get(n).id().toString();
                long previousLastEnd = executions.stream().filter(x -> x.taskId().equals(previous.id().toString()))
                        .mapToLong(ProbeHandler.Execution::endNanos).max().orElseThrow();
                ProbeHandler.Execution nextFirst = executions.stream().filter(x -> x.taskId().equals(next))
                        .findFirst().orElseThrow();
                assertThat(nextFirst.startNanos()).as("task %d of %s starts after task %d's last step ended", n + 1,
                        entry.getKey(), n).isGreaterThanOrEqualTo(previousLastEnd);
                assertThat(nextFirst.startedAt()).as("task %d of %s starts after task %d finished", n + 1,
                        entry.getKey(), n).isAfterOrEqualTo(previous.finishedAt());
            }
        }
    }

    protected Map<String, List<ProbeHandler.Execution>> executionsByEntity(String run) {
        return ProbeHandler.EXECUTIONS.stream()
                .filter(x -> x.entityId().contains(run))
                .collect(Collectors.groupingBy(ProbeHandler.Execution::entityId));
    }

    @Test
    void aTaskWaitingForItsRetryHoldsBackTheTasksBehindIt() {
        String entity = "retry-order-" + UUID.randomUUID();
        UUID first = submit(entity, probe(1).put("failTimes", 2));
        UUID second = submit(entity, probe(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> status(second) == TaskStatus.SUCCEEDED);

        TaskView firstView = queries.get(first).orElseThrow();
        assertThat(firstView.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(firstView.attempt()).isEqualTo(3);
        long firstEnd = ProbeHandler.EXECUTIONS.stream().filter(x -> x.taskId().equals(first.toString()))
                .mapToLong(ProbeHandler.Execution::endNanos).max().orElseThrow();
        long secondStart = ProbeHandler.EXECUTIONS.stream().filter(x -> x.taskId().equals(second.toString()))
                .mapToLong(ProbeHandler.Execution::startNanos).min().orElseThrow();
        assertThat(secondStart).as("second starts after the first's last attempt").isGreaterThan(firstEnd);
    }

    @Test
    void aResumedTaskDoesNotRepeatStepsThatSucceeded() {
        String entity = "resume-" + UUID.randomUUID();
        // three steps; every step fails on attempt 1, so step 1 succeeds on attempt 2 and later steps follow
        UUID id = submit(entity, probe(3).put("failTimes", 1));

        await().atMost(Duration.ofSeconds(30)).until(() -> status(id) == TaskStatus.SUCCEEDED);

        TaskView view = queries.get(id).orElseThrow();
        assertThat(view.steps()).extracting(s -> s.status()).containsOnly(StepStatus.SUCCEEDED);
        List<ProbeHandler.Execution> executions = ProbeHandler.EXECUTIONS.stream()
                .filter(x -> x.taskId().equals(id.toString())).toList();
        // attempt 1 fails in step 1; attempt 2 runs steps 1, 2, 3 once each
        assertThat(executions).hasSize(4);
        assertThat(view.attempt()).isEqualTo(2);
    }

    @Test
    void aBusySessionYieldsToWaitingSessionsAfterMaxMessagesPerSession() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String gate = "fair-" + run;
        int busyEntities = config.maxConcurrentSessions();
        int queued = 4 * config.maxMessagesPerSession();
        // every slot busy with an entity that has a long queue; the first task of each waits at a gate
        for (int e = 0; e < busyEntities; e++) {
            submit("busy-" + run + "-" + e, probe(1).put("gate", gate));
            for (int i = 1; i < queued; i++) {
                submit("busy-" + run + "-" + e, probe(1));
            }
        }
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();
        UUID newcomer = submit("newcomer-" + run, probe(1));
        ProbeHandler.open(gate);

        await().atMost(Duration.ofSeconds(60)).until(() -> status(newcomer) == TaskStatus.SUCCEEDED);
        long newcomerStart = ProbeHandler.EXECUTIONS.stream().filter(x -> x.taskId().equals(newcomer.toString()))
                .mapToLong(ProbeHandler.Execution::startNanos).min().orElseThrow();
        long busyBefore = ProbeHandler.EXECUTIONS.stream()
                .filter(x -> x.entityId().startsWith("busy-" + run) && x.startNanos() < newcomerStart).count();
        // without yielding the newcomer would wait until a busy entity ran its whole queue (all slots ~ queued tasks);
        // with it, each busy session lets go after max-messages-per-session tasks (plus the ones already claimed)
        assertThat(busyBefore).as("busy tasks that ran before the newcomer got a slot")
                .isLessThan((long) busyEntities * (config.maxMessagesPerSession() + 2));
    }

    /**
     * One trace from the API request to the last step, across the channel: each run (attempt) of the
     * task is a child span of the request that accepted it (its traceparent travels with the task), and
     * each step a run executes is a child span of that run; a retried attempt resumes after the steps
     * that succeeded, so it has spans for the rest only.
     */
    @Test
    void eachRunIsAChildSpanOfTheAcceptingRequestAndEachStepAChildOfItsRun() {
        spans.reset();
        String entity = "traced-" + UUID.randomUUID();
        String id = given().contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"steps\":2,\"stepMillis\":1,\"fail\":\"times:1\"}")
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(UUID.fromString(id)) == TaskStatus.SUCCEEDED);

        List<SpanData> runs = await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(id, "run diagnostic"),
                found -> found.size() == 2);
        runs = runs.stream().sorted(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT))).toList();
        String traceId = runs.getFirst().getTraceId();
        List<SpanData> trace = await().atMost(Duration.ofSeconds(10)).until(
                () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                found -> found.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
        SpanData request = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(request.getName()).contains("/api/tasks/diagnostic");

        for (SpanData run : runs) {
            assertThat(run.getTraceId()).as("one trace for the request and every attempt").isEqualTo(traceId);
            assertThat(run.getParentSpanId()).as("the run's parent is the accepting request")
                    .isEqualTo(request.getSpanId());
            assertThat(run.getAttributes().get(AttributeKey.stringKey("cloudops.task.type"))).isEqualTo("diagnostic");
            assertThat(run.getAttributes().get(AttributeKey.stringKey("cloudops.entity.id"))).isEqualTo(entity);
        }
        assertThat(runs).extracting(s -> s.getAttributes().get(ATTEMPT)).containsExactly(1L, 2L);
        assertThat(runs).extracting(s -> s.getAttributes().get(AttributeKey.stringKey("cloudops.task.outcome")))
                .containsExactly("retrying", "succeeded");

        Map<String, List<String>> stepsByRun = trace.stream().filter(s -> s.getName().startsWith("step "))
                .collect(Collectors.groupingBy(SpanData::getParentSpanId, Collectors.mapping(
                        s -> s.getName() + "=" + s.getAttributes().get(AttributeKey.stringKey("cloudops.step.outcome")),
                        Collectors.toList())));
        assertThat(stepsByRun).as("step spans by parent span").containsOnlyKeys(runs.get(0).getSpanId(),
                runs.get(1).getSpanId());
        assertThat(stepsByRun.get(runs.get(0).getSpanId())).containsExactlyInAnyOrder("step step-1=succeeded",
                "step step-2=failed");
        assertThat(stepsByRun.get(runs.get(1).getSpanId())).containsExactly("step step-2=succeeded");
        assertChannelSpans(request, trace);
        org.jboss.logging.Logger.getLogger(getClass()).infof("Trace %s of task %s:%n%s", traceId, id,
                traceTree(trace, request, ""));
    }

    /** The trace as an indented tree (the closing notes and operators read it): name, kind, key attributes. */
    private static String traceTree(List<SpanData> trace, SpanData span, String indent) {
        StringBuilder tree = new StringBuilder(indent).append(span.getName()).append(" [")
                .append(span.getKind()).append(", ")
                .append((span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000_000).append(" ms");
        span.getAttributes().forEach((key, value) -> {
            if (key.getKey().startsWith("cloudops.") && !key.getKey().endsWith(".id")) {
                tree.append(", ").append(key.getKey()).append('=').append(value);
            }
        });
        tree.append("]\n");
        trace.stream().filter(child -> child.getParentSpanId().equals(span.getSpanId()))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .forEach(child -> tree.append(traceTree(trace, child, indent + "  ")));
        return tree.toString();
    }

    /** What the channel adds to the trace between the request and the run (the in-memory one: nothing). */
    protected void assertChannelSpans(SpanData request, List<SpanData> trace) {
    }

    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("cloudops.task.attempt");

    private List<SpanData> spansOf(String taskId, String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
                .filter(s -> taskId.equals(s.getAttributes().get(AttributeKey.stringKey("cloudops.task.id"))))
                .toList();
    }

    protected UUID submit(String entity, ObjectNode payload) {
        return submitter
                .submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity, payload, "test", null, null, null))
                .taskId();
    }

    protected ObjectNode probe(int steps) {
        return json.createObjectNode().put("steps", steps);
    }

    protected TaskStatus status(UUID id) {
        return queries.get(id).map(TaskView::status).orElseThrow();
    }
}
