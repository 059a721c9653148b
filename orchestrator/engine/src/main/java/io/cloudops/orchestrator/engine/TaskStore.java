package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.client.GroupCommit;
import io.cloudops.orchestrator.client.TaskErrors.CommitOutcomeUnknown;
import io.cloudops.orchestrator.notification.TaskNotifications;

/**
 * The engine's transactions: claiming the head of an entity's queue under the entity lease (the
 * SQL is in {@link TaskClaims}), flushing a run's journal, and finishing a run, which may claim the
 * entity's next task in the same transaction. Every write of a run is fenced by its claim token and renews
 * the lease, so a run that lost its lease (paused process, partition) can no longer change the task.
 */
@ApplicationScoped
public class TaskStore {

    /** Outcome of trying to take the next task of an entity. */
    public sealed interface Claim {
        /** A task is now running under this process's lease. */
        record Claimed(RunJournal run) implements Claim {
        }

        /** Nothing queued for the entity; the lease was released. */
        record Empty() implements Claim {
        }

        /** The head task waits for its retry until {@code at}; later tasks wait behind it (order holds). */
        record WaitUntil(Instant at) implements Claim {
        }

        /** Another process holds the entity's lease. */
        record Busy() implements Claim {
        }

        /**
         * A crashed run was recovered (re-queued for a retry, or dead-lettered after its last attempt);
         * claim again. {@code type} is the task's type, for the metrics.
         */
        record Recovered(List<TaskEvent> events, String type, boolean requeued) implements Claim {
        }
    }

    /** The run's claim token no longer matches: another run owns the task now. */
    public static class LostClaimException extends RuntimeException {
        LostClaimException(UUID taskId) {
            super("lost the claim on task " + taskId, null, false, false);
        }
    }

    /**
     * The run was fenced off by the lease watchdog (its lease could expire before another renewal
     * lands): it must write nothing more. Thrown before any statement of the write is sent.
     */
    public static class FencedException extends RuntimeException {
        FencedException(UUID taskId) {
            super("run of task " + taskId + " is fenced off (lease not renewed in time)", null, false, false);
        }
    }

    private final DataSource dataSource;
    private final EngineConfig config;
    private final RetryPolicy retryPolicy;
    private final JournalWriter writer;
    private final TaskClaims claims;
    private final TaskNotifications notifications;
    private final TaskBatches batches;
    private final GroupCommit<Write> writes;
    private final java.util.concurrent.atomic.LongAdder writesInBatches = new java.util.concurrent.atomic.LongAdder();

    TaskStore(DataSource dataSource, EngineConfig config, JournalWriter writer, TaskClaims claims,
            TaskNotifications notifications, TaskBatches batches) {
        this.notifications = notifications;
        this.batches = batches;
        // any failure of a batch but an unknown commit outcome is retried write by write
        this.writes = new GroupCommit<>(this::writeAll, failure -> !(failure instanceof CommitOutcomeUnknown),
                config.batchWriters(), config.maxBatch(), config.acceptCommitTimeout());
        this.claims = claims;
        this.dataSource = dataSource;
        this.config = config;
        this.writer = writer;
        this.retryPolicy = RetryPolicy.from(config.retry());
    }

    public Claim claimNext(String entityId, String owner) {
        return claimNext(entityId, owner, false);
    }

    /**
     * Claims the entity's next task; with {@code onlyIfExpired}, only once the entity's lease has
     * expired even if this process holds it (the entity of a run this process fenced off).
     */
    public Claim claimNext(String entityId, String owner, boolean onlyIfExpired) {
        if (onlyIfExpired) {
            return claimAlone(entityId, owner, true);
        }
        ClaimWrite write = new ClaimWrite(entityId, owner);
        writes.write(write);
        if (write.failure != null) {
            throw write.failure;
        }
        return write.result;
    }

