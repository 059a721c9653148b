package io.cloudops.api.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.testsupport.StalledDatabaseProfile;
import io.cloudops.api.testsupport.StalledDatabaseResource;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.LeaseFence;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Self-fencing leases under a database stall: a run whose lease cannot be renewed stops (is
 * interrupted and abandoned, writing nothing) before the lease can expire, and the entity's next run
 * starts only after that lease expired, so the two runs never overlap. The database is stalled by
 * the proxy of {@link StalledDatabaseProfile}; the test reads it directly, around the proxy.
 */
@QuarkusTest
@TestProfile(StalledDatabaseProfile.class)
class LeaseFencingTest {

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskQueries queries;

    @Inject
    EngineConfig engine;

    @Inject
    LeaseFence fence;

    @Inject
    ObjectMapper json;

    @AfterEach
    void resume() {
        StalledDatabaseResource.proxy().resume();
    }

    /** One row of {@code task_event}. */
    record Event(long seq, String kind, String status, String message) {
    }

    /** What the database holds of a task (read around the proxy). */
    record Snapshot(String status, UUID claimToken, int attempt, long eventSeq, long logSeq, List<Event> events,
            List<String> stepStatuses) {
    }

    @Test
    void aRunThatCannotRenewItsLeaseStopsBeforeItExpiresAndTheNextRunStartsOnlyAfterIt() throws Exception {
        Duration lease = engine.leaseDuration();
        String entity = "fenced-" + UUID.randomUUID();
        // one step that lasts until the test opens its gate, longer than the lease: it lives only through renewals
        String gate = "fence-" + entity;
        UUID id = submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity,
                json.createObjectNode().put("gate", gate).put("steps", 1), "test", null, null, null))
                .taskId();

        try (Connection direct = StalledDatabaseResource.directConnection()) {
            // attempt 1 is inside its step, and its start and first log line are written
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Snapshot s = snapshot(direct, id);
                return s.status().equals("running") && s.stepStatuses().equals(List.of("running")) && s.logSeq() >= 1;
            });
            Snapshot beforeStall = snapshot(direct, id);

            StalledDatabaseResource.proxy().stall();
            Instant stalledAt = Instant.now();
            ProbeHandler.Execution first = await().atMost(lease.plusSeconds(10))
                    .until(() -> execution(id, 1), Optional::isPresent).orElseThrow();
            // the lease as the database has it: the last renewal that got through before the stall
            Instant expiresAt = leaseExpiry(direct, entity);
            Snapshot whileStalled = snapshot(direct, id);

            assertThat(first.interrupted()).as("attempt 1 ended by the fencing interrupt").isTrue();
            assertThat(first.endedAt()).as("interrupted after the stall began").isAfter(stalledAt)
                    .as("interrupted before its lease could expire").isBefore(expiresAt);
            assertThat(Duration.between(first.endedAt(), expiresAt))
                    .as("stopped about the safety margin before expiry").isLessThanOrEqualTo(fence.safetyMargin());
            assertThat(whileStalled).as("nothing written for the abandoned attempt").isEqualTo(beforeStall);

            StalledDatabaseResource.proxy().resume();
            // a task behind it wakes the entity up at once, while the abandoned run's lease (ours) is still live:
            // this process must not take its own lease back before it expired
            UUID behind = submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity,
                    json.createObjectNode().put("steps", 1), "test", null, null, null)).taskId();
            assertThat(Instant.now()).as("woken up before the old lease expired (else this proves nothing)")
                    .isBefore(expiresAt);
            // attempt 2 (after the old lease expired) finds the step's gate open and ends its step
            ProbeHandler.open(gate);
            await().atMost(lease.multipliedBy(2).plusSeconds(30))
                    .until(() -> queries.get(behind).map(TaskView::status).orElseThrow() == TaskStatus.SUCCEEDED);
            assertThat(queries.get(id).map(TaskView::status).orElseThrow()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(execution(behind, 1).orElseThrow().startNanos()).as("the task behind runs after it")
                    .isGreaterThan(execution(id, 2).orElseThrow().endNanos());

            ProbeHandler.Execution second = execution(id, 2).orElseThrow();
            assertThat(second.interrupted()).isFalse();
            assertThat(second.startedAt()).as("the next run starts only after the old lease expired")
                    .isAfterOrEqualTo(expiresAt);
            assertThat(second.startNanos()).as("no overlap of the two runs").isGreaterThan(first.endNanos());
            assertThat(ProbeHandler.EXECUTIONS.stream().filter(x -> x.taskId().equals(id.toString())))
                    .as("the step ran once per attempt").hasSize(2);

            Snapshot done = snapshot(direct, id);
            assertThat(done.attempt()).as("the abandoned attempt counts").isEqualTo(2);
            List<Event> after = done.events().stream().filter(e -> e.seq() > beforeStall.eventSeq()).toList();
            assertThat(after.getFirst()).as("the first event after the stall is the recovery, not attempt 1's")
                    .satisfies(e -> assertThat(e.status()).isEqualTo("queued"))
                    .satisfies(e -> assertThat(e.message()).contains("attempt 1 stopped"));
            assertThat(done.events()).filteredOn(e -> e.kind().equals("task") && "succeeded".equals(e.status()))
                    .as("succeeded exactly once").hasSize(1);
            assertThat(done.events()).filteredOn(e -> e.kind().equals("task") && "running".equals(e.status()))
                    .extracting(Event::message).as("two runs, attempt 1 then attempt 2")
                    .satisfiesExactly(m -> assertThat(m).startsWith("attempt 1 of"),
                            m -> assertThat(m).startsWith("attempt 2 of"));
            assertThat(done.events()).filteredOn(e -> "failed".equals(e.status()) || "interrupted".equals(e.message()))
                    .as("the interrupt is not recorded as a failure").isEmpty();
        }
    }

    private static Optional<ProbeHandler.Execution> execution(UUID id, int attempt) {
        return ProbeHandler.EXECUTIONS.stream()
                .filter(x -> x.taskId().equals(id.toString()) && x.attempt() == attempt).findFirst();
    }

    private static Instant leaseExpiry(Connection c, String entity) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT expires_at FROM entity_lease WHERE entity_id = ?")) {
            select.setString(1, entity);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as("the abandoned run's lease is kept until it expires").isTrue();
                return rs.getTimestamp("expires_at").toInstant();
            }
        }
    }

    private static Snapshot snapshot(Connection c, UUID id) throws SQLException {
        String status;
        UUID token;
        int attempt;
        long eventSeq;
        long logSeq;
        try (PreparedStatement task = c
                .prepareStatement("SELECT status, claim_token, attempt, event_seq, log_seq FROM task WHERE id = ?")) {
            task.setObject(1, id);
            try (ResultSet rs = task.executeQuery()) {
                rs.next();
                status = rs.getString("status");
                token = rs.getObject("claim_token", UUID.class);
                attempt = rs.getInt("attempt");
                eventSeq = rs.getLong("event_seq");
                logSeq = rs.getLong("log_seq");
            }
        }
        List<Event> events = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT seq, kind, status, message FROM task_event WHERE task_id = ? ORDER BY seq")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(new Event(rs.getLong("seq"), rs.getString("kind"), rs.getString("status"),
                            rs.getString("message")));
                }
            }
        }
        List<String> steps = new ArrayList<>();
        try (PreparedStatement select = c
                .prepareStatement("SELECT status FROM task_step WHERE task_id = ? ORDER BY idx")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("status"));
                }
            }
        }
        return new Snapshot(status, token, attempt, eventSeq, logSeq, events, steps);
    }
}
