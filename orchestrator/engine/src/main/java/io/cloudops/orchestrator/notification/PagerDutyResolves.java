package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * PagerDuty's resolves: a dead letter triggers an incident, and the incident is resolved when the dead
 * letter is retried successfully ({@link #SUCCEEDED_RETRIES_CTE}, with the task's outcome) or skipped by
 * an operator ({@link #enqueue}). Both write {@code dead_letter_resolved} rows in the caller's
 * transaction, to each routing key a trigger went to. A resolve is never sent before its triggers: it is
 * claimed only once they are settled ({@link #claimable}), and skipped when none of them reached PagerDuty
 * ({@link #unopened}).
 */
@ApplicationScoped
public class PagerDutyResolves {

    /**
     * For each task of {@code resolved} (a relation with {@code id, requested_by}) whose dead letter
     * triggered an incident, one {@code dead_letter_resolved} row to each routing key a trigger went to (so
     * the resolve reaches the incident it closes, whatever the project says now). Parameter: max attempts.
     */
    static final String INCIDENT_RESOLVES = """
            INSERT INTO notification_outbox (id, task_id, project_id, event, route_kind, target, status, attempts,
                                             max_attempts, next_attempt_at, requested_by, created_at)
            SELECT gen_random_uuid(), t.task_id, t.project_id, 'dead_letter_resolved', 'pagerduty', t.target, 'pending', 0,
                   ?, now(), t.requested_by, now()
            FROM (SELECT DISTINCT ON (o.task_id, o.target) o.task_id, o.project_id, o.target, r.requested_by
                  FROM resolved r JOIN notification_outbox o ON o.task_id = r.id
                  WHERE o.route_kind = 'pagerduty' AND o.event = 'dead_lettered') t""";

    /**
     * The tasks of {@code done} that resolve a dead letter by succeeding: a dead letter of theirs was
     * retried ({@code dead_letter.resolution = 'retried'}).
     */
    private static final String SUCCEEDED_RETRIES = """
            SELECT d.id, d.requested_by FROM done d
            WHERE d.status = 'succeeded'
              AND EXISTS (SELECT 1 FROM dead_letter dl WHERE dl.task_id = d.id AND dl.resolution = 'retried')""";

    /**
     * Data-modifying CTEs to append to a statement that defines {@code done} (see
     * {@link TaskNotifications#TASK_ROUTES}): {@code , resolved AS (...), resolves AS (...)}, resolving the
     * incident of a retried dead letter that now succeeded. Parameters: see {@link #bindSucceededRetries}.
     */
    static final String SUCCEEDED_RETRIES_CTE = ",\nresolved AS (" + SUCCEEDED_RETRIES + "),\nresolves AS ("
            + INCIDENT_RESOLVES + ")\n";

    /** Reason of a resolve skipped by {@link #unopened}. */
    static final String NO_INCIDENT = "not sent: PagerDuty accepted no trigger of this task, so there is no incident to resolve";

    private final NotifyConfig config;

    PagerDutyResolves(NotifyConfig config) {
        this.config = config;
    }

    /**
     * A condition on outbox row {@code alias}: it is not a resolve, or it is one whose triggers are all settled
     * (none still pending or being sent, so none can reach PagerDuty after it) and at least one of them was
     * sent (there is an incident to resolve). Evaluated in the claim, so every dispatcher obeys it.
     */
    static String claimable(String alias) {
        return "(" + alias + ".event <> 'dead_letter_resolved' OR (" + settled(alias) + " AND EXISTS ("
                + earlierTriggers(alias) + " AND t.status = 'sent')))";
    }

    /**
     * A condition on outbox row {@code alias}: a resolve whose triggers are all settled and none of them was
     * sent (each failed for good, or was held back into a digest): PagerDuty opened no incident for it.
     */
    static String unopened(String alias) {
        return "(" + alias + ".event = 'dead_letter_resolved' AND " + settled(alias) + " AND NOT EXISTS ("
                + earlierTriggers(alias) + " AND t.status = 'sent'))";
    }

    /**
     * The triggers (alias {@code t}) that resolve row {@code alias} follows: the dead letters of its task sent
     * to its routing key, written before it (a trigger written later belongs to a later incident).
     */
    static String earlierTriggers(String alias) {
        return """
                SELECT 1 FROM notification_outbox t
                WHERE t.task_id = %1$s.task_id AND t.route_kind = 'pagerduty' AND t.event = 'dead_lettered'
                  AND t.target = %1$s.target AND t.created_at <= %1$s.created_at""".formatted(alias);
    }

    /**
     * The resolves (alias {@code r}) written for trigger row {@code alias}: of its task, to its routing key,
     * written after it.
     */
    static String laterResolves(String alias) {
        return """
                SELECT 1 FROM notification_outbox r
                WHERE r.task_id = %1$s.task_id AND r.route_kind = 'pagerduty' AND r.event = 'dead_letter_resolved'
                  AND r.target = %1$s.target AND r.created_at >= %1$s.created_at""".formatted(alias);
    }

    private static String settled(String alias) {
        return "NOT EXISTS (" + earlierTriggers(alias) + " AND t.status IN ('pending', 'sending'))";
    }

    /** Binds {@link #SUCCEEDED_RETRIES_CTE}'s parameter at {@code index}; returns the next index. */
    int bindSucceededRetries(PreparedStatement statement, int index) throws SQLException {
        statement.setInt(index, config.maxAttempts());
        return index + 1;
    }

    /**
     * Writes PagerDuty's resolve of the incident that task {@code taskId}'s dead letter triggered, in the
     * caller's transaction (a dead letter skipped by an operator); nothing when no trigger was written.
     */
    public void enqueue(Connection c, UUID taskId, String requestedBy) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "WITH resolved AS (SELECT ?::uuid AS id, ?::text AS requested_by)\n" + INCIDENT_RESOLVES)) {
            insert.setObject(1, taskId);
            insert.setString(2, requestedBy);
            insert.setInt(3, config.maxAttempts());
            insert.executeUpdate();
        }
    }
}