    /** {@link #claimNext} in a transaction of its own. */
    private Claim claimAlone(String entityId, String owner, boolean onlyIfExpired) {
        // the lease's expiry is computed by the database when the upsert runs, after this moment
        long sent = System.nanoTime();
        Claim claim = Tx.run(dataSource, c -> claims.claim(c, entityId, owner, false, onlyIfExpired));
        if (claim instanceof Claim.Claimed claimed) {
            claimed.run().leaseTaken(sent);
        }
        return claim;
    }

    /** Refuses to send anything for a fenced-off run (checked inside the transaction, just before its first statement). */
    private static void requireNotFenced(RunJournal run) {
        if (run.isFenced()) {
            throw new FencedException(run.taskId);
        }
    }

    /**
     * Writes what the run recorded since the last flush, renews the lease and reads the cancel flag,
     * in one transaction. Returns the events written (to publish after commit).
     */
    public List<TaskEvent> flush(RunJournal run, String owner) {
        RunJournal.Pending pending = run.drain();
        long[] sent = new long[1];
        Tx.run(dataSource, c -> {
            requireNotFenced(run);
            sent[0] = System.nanoTime();
            boolean cancel = writer.fence(c, run, pending, owner);
            if (cancel) {
                run.requestCancel();
            }
            writer.writePending(c, run, pending);
            return null;
        });
        run.leaseRenewed(sent[0]); // the fence statement renewed the lease
        return pending.events();
    }

    /** How a run ended. */
    public sealed interface Ending {
        record Succeeded() implements Ending {
        }

        record Cancelled() implements Ending {
        }

        record Failed(String message, String hint, boolean permanent) implements Ending {
        }
    }

    /**
     * Writes the run's final bookkeeping and the task's next status: succeeded, cancelled, failed
     * (permanent), queued for a retry after back-off, or dead-lettered when attempts are exhausted.
     * Returns the events to publish and, for a retry, when it is due. With {@code claimNext}, the
     * entity's next task is claimed in the same transaction (one commit less per task while a
     * session works through its queue); a finish that claims nothing next (not asked, or a retry
     * waiting for its back-off) releases the entity's lease in the same transaction.
     */
    public Finished finish(RunJournal run, String owner, Ending ending, boolean claimNext) {
        Instant now = RunJournal.now();
        TaskStatus next;
        String message;
        Instant retryAt = null;
        String errorMessage = null;
        String errorHint = null;
        switch (ending) {
            case Ending.Succeeded s -> {
                next = TaskStatus.SUCCEEDED;
                message = "succeeded";
            }
            case Ending.Cancelled c -> {
                next = TaskStatus.CANCELLED;
                message = "cancelled";
                errorMessage = "cancelled on request";
            }
            case Ending.Failed f when f.permanent() -> {
                next = TaskStatus.FAILED;
                message = f.message();
                errorMessage = f.message();
                errorHint = f.hint();
            }
            case Ending.Failed f when run.attempt < run.maxAttempts -> {
                next = TaskStatus.QUEUED;
                Duration backoff = retryPolicy.backoff(run.attempt, java.util.concurrent.ThreadLocalRandom.current());
                retryAt = now.plus(backoff);
                message = f.message() + "; retry " + (run.attempt + 1) + " of " + run.maxAttempts + " in "
                        + backoff.toMillis() + " ms";
                errorMessage = f.message();
                errorHint = f.hint();
            }
            case Ending.Failed f -> {
                next = TaskStatus.DEAD_LETTERED;
                message = f.message() + "; " + run.maxAttempts + " attempts exhausted";
                errorMessage = f.message();
                errorHint = f.hint() != null
                        ? f.hint()
                        : "Inspect the logs, fix the cause, then retry it from the dead-letter queue";
            }
        }
        TaskStatus.RUNNING.checkTransition(next);
        if (next != TaskStatus.SUCCEEDED && next != TaskStatus.QUEUED) {
            // steps never reached are skipped; a retry resets them
            for (RunJournal.Step step : run.steps) {
                if (step.status == StepStatus.PENDING) {
                    run.stepStatus(step, StepStatus.SKIPPED, next == TaskStatus.CANCELLED ? "cancelled" : "not run");
                }
            }
        }
        TaskEvent statusEvent = run.taskEvent(next.value(), message);
        FinishWrite write = new FinishWrite(new Finishing(run, owner, next, now, retryAt, errorMessage, errorHint,
                run.drain(), statusEvent, claimNext));
        writes.write(write);
        if (write.failure != null) {
            throw write.failure;
        }
        return write.result;
    }

