package io.cloudops.api.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.engine.TaskStore;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wide shape users have, 10,000 entities with two tasks each, drained while the engine batches
 * the claims and finishes of its sessions into shared transactions: batching must never run two
 * tasks of one entity at once, nor out of acceptance order (the trap graphile/worker#621 fell into
 * with batched claims). Checked twice: from the probe's own execution intervals, and from the task
 * rows (each task started after the one before it on its entity finished).
 */
@QuarkusTest
class WideShapeOrderTest {

    private static final int ENTITIES = 10_000;
    private static final int PER_ENTITY = 2;

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskStore store;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void batchedClaimsAndFinishesKeepOneTaskAtATimeInOrderAcross10000Entities() throws Exception {
        String run = "wide-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        long batchedBefore = store.writesInBatches();
        int maxPerEntityBefore = ProbeHandler.MAX_IN_FLIGHT_PER_ENTITY.get();
        Map<String, List<String>> accepted = submit(run);

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> unfinished(run) == 0);

        assertThat(store.writesInBatches() - batchedBefore).as("claims and finishes written in shared transactions")
                .isGreaterThan(ENTITIES / 10);
        assertThat(maxPerEntityBefore).as("no earlier test ran two tasks of one entity at once").isLessThanOrEqualTo(1);
        assertThat(ProbeHandler.MAX_IN_FLIGHT_PER_ENTITY.get()).as("runs of one entity inside a step at once")
                .isLessThanOrEqualTo(1);
        Map<String, List<ProbeHandler.Execution>> byEntity = ProbeHandler.EXECUTIONS.stream()
                .filter(x -> x.entityId().startsWith(run))
                .collect(Collectors.groupingBy(ProbeHandler.Execution::entityId));
        assertThat(byEntity).hasSize(ENTITIES);
        int pairs = 0;
        for (var entry : byEntity.entrySet()) {
            List<ProbeHandler.Execution> executions = new ArrayList<>(entry.getValue());
            executions.sort(Comparator.comparingLong(ProbeHandler.Execution::startNanos));
            assertThat(executions.stream().map(ProbeHandler.Execution::taskId).toList())
                    .as("the runs of %s, in the order they started", entry.getKey())
                    .isEqualTo(accepted.get(entry.getKey()));
            for (int i = 1; i < executions.size(); i++) {
                assertThat(executions.get(i).startNanos()).as("no overlap within %s", entry.getKey())
                        .isGreaterThanOrEqualTo(executions.get(i - 1).endNanos());
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(ENTITIES * (PER_ENTITY - 1));
        long[] fromRows = orderFromRows(run);
        assertThat(fromRows[0]).as("same-entity pairs in the task rows").isEqualTo((long) ENTITIES * (PER_ENTITY - 1));
        assertThat(fromRows[1]).as("tasks that started before the one ahead of them on their entity finished")
                .isZero();
    }

    /** Each entity's tasks by one client, one after another (their acceptance order is defined); entities in parallel. */
    private Map<String, List<String>> submit(String run) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<String, List<String>>>> parts = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                int part = k;
                parts.add(clients.submit(() -> {
                    Map<String, List<String>> ids = new java.util.HashMap<>();
                    for (int e = part; e < ENTITIES; e += 8) {
                        String entity = run + e;
                        for (int i = 0; i < PER_ENTITY; i++) {
                            UUID id = submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity,
                                    json.createObjectNode().put("steps", 1), "test", null, null, null)).taskId();
                            ids.computeIfAbsent(entity, x -> new ArrayList<>()).add(id.toString());
                        }
                    }
                    return ids;
                }));
            }
            Map<String, List<String>> all = new java.util.HashMap<>();
            for (Future<Map<String, List<String>>> f : parts) {
                all.putAll(f.get());
            }
            return all;
        } finally {
            clients.shutdown();
        }
    }

    private long unfinished(String run) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM task WHERE entity_id LIKE ? AND status <> 'succeeded'")) {
            s.setString(1, run + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Same-entity pairs of consecutive tasks (by queue position), and those whose later task started first. */
    private long[] orderFromRows(String run) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT count(*), count(*) FILTER (WHERE started_at < previous_finished)
                FROM (SELECT started_at, lag(finished_at) OVER (PARTITION BY entity_id ORDER BY queue_position)
                             AS previous_finished
                      FROM task WHERE entity_id LIKE ?) t
                WHERE previous_finished IS NOT NULL""")) {
            s.setString(1, run + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
