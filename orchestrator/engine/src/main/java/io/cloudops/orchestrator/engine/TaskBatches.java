package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.engine.EngineWrite.Finishing;
import io.cloudops.orchestrator.engine.TaskStore.Claim;
import io.cloudops.orchestrator.notification.TaskNotifications;

/**
 * A batch of {@link TaskStore}'s group commit, the writes of one owner in the caller's transaction: what the
 * single finish and claim do for one run, as a few statements for all of them, the values travelling as arrays.
 */
@ApplicationScoped
class TaskBatches {

    private final EngineConfig config;
    private final TaskNotifications notifications;
    private final JournalWriter writer;
    private final BatchClaims claims;

    TaskBatches(EngineConfig config, TaskNotifications notifications, JournalWriter writer, BatchClaims claims) {
        this.config = config;
        this.notifications = notifications;
        this.writer = writer;
        this.claims = claims;
    }

    /**
     * Writes {@code writes} (all of one owner): the finishes in one statement (renewing their leases, fenced by
     * their claim tokens, with their notifications), their journals, the leases of finished sessions that claim
     * nothing next released, then the claims (the next task of each finished session that asked for it, and
     * the fresh claims) through {@link BatchClaims#claimAll}. A write that is fenced off or lost its claim gets
     * its own failure, and nothing of it is written; the others go on. {@code sent}: a moment before the
     * transaction's first statement, from which the leases taken count.
     */
    void write(Connection c, List<EngineWrite> writes, long sent) throws SQLException {
        String owner = writes.get(0).owner;
        Set<String> entities = new HashSet<>();
        List<EngineWrite.Finish> finishes = new ArrayList<>();
        Map<String, EngineWrite.ClaimNext> fresh = new HashMap<>();
        for (EngineWrite w : writes) {
            if (!entities.add(w.entityId())) {
                throw new IllegalStateException("two writes of entity " + w.entityId() + " in one batch");
            }
            switch (w) {
                case EngineWrite.ClaimNext cw -> fresh.put(cw.entityId, cw);
                case EngineWrite.Finish fw when fw.finishing.run().isFenced() ->
                    fw.failure = new TaskStore.FencedException(fw.finishing.run().taskId);
                case EngineWrite.Finish fw -> finishes.add(fw);
            }
        }
        Set<UUID> finished = finishAll(c, finishes.stream().map(fw -> fw.finishing).toList(), owner);
        List<RunJournal> runs = new ArrayList<>();
        List<RunJournal.Pending> pendings = new ArrayList<>();
        List<String> claiming = new ArrayList<>(fresh.keySet());
        List<String> releasing = new ArrayList<>();
        for (EngineWrite.Finish fw : finishes) {
            Finishing f = fw.finishing;
            if (!finished.contains(f.run().taskId)) {
                fw.failure = new TaskStore.LostClaimException(f.run().taskId);
                continue;
            }
            runs.add(f.run());
            pendings.add(f.pending());
            (f.claimsNext() ? claiming : releasing).add(f.run().entityId);
            if (f.status() == TaskStatus.DEAD_LETTERED) {
                TaskClaims.insertDeadLetter(c, f.run().taskId, f.run().attempt, f.error(), f.now());
            }
        }
        writer.writePendingAll(c, runs, pendings);
        if (!releasing.isEmpty()) {
            JournalWriter.releaseLeases(c, releasing, owner);
        }
        Map<String, Claim> next = claiming.isEmpty() ? Map.of() : claims.claimAll(c, claiming, fresh.keySet(), owner);
        for (Claim claim : next.values()) {
            if (claim instanceof Claim.Claimed claimed) {
                claimed.run().leaseTaken(sent); // the batch's lease statements ran after this moment
            }
        }
        for (EngineWrite.ClaimNext cw : fresh.values()) {
            cw.result = next.get(cw.entityId);
        }
        for (EngineWrite.Finish fw : finishes) {
            if (fw.failure == null) {
                fw.result = fw.finishing.finished(fw.finishing.claimsNext() ? next.get(fw.entityId()) : null);
            }
        }
    }