    /** A run's ending worked out by {@link #finish}, ready to be written. */
    private record Finishing(RunJournal run, String owner, TaskStatus status, Instant now, Instant due, String error,
            String hint, RunJournal.Pending pending, TaskEvent statusEvent, boolean claimNext) {

        boolean claimsNext() {
            return claimNext && due == null;
        }

        Finished finished(Claim next) {
            return new Finished(status, due, pending.events(), statusEvent, next);
        }
    }

    /** {@link #finish} in a transaction of its own. */
    private Finished finishAlone(Finishing f) {
        RunJournal run = f.run();
        RunJournal.Pending pending = f.pending();
        long[] sent = new long[1];
        Claim nextClaim = Tx.run(dataSource, c -> {
            requireNotFenced(run);
            sent[0] = System.nanoTime();
            // fenced: only the run holding the claim token and the entity lease may finish the task
            // an outcome that notifies writes its outbox rows in the same statement (one round trip, one commit)
            boolean notify = NOTIFYING.contains(f.status());
            try (PreparedStatement update = c.prepareStatement(notify ? FINISH_AND_NOTIFY : FINISH)) {
                int i = writer.setLease(update, run.entityId, f.owner());
                update.setString(i++, f.status().value());
                update.setTimestamp(i++, f.status().isTerminal() ? Timestamp.from(f.now()) : null);
                update.setTimestamp(i++, f.due() == null ? null : Timestamp.from(f.due()));
                update.setString(i++, f.error());
                update.setString(i++, f.hint());
                update.setLong(i++, pending.eventSeq());
                update.setLong(i++, pending.logSeq());
                update.setObject(i++, run.taskId);
                update.setObject(i++, run.claimToken);
                int finished;
                if (notify) {
                    notifications.bindTaskRoutes(c, update, i);
                    try (ResultSet rs = update.executeQuery()) {
                        finished = rs.next() ? rs.getInt(1) : 0;
                    }
                } else {
                    finished = update.executeUpdate();
                }
                if (finished != 1) {
                    throw new LostClaimException(run.taskId);
                }
            }
            writer.writePending(c, run, pending);
            if (f.status() == TaskStatus.DEAD_LETTERED) {
                TaskClaims.insertDeadLetter(c, run.taskId, run.attempt, f.error(), f.now());
            }
            if (f.claimsNext()) {
                return claims.claim(c, run.entityId, f.owner(), true);
            }
            JournalWriter.releaseLease(c, run.entityId, f.owner()); // the session lets go of the entity for now
            return null;
        });
        if (nextClaim instanceof Claim.Claimed claimed) {
            claimed.run().leaseTaken(sent[0]); // the finishing statement renewed the lease the next run holds
        }
        return f.finished(nextClaim);
    }

    // --- group commit: the claims and finishes of sessions running at the same moment share one transaction

    /** One write of the group commit; the writer sets its result, or its own failure in a batch that committed. */
    private abstract static sealed class Write permits ClaimWrite, FinishWrite {
        final String owner;
        RuntimeException failure;

        Write(String owner) {
            this.owner = owner;
        }

        abstract String entityId();
    }

    private static final class ClaimWrite extends Write {
        final String entityId;
        Claim result;

        ClaimWrite(String entityId, String owner) {
            super(owner);
            this.entityId = entityId;
        }

        @Override
        String entityId() {
            return entityId;
        }
    }

    private static final class FinishWrite extends Write {
        final Finishing finishing;
        Finished result;

        FinishWrite(Finishing finishing) {
            super(finishing.owner());
            this.finishing = finishing;
        }

        @Override
        String entityId() {
            return finishing.run().entityId;
        }
    }

