package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.notification.TaskNotifications;

/**
 * The finishing statement of several runs at once, for {@link TaskStore}'s group commit: what
 * {@code TaskStore}'s single finish does for one run (renew the entity lease, fenced by the claim token,
 * write the new status and the notifications of the outcome), as one statement for all of them, the values
 * travelling as arrays.
 */
@ApplicationScoped
class TaskBatches {

    /** The new values of one finished task, in the order of {@link #FINISH_ALL}'s arrays. */
    record Values(String status, String finishedAt, String nextAttemptAt, String error, String hint, long eventSeq,
            long logSeq) {
    }

    private final EngineConfig config;
    private final TaskNotifications notifications;

    TaskBatches(EngineConfig config, TaskNotifications notifications) {
        this.config = config;
        this.notifications = notifications;
    }

    Values values(TaskStatus status, Instant now, Instant due, String error, String hint, RunJournal.Pending pending) {
        return new Values(status.value(), status.isTerminal() ? now.toString() : null,
                due == null ? null : due.toString(),
                error, hint, pending.eventSeq(), pending.logSeq());
    }

    /**
     * Finishes {@code runs} (their new values in {@code values}, same order) of one owner in one statement;
     * returns the tasks finished. A run missing from the answer lost its claim or its lease: nothing of it
     * was written.
     */
    Set<UUID> finishAll(Connection c, List<RunJournal> runs, List<Values> values, String owner) throws SQLException {
        Set<UUID> finished = new HashSet<>();
        if (runs.isEmpty()) {
            return finished;
        }
        int n = runs.size();
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
            RunJournal run = runs.get(i);
            Values v = values.get(i);
            id[i] = run.taskId;
            token[i] = run.claimToken;
            entity[i] = run.entityId;
            status[i] = v.status();
            finishedAt[i] = v.finishedAt();
            next[i] = v.nextAttemptAt();
            error[i] = v.error();
            hint[i] = v.hint();
            eventSeq[i] = v.eventSeq();
            logSeq[i] = v.logSeq();
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
