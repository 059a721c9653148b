package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a route's token bucket ({@link RouteBuckets}) holds back goes into the route's open digest, in the
 * claim's transaction: one pending {@code digest} row per route (kind and target), due when
 * {@link NotifyConfig#digestWindow()} has passed, which dispatchers racing each other open once and join.
 */
@ApplicationScoped
class RouteDigests {

    private final NotifyConfig config;

    RouteDigests(NotifyConfig config) {
        this.config = config;
    }

    /**
     * Takes the rows {@code overflow} of one route out of sending, into the route's open digest (written
     * if there is none): status {@code digested}, the claim's attempt given back. Returns the digest's id.
     */
    UUID digest(Connection c, RouteKind kind, String target, List<ClaimedNotification> overflow) throws SQLException {
        UUID digest = openDigest(c, kind, target, overflow.get(0).projectId());
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE notification_outbox SET status = 'digested', digest_id = ?, attempts = attempts - 1,
                                               claim_token = NULL, next_attempt_at = NULL
                WHERE id = ANY (?)""")) {
            update.setObject(1, digest);
            update.setArray(2, c.createArrayOf("uuid", overflow.stream().map(ClaimedNotification::id).toArray()));
            update.executeUpdate();
        }
        return digest;
    }

    private UUID openDigest(Connection c, RouteKind kind, String target, UUID projectId) throws SQLException {
        for (int round = 0; round < 3; round++) {
            try (PreparedStatement insert = c.prepareStatement(
                    """
                            INSERT INTO notification_outbox (id, project_id, event, route_kind, target, status, attempts,
                                                             max_attempts, next_attempt_at, requested_by, created_at)
                            VALUES (gen_random_uuid(), ?, 'digest', ?, ?, 'pending', 0, ?, now() + make_interval(secs => ?), ?, now())
                            ON CONFLICT (route_kind, md5(target)) WHERE event = 'digest' AND status = 'pending' DO NOTHING
                            RETURNING id""")) {
                insert.setObject(1, projectId);
                insert.setString(2, kind.value());
                insert.setString(3, target);
                insert.setInt(4, config.maxAttempts());
                insert.setDouble(5, config.digestWindow().toMillis() / 1000.0);
                insert.setString(6, NotificationRoutes.SYSTEM);
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        return rs.getObject(1, UUID.class);
                    }
                }
            }
            // another dispatcher opened it: join that one (unless it was sent meanwhile: open another)
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT id FROM notification_outbox
                    WHERE event = 'digest' AND status = 'pending' AND route_kind = ? AND md5(target) = md5(?)""")) {
                select.setString(1, kind.value());
                select.setString(2, target);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        return rs.getObject(1, UUID.class);
                    }
                }
            }
        }
        throw new IllegalStateException("could not open a digest for a " + kind.value() + " route");
    }
}