    /**
     * Writes what the group commit took: one write alone exactly as before batching (an idle engine pays
     * nothing for it), several in one transaction ({@link #writeBatch}). A batch that failed is written
     * again write by write (see the group commit), so one write's trouble cannot fail the others.
     */
    private void writeAll(List<Write> batch) {
        for (Write w : batch) {
            w.failure = null;
        }
        if (batch.size() == 1) {
            switch (batch.get(0)) {
                case ClaimWrite w -> w.result = claimAlone(w.entityId, w.owner, false);
                case FinishWrite w -> w.result = finishAlone(w.finishing);
            }
            return;
        }
        Map<String, List<Write>> byOwner = new LinkedHashMap<>();
        for (Write w : batch) {
            byOwner.computeIfAbsent(w.owner, o -> new ArrayList<>()).add(w);
        }
        long sent = System.nanoTime();
        Tx.run(dataSource, c -> {
            for (List<Write> writes : byOwner.values()) {
                writeBatch(c, writes, sent);
            }
            return null;
        });
        writesInBatches.add(batch.size());
    }

    /** Claims and finishes waiting for the engine's writer right now (for tests and diagnostics). */
    public int writesWaiting() {
        return writes.waiting();
    }

    /** Claims and finishes written so far in transactions shared with others (a figure for tests and diagnostics). */
    public long writesInBatches() {
        return writesInBatches.sum();
    }

    /**
     * The writes of one owner in the caller's transaction, a few statements for all: the finishes in one
     * statement (renewing their leases, fenced by their claim tokens, with their notifications), their
     * journals, then the claims (the next task of each finished session that asked for it, and the fresh
     * claims) through {@link TaskClaims#claimAll}. A write that is fenced off or lost its claim gets its own
     * failure, and nothing of it is written; the others go on.
     */
    private void writeBatch(Connection c, List<Write> writes, long sent) throws SQLException {
        String owner = writes.get(0).owner;
        Set<String> entities = new HashSet<>();
        List<FinishWrite> finishes = new ArrayList<>();
        Map<String, ClaimWrite> fresh = new HashMap<>();
        for (Write w : writes) {
            if (!entities.add(w.entityId())) {
                throw new IllegalStateException("two writes of entity " + w.entityId() + " in one batch");
            }
            switch (w) {
                case ClaimWrite cw -> fresh.put(cw.entityId, cw);
                case FinishWrite fw when fw.finishing.run().isFenced() -> fw.failure = new FencedException(
                        fw.finishing.run().taskId);
                case FinishWrite fw -> finishes.add(fw);
            }
        }
        Set<UUID> finished = batches.finishAll(c, finishes.stream().map(fw -> fw.finishing.run()).toList(),
                finishes.stream().map(fw -> batches.values(fw.finishing.status(), fw.finishing.now(),
                        fw.finishing.due(), fw.finishing.error(), fw.finishing.hint(), fw.finishing.pending()))
                        .toList(),
                owner);
        List<RunJournal> runs = new ArrayList<>();
        List<RunJournal.Pending> pendings = new ArrayList<>();
        List<String> claiming = new ArrayList<>(fresh.keySet());
        List<String> releasing = new ArrayList<>();
        for (FinishWrite fw : finishes) {
            Finishing f = fw.finishing;
            if (!finished.contains(f.run().taskId)) {
                fw.failure = new LostClaimException(f.run().taskId);
                continue;
            }
            runs.add(f.run());
            pendings.add(f.pending());
            (f.claimsNext() ? claiming : releasing).add(f.run().entityId);
        }
        writer.writePendingAll(c, runs, pendings);
        for (FinishWrite fw : finishes) {
            Finishing f = fw.finishing;
            if (fw.failure == null && f.status() == TaskStatus.DEAD_LETTERED) {
                TaskClaims.insertDeadLetter(c, f.run().taskId, f.run().attempt, f.error(), f.now());
            }
        }
        Map<String, Claim> next = claiming.isEmpty()
                ? Map.of()
                : claims.claimAll(c, claiming, fresh.keySet(), owner);
        for (Claim claim : next.values()) {
            if (claim instanceof Claim.Claimed claimed) {
                claimed.run().leaseTaken(sent); // the batch's lease statements ran after this moment
            }
        }
        for (ClaimWrite cw : fresh.values()) {
            cw.result = next.get(cw.entityId);
        }
        for (FinishWrite fw : finishes) {
            if (fw.failure == null) {
                fw.result = fw.finishing.finished(fw.finishing.claimsNext() ? next.get(fw.entityId()) : null);
            }
        }
    }

