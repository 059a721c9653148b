package io.cloudops.api.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskErrors;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The busy policies (docs/change-safety.md), each on the probe under its own task type
 * ({@link PolicyProbes}): what a new request does to its entity's running and queued work, decided
 * atomically under concurrent submissions, with the entity's runs still exclusive and in order
 * (checked from the probe's recorded executions against the task rows, as {@link TaskEngineBehaviour} does).
 */
@QuarkusTest
class BusyPolicyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskQueries queries;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void resetProbe() {
        ProbeHandler.EXECUTIONS.clear();
        ProbeHandler.MAX_IN_FLIGHT_PER_ENTITY.set(0);
    }

    @Test
    void skipIfBusyRefusesWith409NamingTheRunningTaskAndAcceptsOnceTheEntityIsIdle() throws Exception {
        String entity = "skip-" + UUID.randomUUID();
        String gate = "gate-" + entity;
        UUID running = submit(PolicyProbes.SKIP, entity, probe(1).put("gate", gate));
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();

        assertThatThrownBy(() -> submit(PolicyProbes.SKIP, entity, probe(1)))
                .isInstanceOfSatisfying(TaskErrors.EntityBusy.class,
                        busy -> assertThat(busy.busyTaskId()).isEqualTo(running))
                .hasMessageContaining(running.toString()).hasMessageContaining("skip-if-busy");
        assertThat(tasksOf(entity)).as("nothing was queued for the refused request").hasSize(1);

        ProbeHandler.open(gate);
        await().atMost(TIMEOUT).until(() -> status(running) == TaskStatus.SUCCEEDED);
        UUID later = submit(PolicyProbes.SKIP, entity, probe(1));
        await().atMost(TIMEOUT).until(() -> status(later) == TaskStatus.SUCCEEDED);
    }

    @Test
    void skipIfBusyAcceptsExactlyOneOfConcurrentRequestsForAnIdleEntity() throws Exception {
        String entity = "skip-race-" + UUID.randomUUID();
        String gate = "gate-" + entity;
        List<Object> outcomes = race(8, () -> submit(PolicyProbes.SKIP, entity, probe(1).put("gate", gate)));
        try {
            List<UUID> accepted = outcomes.stream().filter(UUID.class::isInstance).map(UUID.class::cast).toList();
            assertThat(accepted).as("accepted of 8 concurrent skip-if-busy requests").hasSize(1);
            assertThat(outcomes).filteredOn(TaskErrors.EntityBusy.class::isInstance).hasSize(7)
                    .allSatisfy(busy -> assertThat(((TaskErrors.EntityBusy) busy).busyTaskId())
                            .isEqualTo(accepted.getFirst()));
            assertThat(tasksOf(entity)).extracting(TaskSummaryView::id).containsExactly(accepted.getFirst());
        } finally {
            ProbeHandler.open(gate);
        }
    }

    @Test
    void replacePendingSupersedesTheQueuedRequestAndRunsOnlyTheNewestInOrder() throws Exception {
        String entity = "replace-" + UUID.randomUUID();
        String gate = "gate-" + entity;
        // a plain (queueing) task holds the entity, so the replace-pending requests wait behind it
        UUID holder = submit(ProbeHandler.TYPE, entity, probe(1).put("gate", gate));
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();
        UUID first = submit(PolicyProbes.REPLACE, entity, probe(2));
        UUID second = submit(PolicyProbes.REPLACE, entity, probe(2));
        UUID third = submit(PolicyProbes.REPLACE, entity, probe(2));

        assertThat(status(first)).isEqualTo(TaskStatus.SUPERSEDED);
        assertThat(status(second)).isEqualTo(TaskStatus.SUPERSEDED);
        assertThat(queries.get(first).orElseThrow().supersededBy()).isEqualTo(second);
        assertThat(queries.get(second).orElseThrow().supersededBy()).isEqualTo(third);
        assertThat(queries.get(holder).orElseThrow().status()).as("other types are not replaced")
                .isEqualTo(TaskStatus.RUNNING);

        ProbeHandler.open(gate);
        await().atMost(TIMEOUT).until(() -> status(third) == TaskStatus.SUCCEEDED);
        TaskView superseded = queries.get(first).orElseThrow();
        assertThat(superseded.finishedAt()).isNotNull();
        assertThat(superseded.error().message()).contains(second.toString());
        assertThat(superseded.steps()).extracting(s -> s.status().value()).containsOnly("skipped");
        assertThat(ranInOrder(entity)).as("only the holder and the newest request ran, in that order")
                .containsExactly(holder.toString(), third.toString());
        assertExclusive(entity, List.of(holder, third));
    }

    @Test
    void replacePendingLeavesExactlyOneQueuedTaskUnderConcurrentRequests() throws Exception {
        String entity = "replace-race-" + UUID.randomUUID();
        String gate = "gate-" + entity;
        UUID holder = submit(ProbeHandler.TYPE, entity, probe(1).put("gate", gate));
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();
        List<Object> outcomes = race(8, () -> submit(PolicyProbes.REPLACE, entity, probe(1)));
        assertThat(outcomes).allMatch(UUID.class::isInstance);

        List<TaskView> requests = outcomes.stream().map(id -> queries.get((UUID) id).orElseThrow()).toList();
        assertThat(requests).filteredOn(t -> t.status() == TaskStatus.QUEUED).as("still queued").hasSize(1);
        UUID survivor = requests.stream().filter(t -> t.status() == TaskStatus.QUEUED).findFirst().orElseThrow().id();
        assertThat(requests).filteredOn(t -> t.status() == TaskStatus.SUPERSEDED).hasSize(7)
                .allSatisfy(t -> assertThat(t.supersededBy()).isNotNull().isNotEqualTo(t.id()));

        ProbeHandler.open(gate);
        await().atMost(TIMEOUT).until(() -> status(survivor) == TaskStatus.SUCCEEDED);
        assertThat(ranInOrder(entity)).containsExactly(holder.toString(), survivor.toString());
    }

    @Test
    void cancelRunningCancelsTheRunningTaskCooperativelyThenRunsTheNewOneBehindIt() throws Exception {
        String entity = "cancel-" + UUID.randomUUID();
        String gate = "gate-" + entity; // never opened: only the cancel ends the first run
        UUID running = submit(PolicyProbes.CANCEL, entity, probe(2).put("gate", gate));
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();

        UUID next = submit(PolicyProbes.CANCEL, entity, probe(2));

        await().atMost(TIMEOUT).until(() -> status(next) == TaskStatus.SUCCEEDED);
        TaskView cancelled = queries.get(running).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(ranInOrder(entity)).containsExactly(running.toString(), next.toString());
        assertExclusive(entity, List.of(running, next));
    }

    /** Runs {@code n} submissions at once (released together); each outcome is a task id or the exception. */
    private static List<Object> race(int n, Callable<UUID> submission) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return submission.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdown();
        }
    }

    /** The entity's tasks in the order their steps ran, one entry per change of task. */
    private static List<String> ranInOrder(String entity) {
        List<ProbeHandler.Execution> executions = ProbeHandler.EXECUTIONS.stream()
                .filter(x -> x.entityId().equals(entity))
                .sorted(Comparator.comparingLong(ProbeHandler.Execution::startNanos)).toList();
        List<String> order = new ArrayList<>();
        for (ProbeHandler.Execution x : executions) {
            if (order.isEmpty() || !order.getLast().equals(x.taskId())) {
                order.add(x.taskId());
            }
        }
        return order;
    }

    /** Each task's first step started after the previous one's last step ended and after it finished. */
    private void assertExclusive(String entity, List<UUID> inOrder) {
        for (int n = 1; n < inOrder.size(); n++) {
            String previous = inOrder.get(n - 1).toString();
            String next = inOrder.get(n).toString();
            long previousEnd = ProbeHandler.EXECUTIONS.stream().filter(x -> x.taskId().equals(previous))
                    .mapToLong(ProbeHandler.Execution::endNanos).max().orElseThrow();
            ProbeHandler.Execution nextFirst = ProbeHandler.EXECUTIONS.stream().filter(x -> x.taskId().equals(next))
                    .min(Comparator.comparingLong(ProbeHandler.Execution::startNanos)).orElseThrow();
            assertThat(nextFirst.startNanos()).as("%s starts after %s ended on %s", next, previous, entity)
                    .isGreaterThanOrEqualTo(previousEnd);
            assertThat(nextFirst.startedAt())
                    .isAfterOrEqualTo(queries.get(inOrder.get(n - 1)).orElseThrow().finishedAt());
        }
    }

    private List<TaskSummaryView> tasksOf(String entity) {
        return queries.list(new TaskQueries.Filter(null, null, entity), 0, 100).items();
    }

    private UUID submit(String type, String entity, ObjectNode payload) {
        return submitter.submit(new TaskSubmitter.Submission(type, entity, payload, "test", null, null, null)).taskId();
    }

    private ObjectNode probe(int steps) {
        return json.createObjectNode().put("steps", steps);
    }

    private TaskStatus status(UUID id) {
        return queries.get(id).map(TaskView::status).orElseThrow();
    }
}
