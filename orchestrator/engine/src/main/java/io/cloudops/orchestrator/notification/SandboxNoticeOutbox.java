package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The outbox rows of {@link SandboxNotices}, in the caller's transaction: each notice carries a
 * {@code dedup_key}, so it is written once per route however many instances write it at the same time
 * (insert ... on conflict do nothing), to the routes of the sandbox's project that chose the event.
 */
@ApplicationScoped
class SandboxNoticeOutbox {

    private final NotifyConfig config;
    private final NotificationRoutes routes;

    SandboxNoticeOutbox(NotifyConfig config, NotificationRoutes routes) {
        this.config = config;
        this.routes = routes;
    }

    /**
     * Writes the "expiring soon" notice of every active sandbox whose nearest notice offset has come (an
     * offset longer than the sandbox's life is skipped), to each of its project's routes that chose
     * {@code sandbox.expiring}. Each notice has the key {@code sandbox.expiring:<env>:<offset s>:<expiresAt s>},
     * written once per route however many instances run this at once (an extended sandbox, with a new
     * {@code expiresAt}, is told again). Returns the rows written.
     */
    int enqueueExpiring(Connection c, List<Duration> offsets) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                """
                        INSERT INTO notification_outbox (id, project_id, environment_id, event, route_kind, target, status,
                                                         attempts, max_attempts, next_attempt_at, requested_by, created_at, dedup_key)
                        SELECT gen_random_uuid(), p.id, e.id, 'sandbox.expiring', r.kind, r.target, 'pending', 0, ?, now(), ?, now(),
                               'sandbox.expiring:' || e.id || ':' || o.secs || ':' || floor(extract(epoch FROM e.expires_at))::bigint
                        FROM environment e JOIN project p ON p.id = e.project_id
                        CROSS JOIN LATERAL (SELECT min(s) AS secs FROM unnest(?::bigint[]) AS s
                                            WHERE e.expires_at - make_interval(secs => s) <= now()
                                              AND e.expires_at - make_interval(secs => s) >= e.created_at) o
                        %s
                        WHERE e.type = 'sandbox' AND e.status = 'active' AND e.expires_at > now() AND o.secs IS NOT NULL
                          AND r.target IS NOT NULL AND %s
                        ON CONFLICT DO NOTHING"""
                        .formatted(NotificationRoutes.ROUTES,
                                NotificationRoutes.SELECTED.formatted("'sandbox.expiring'")))) {
            insert.setInt(1, config.maxAttempts());
            insert.setString(2, NotificationRoutes.SYSTEM);
            insert.setArray(3, c.createArrayOf("bigint", offsets.stream().map(Duration::toSeconds).toArray()));
            routes.bind(insert, 4);
            return insert.executeUpdate();
        }
    }

    /**
     * Writes the "expired" notice of a sandbox to each of its project's routes that chose
     * {@code sandbox.expired}, once (key {@code sandbox.expired:<env>}): a retried expiry step writes
     * nothing more. Returns the rows written.
     */
    int enqueueExpired(Connection c, UUID environmentId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                """
                        INSERT INTO notification_outbox (id, project_id, environment_id, event, route_kind, target, status,
                                                         attempts, max_attempts, next_attempt_at, requested_by, created_at, dedup_key)
                        SELECT gen_random_uuid(), p.id, e.id, 'sandbox.expired', r.kind, r.target, 'pending', 0, ?, now(), ?, now(),
                               'sandbox.expired:' || e.id
                        FROM environment e JOIN project p ON p.id = e.project_id
                        %s
                        WHERE r.target IS NOT NULL AND %s AND e.id = ?
                        ON CONFLICT DO NOTHING"""
                        .formatted(NotificationRoutes.ROUTES,
                                NotificationRoutes.SELECTED.formatted("'sandbox.expired'")))) {
            insert.setInt(1, config.maxAttempts());
            insert.setString(2, NotificationRoutes.SYSTEM);
            insert.setObject(routes.bind(insert, 3), environmentId);
            return insert.executeUpdate();
        }
    }
}
