package io.cloudops.api.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.engine.RunJournal;
import io.cloudops.orchestrator.engine.TaskStore;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A batch of the engine's group commit in which one run lost its claim: that run gets its own
 * {@link TaskStore.LostClaimException} and nothing of it is written, while the run beside it in the same
 * transaction finishes. The batch is made deterministic: the runs are claimed under a lease owner of the
 * test's own (the engine finds those entities busy), the writer is held inside a third run's finish by a row
 * lock from another connection, and the two finishes queue up behind it, so the next writer takes them together.
 */
@QuarkusTest
class BatchedFinishTest {

    private static final String OWNER = "batched-finish-test";

    @Inject
    TaskStore store;

    @Inject
    TaskSubmitter submitter;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void aRunThatLostItsClaimInABatchWritesNothingWhileTheOtherRunOfTheBatchFinishes() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String held = "batch-held-" + run;
        String lost = "batch-lost-" + run;
        String kept = "batch-kept-" + run;
        for (String entity : List.of(held, lost, kept)) {
            sql("INSERT INTO entity_lease (entity_id, owner, expires_at) VALUES (?, ?, now() + interval '5 minutes')",
                    entity, OWNER);
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            RunJournal heldRun = claim(held);
            RunJournal lostRun = claim(lost);
            RunJournal keptRun = claim(kept);
            long batchedBefore = store.writesInBatches();
            Future<TaskStore.Finished> heldFinish;
            Future<TaskStore.Finished> lostFinish;
            Future<TaskStore.Finished> keptFinish;
            try (Connection blocker = dataSource.getConnection()) {
                blocker.setAutoCommit(false);
                try (PreparedStatement lock = blocker.prepareStatement("SELECT 1 FROM task WHERE id = ? FOR UPDATE")) {
                    lock.setObject(1, heldRun.taskId());
                    lock.executeQuery().close();
                }
                heldFinish = threads.submit(() -> finish(heldRun));
                await().atMost(Duration.ofSeconds(10)).until(() -> waitsForLock(heldRun.taskId()));
                // the writer is inside the held run's finish: these two wait for the next writer, together
                sql("UPDATE task SET claim_token = ? WHERE id = ?", UUID.randomUUID(), lostRun.taskId());
                lostFinish = threads.submit(() -> finish(lostRun));
                keptFinish = threads.submit(() -> finish(keptRun));
                await().atMost(Duration.ofSeconds(10)).until(() -> store.writesWaiting() >= 2);
                blocker.rollback();
            }
            assertThat(heldFinish.get(30, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(keptFinish.get(30, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThatThrownBy(() -> lostFinish.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    TaskStore.LostClaimException.class);
            assertThat(store.writesInBatches() - batchedBefore).as("the two finishes shared a transaction")
                    .isGreaterThanOrEqualTo(2);

            assertThat(status(keptRun.taskId())).isEqualTo("succeeded");
            assertThat(count(
                    "SELECT count(*) FROM task_event WHERE task_id = ? AND status = 'succeeded' AND kind = 'task'",
                    keptRun.taskId())).isEqualTo(1);
            assertThat(status(lostRun.taskId())).as("the run that lost its claim changed nothing").isEqualTo("running");
            assertThat(count("SELECT count(*) FROM task_event WHERE task_id = ? AND status = 'succeeded'",
                    lostRun.taskId())).isZero();
            assertThat(count("SELECT count(*) FROM task_step WHERE task_id = ? AND status = 'succeeded'",
                    lostRun.taskId())).isZero();
        } finally {
            threads.shutdownNow();
            // the task whose claim was stolen is nobody's: end it, and give the entities back
            sql("UPDATE task SET status = 'cancelled', claim_token = NULL, finished_at = now() "
                    + "WHERE entity_id = ? AND status = 'running'", lost);
            sql("DELETE FROM entity_lease WHERE owner = ?", OWNER);
        }
    }

    private RunJournal claim(String entity) {
        UUID id = submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity,
                json.createObjectNode().put("steps", 1), "test", null, null, null)).taskId();
        TaskStore.Claim claim = store.claimNext(entity, OWNER);
        assertThat(claim).isInstanceOf(TaskStore.Claim.Claimed.class);
        RunJournal journal = ((TaskStore.Claim.Claimed) claim).run();
        assertThat(journal.taskId()).isEqualTo(id);
        return journal;
    }

    private TaskStore.Finished finish(RunJournal journal) {
        return store.finish(journal, OWNER, new TaskStore.Ending.Succeeded(), false);
    }

    private boolean waitsForLock(UUID taskId) throws SQLException {
        return count(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
                null) > 0 && status(taskId).equals("running");
    }

    private String status(UUID taskId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT status FROM task WHERE id = ?")) {
            s.setObject(1, taskId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long count(String query, UUID taskId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            if (taskId != null) {
                s.setObject(1, taskId);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void sql(String statement, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