    /** The statuses whose change writes notifications (see {@link TaskNotifications}). */
    static final Set<TaskStatus> NOTIFYING = Set.of(TaskStatus.SUCCEEDED, TaskStatus.FAILED,
            TaskStatus.DEAD_LETTERED);

    private static final String FINISH_SET = """
            UPDATE task SET status = ?, finished_at = ?, next_attempt_at = ?, claim_token = NULL,
                            error_message = ?, error_hint = ?, cancel_requested = FALSE, event_seq = ?, log_seq = ?
            WHERE id = ? AND claim_token = ? AND EXISTS (SELECT 1 FROM lease)""";

    /** Fenced: only the run holding the claim token and the entity lease may finish the task. */
    private static final String FINISH = JournalWriter.RENEW_LEASE + FINISH_SET;

    /** {@link #FINISH} plus the outbox rows of the outcome; answers the number of tasks finished (0 or 1). */
    private static final String FINISH_AND_NOTIFY = JournalWriter.RENEW_LEASE.stripTrailing()
            + ",\ndone AS (" + FINISH_SET + "\n    RETURNING id, type, status, payload, requested_by)"
            + TaskNotifications.taskRoutesCte() + "SELECT count(*) FROM done";

    /** The result of {@link #finish}; {@code next} is the entity's next claim when one was asked for. */
    public record Finished(TaskStatus status, Instant retryAt, List<TaskEvent> events, TaskEvent statusEvent,
            Claim next) {
    }

    /** Releases the entity lease when the session stops working on it. */
    public void releaseLease(String entityId, String owner) {
        Tx.run(dataSource, c -> {
            JournalWriter.releaseLease(c, entityId, owner);
            return null;
        });
    }

    /**
     * Renews the leases this process holds on {@code entityIds} (for steps that run longer than a
     * flush interval). Returns the entities whose lease was renewed; an expired lease is not revived
     * (the run was fenced off before it expired, and another process may be taking it over).
     *
     * <p>
     * One statement in auto-commit (no separate COMMIT to wait for), under a network timeout of at
     * most {@code timeout} (the lease safety margin): a renewal stuck on a stalled connection gives
     * up in time for the next one, whatever the pool's socket timeout is.
     */
    public Set<String> renewLeases(String owner, List<String> entityIds, Duration timeout) {
        if (entityIds.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection()) {
            int previous = c.getNetworkTimeout();
            int bounded = (int) Math.min(timeout.toMillis(), previous == 0 ? Integer.MAX_VALUE : previous);
            c.setNetworkTimeout(Runnable::run, bounded);
            try {
                return renew(c, owner, entityIds);
            } finally {
                if (!c.isClosed()) {
                    c.setNetworkTimeout(Runnable::run, previous);
                }
            }
        } catch (SQLException e) {
            throw new Tx.DataAccessException(e);
        }
    }

    private Set<String> renew(Connection c, String owner, List<String> entityIds) throws SQLException {
        Set<String> renewed = new HashSet<>();
        try (PreparedStatement renew = c.prepareStatement("""
                UPDATE entity_lease SET expires_at = now() + make_interval(secs => ?)
                WHERE owner = ? AND entity_id = ANY (?) AND expires_at > now() RETURNING entity_id""")) {
            renew.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
            renew.setString(2, owner);
            renew.setArray(3, c.createArrayOf("varchar", entityIds.toArray()));
            try (ResultSet rs = renew.executeQuery()) {
                while (rs.next()) {
                    renewed.add(rs.getString("entity_id"));
                }
            }
        }
        return renewed;
    }

}
