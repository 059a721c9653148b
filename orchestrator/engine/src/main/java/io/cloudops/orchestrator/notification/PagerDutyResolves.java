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
 * transaction, to each routing key a trigger went to.
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

    private final NotifyConfig config;

    PagerDutyResolves(NotifyConfig config) {
        this.config = config;
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