    /**
     * Finishes the runs of one owner in one statement; returns the tasks finished. A run missing from the
     * answer lost its claim or its lease: nothing of it was written.
     */
    private Set<UUID> finishAll(Connection c, List<Finishing> finishings, String owner) throws SQLException {
        Set<UUID> finished = new HashSet<>();
        if (finishings.isEmpty()) {
            return finished;
        }
        int n = finishings.size();
        Object[] id = new Object[n];
        Object[] token = new Object[n];
        String[] entity = new String[n];
        String[] status = new String[n];
        String[] finishedAt = new String[n];
        String[] next = new String[n];
        String[] error = new String[n];
        String[] hint = new String[n];
        Long[] eventSeq = new Long[n];
        Long[] logSeq = new Long[n];
        for (int i = 0; i < n; i++) {
            Finishing f = finishings.get(i);
            id[i] = f.run().taskId;
            token[i] = f.run().claimToken;
            entity[i] = f.run().entityId;
            status[i] = f.status().value();
            finishedAt[i] = f.status().isTerminal() ? f.now().toString() : null;
            next[i] = f.due() == null ? null : f.due().toString();
            error[i] = f.error();
            hint[i] = f.hint();
            eventSeq[i] = f.pending().eventSeq();
            logSeq[i] = f.pending().logSeq();
        }
        try (PreparedStatement update = c.prepareStatement(FINISH_ALL)) {
            update.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
            update.setArray(2, c.createArrayOf("varchar", entity));
            update.setString(3, owner);
            update.setArray(4, c.createArrayOf("uuid", id));
            update.setArray(5, c.createArrayOf("uuid", token));
            update.setArray(6, c.createArrayOf("varchar", entity));
            update.setArray(7, c.createArrayOf("varchar", status));
            update.setArray(8, c.createArrayOf("text", finishedAt));
            update.setArray(9, c.createArrayOf("text", next));
            update.setArray(10, c.createArrayOf("text", error));
            update.setArray(11, c.createArrayOf("text", hint));
            update.setArray(12, c.createArrayOf("int8", eventSeq));
            update.setArray(13, c.createArrayOf("int8", logSeq));
            notifications.bindTaskRoutes(c, update, 14);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    finished.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return finished;
    }

    /**
     * Renews the leases of the runs' entities (never an expired one), finishes each task whose claim token
     * still matches under a renewed lease, and writes the outbox rows of the outcomes that notify; answers
     * the ids finished.
     */
    private static final String FINISH_ALL = """
            WITH lease AS (UPDATE entity_lease SET expires_at = now() + make_interval(secs => ?)
                           WHERE entity_id = ANY (?) AND owner = ? AND expires_at > now() RETURNING entity_id),
            v AS (SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[], ?::text[], ?::text[], ?::text[],
                                       ?::text[], ?::bigint[], ?::bigint[])
                      AS v(id, token, entity_id, status, finished_at, next_attempt_at, error_message, error_hint,
                           event_seq, log_seq)),
            finished AS (
                UPDATE task t SET status = v.status, finished_at = v.finished_at::timestamptz,
                                  next_attempt_at = v.next_attempt_at::timestamptz, claim_token = NULL,
                                  error_message = v.error_message, error_hint = v.error_hint, cancel_requested = FALSE,
                                  event_seq = v.event_seq, log_seq = v.log_seq
                FROM v JOIN lease l ON l.entity_id = v.entity_id
                WHERE t.id = v.id AND t.claim_token = v.token
                RETURNING t.id, t.type, t.status, t.payload, t.requested_by),
            done AS (SELECT * FROM finished WHERE status IN (%s))"""
            .formatted(TaskStore.NOTIFYING.stream()
                    .map(s -> "'" + s.value() + "'").sorted().collect(Collectors.joining(", ")))
            + TaskNotifications.taskRoutesCte() + "SELECT id FROM finished";
}
