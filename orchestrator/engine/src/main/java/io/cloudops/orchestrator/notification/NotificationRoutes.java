package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a notification goes: of each route kind, the project's own target or else the global one. The
 * outbox writers share it, so a task's notifications ({@link TaskNotifications}), the sandbox notices
 * ({@link SandboxNoticeOutbox}) and a test of the routes ({@link #enqueueTest}) resolve routes and event
 * selections by one rule.
 */
@ApplicationScoped
public class NotificationRoutes {

    /** Who writes the system's own notifications (sandbox notices, digests). */
    static final String SYSTEM = "system:notifications";

    /**
     * The routes of project {@code p} (a row of {@code project}, or all NULL): its Teams webhook or else the
     * global one, its recipients, Slack webhook and PagerDuty routing key, each or else the global one, as
     * {@code r(kind, target)}. Parameters: the global webhook, recipients, Slack webhook, routing key.
     */
    static final String ROUTES = """
            CROSS JOIN LATERAL (VALUES
                ('teams', COALESCE(NULLIF(p.teams_webhook_url, ''), ?::text)),
                ('email', COALESCE(NULLIF(array_to_string(p.email_recipients, ','), ''), ?::text)),
                ('slack', COALESCE(NULLIF(p.slack_webhook_url, ''), ?::text)),
                ('pagerduty', COALESCE(NULLIF(p.pager_duty_routing_key, ''), ?::text))
            ) AS r(kind, target)""";

    /**
     * Whether route {@code r} of project {@code p} is chosen for event {@code %s} (an SQL text expression):
     * the project's selection for the route, else the route kind's default ({@link EventSelection}).
     * Parameter: {@link EventSelection#defaultsJson()}.
     */
    static final String SELECTED = "COALESCE(p.notify_events -> r.kind, ?::jsonb -> r.kind) @> jsonb_build_array(%s)";

    private final NotifyConfig config;

    NotificationRoutes(NotifyConfig config) {
        this.config = config;
    }

    /** Binds {@link #ROUTES} and {@link #SELECTED} from {@code index} on; returns the next index. */
    int bind(PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setString(i++, globalTarget(RouteKind.TEAMS));
        statement.setString(i++, globalTarget(RouteKind.EMAIL));
        statement.setString(i++, globalTarget(RouteKind.SLACK));
        statement.setString(i++, globalTarget(RouteKind.PAGERDUTY));
        statement.setString(i++, EventSelection.defaultsJson());
        return i;
    }

    /**
     * Writes a test notification to every route of {@code projectId} (its own, else the global one)
     * or, without a project, to the global routes; returns the ids written (none when no route is
     * configured). {@code maxAttempts} 1: the test is sent now and its answer is final, not retried.
     */
    public List<UUID> enqueueTest(Connection c, UUID projectId, String requestedBy, int maxAttempts)
            throws SQLException {
        Map<RouteKind, String> projectTargets = projectId == null ? Map.of() : projectTargets(c, projectId);
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement(
                """
                        INSERT INTO notification_outbox (id, project_id, event, route_kind, target, status, attempts, max_attempts,
                                                         next_attempt_at, requested_by, created_at)
                        VALUES (?, ?, 'test', ?, ?, 'pending', 0, ?, now(), ?, now())""")) {
            for (RouteKind kind : RouteKind.values()) {
                String target = projectTargets.containsKey(kind) ? projectTargets.get(kind) : globalTarget(kind);
                if (target == null) {
                    continue;
                }
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setObject(2, projectId);
                insert.setString(3, kind.value());
                insert.setString(4, target);
                insert.setInt(5, maxAttempts);
                insert.setString(6, requestedBy);
                insert.addBatch();
                ids.add(id);
            }
            if (!ids.isEmpty()) {
                insert.executeBatch();
            }
        }
        return ids;
    }

    /** The targets project {@code projectId} sets itself (not blank), by route kind. */
    private static Map<RouteKind, String> projectTargets(Connection c, UUID projectId) throws SQLException {
        Map<RouteKind, String> targets = new EnumMap<>(RouteKind.class);
        try (PreparedStatement select = c.prepareStatement(
                "SELECT teams_webhook_url, array_to_string(email_recipients, ',') AS email, slack_webhook_url,"
                        + " pager_duty_routing_key FROM project WHERE id = ?")) {
            select.setObject(1, projectId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    putIfSet(targets, RouteKind.TEAMS, rs.getString(1));
                    putIfSet(targets, RouteKind.EMAIL, rs.getString(2));
                    putIfSet(targets, RouteKind.SLACK, rs.getString(3));
                    putIfSet(targets, RouteKind.PAGERDUTY, rs.getString(4));
                }
            }
        }
        return targets;
    }

    private static void putIfSet(Map<RouteKind, String> targets, RouteKind kind, String target) {
        if (target != null && !target.isBlank()) {
            targets.put(kind, target);
        }
    }

    /** The global target of route kind {@code kind} (from {@code cloudops.notify.*}), or null when none is set. */
    private String globalTarget(RouteKind kind) {
        return switch (kind) {
            case TEAMS -> config.teamsWebhookUrl().filter(s -> !s.isBlank()).orElse(null);
            case EMAIL -> config.emailTo().map(list -> String.join(",", list.stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList())).filter(s -> !s.isEmpty()).orElse(null);
            case SLACK -> config.slackWebhookUrl().filter(s -> !s.isBlank()).orElse(null);
            case PAGERDUTY -> config.pagerDuty().routingKey().filter(s -> !s.isBlank()).orElse(null);
        };
    }
}
