package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The dispatcher's side of the outbox ({@code notification_outbox}, V6, V7): claiming due rows under a
 * lease ({@code FOR UPDATE SKIP LOCKED}, so dispatchers in several processes never claim the same row),
 * and recording each attempt and its outcome; the one writer of {@code notification_attempt}. The rows
 * themselves are written by {@link TaskNotifications}, {@link SandboxNoticeOutbox},
 * {@link PagerDutyResolves}, {@link NotificationRoutes#enqueueTest} and {@link RouteDigests}.
 */
@ApplicationScoped
class OutboxClaims {

    private final NotifyConfig config;

    OutboxClaims(NotifyConfig config) {
        this.config = config;
    }

    /**
     * Claims up to {@code limit} due rows for this dispatcher: pending rows whose time has come, and
     * rows another dispatcher claimed but never finished (its lease passed). Locked rows are skipped,
     * so dispatchers in several processes never claim the same row; the claim is committed before
     * anything is sent, and holds for {@link NotifyConfig#claimLease()}. A PagerDuty resolve is due only
     * once its triggers are settled and one was sent ({@link PagerDutyResolves#claimable}); one whose
     * triggers all failed ends {@code skipped} here, unsent.
     */
    List<ClaimedNotification> claim(Connection c, int limit) throws SQLException {
        // rows whose lost claims used up their attempts end as failed
        try (PreparedStatement exhausted = c.prepareStatement("""
                UPDATE notification_outbox SET status = 'failed', next_attempt_at = NULL, claim_token = NULL,
                       last_error = 'the dispatcher sending attempt ' || attempts || ' stopped before it finished'
                WHERE status = 'sending' AND next_attempt_at <= now() AND attempts >= max_attempts""")) {
            exhausted.executeUpdate();
        }
        // resolves of incidents PagerDuty never opened: nothing to send
        try (PreparedStatement unopened = c.prepareStatement("""
                UPDATE notification_outbox SET status = 'skipped', next_attempt_at = NULL, last_error = ?
                WHERE id IN (SELECT n.id FROM notification_outbox n
                             WHERE n.status = 'pending' AND n.next_attempt_at <= now() AND %s
                             FOR UPDATE SKIP LOCKED)""".formatted(PagerDutyResolves.unopened("n")))) {
            unopened.setString(1, PagerDutyResolves.NO_INCIDENT);
            unopened.executeUpdate();
        }
        return claimWhere(c, "n.status IN ('pending', 'sending') AND n.next_attempt_at <= now()"
                + " AND n.attempts < n.max_attempts AND " + PagerDutyResolves.claimable("n"), limit, null);
    }

    /**
     * Claims the given rows if they are still pending (a test sent at once by its request, see
     * {@link NotificationDispatcher#sendNow}), as {@link #claim} would; the dispatcher's poll skips them
     * once claimed.
     */
    List<ClaimedNotification> claimIds(Connection c, List<UUID> ids) throws SQLException {
        return claimWhere(c, "n.status = 'pending' AND n.id = ANY (?)", ids.size(),
                c.createArrayOf("uuid", ids.toArray()));
    }

    private List<ClaimedNotification> claimWhere(Connection c, String due, int limit, java.sql.Array ids)
            throws SQLException {
        UUID token = UUID.randomUUID();
        List<ClaimedNotification> claimed = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE notification_outbox o SET status = 'sending', attempts = o.attempts + 1, claim_token = ?,
                                                 next_attempt_at = now() + make_interval(secs => ?)
                FROM (SELECT n.id, n.status AS was FROM notification_outbox n
                      WHERE %s
                      ORDER BY n.next_attempt_at, n.created_at LIMIT ? FOR UPDATE SKIP LOCKED) due
                WHERE o.id = due.id
                RETURNING o.id, o.task_id, o.project_id, o.event, o.route_kind, o.target, o.attempts, o.max_attempts,
                          o.requested_by, o.created_at, o.environment_id, due.was""".formatted(due))) {
            int i = 1;
            update.setObject(i++, token);
            update.setDouble(i++, config.claimLease().toMillis() / 1000.0);
            if (ids != null) {
                update.setArray(i++, ids);
            }
            update.setInt(i, limit);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new ClaimedNotification(rs.getObject("id", UUID.class),
                            rs.getObject("task_id", UUID.class), rs.getObject("project_id", UUID.class),
                            rs.getString("event"), RouteKind.fromValue(rs.getString("route_kind")),
                            rs.getString("target"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                            rs.getString("requested_by"), rs.getTimestamp("created_at").toInstant(), token,
                            "sending".equals(rs.getString("was")), rs.getObject("environment_id", UUID.class)));
                }
            }
        }
        for (ClaimedNotification row : claimed) {
            if (row.previousClaimLost()) {
                insertAttempt(c, row.id(), row.attempt() - 1, Delivery.failed(null,
                        "interrupted: the dispatcher sending it stopped before it finished", Duration.ZERO));
            }
        }
        return claimed;
    }

    /**
     * Records an attempt and the row's next state: sent; pending again at {@code retryAt}; or failed
     * when {@code retryAt} is null. Fenced by the claim token: a dispatcher whose claim was taken over
     * writes nothing. Returns whether it was written.
     */
    boolean complete(Connection c, ClaimedNotification row, Delivery delivery, Instant retryAt) throws SQLException {
        String status = delivery.delivered() ? "sent" : retryAt != null ? "pending" : "failed";
        try (PreparedStatement update = c.prepareStatement(
                """
                        UPDATE notification_outbox SET status = ?, next_attempt_at = ?, claim_token = NULL, sent_at = ?, last_error = ?
                        WHERE id = ? AND claim_token = ?""")) {
            update.setString(1, status);
            update.setTimestamp(2, delivery.delivered() || retryAt == null ? null : Timestamp.from(retryAt));
            update.setTimestamp(3, delivery.delivered() ? Timestamp.from(Instant.now()) : null);
            update.setString(4, delivery.delivered() ? null : truncate(delivery.error()));
            update.setObject(5, row.id());
            update.setObject(6, row.claimToken());
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        insertAttempt(c, row.id(), row.attempt(), delivery);
        return true;
    }

    private static void insertAttempt(Connection c, UUID id, int attempt, Delivery delivery) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO notification_attempt (outbox_id, attempt, at, outcome, http_status, error, duration_ms)
                VALUES (?, ?, now(), ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, id);
            insert.setInt(2, attempt);
            insert.setString(3, delivery.outcome().value());
            insert.setObject(4, delivery.httpStatus());
            insert.setString(5, truncate(delivery.error()));
            insert.setLong(6, delivery.duration().toMillis());
            insert.executeUpdate();
        }
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 2000 ? value : value.substring(0, 1997) + "...";
    }
}
