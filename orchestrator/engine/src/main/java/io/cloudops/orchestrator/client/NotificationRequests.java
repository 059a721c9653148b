package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.notification.NotificationTestResult;
import io.cloudops.common.notification.NotificationView;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.notification.Delivery;
import io.cloudops.orchestrator.notification.EventSelection;
import io.cloudops.orchestrator.notification.NotificationDispatcher;
import io.cloudops.orchestrator.notification.NotificationRoutes;
import io.cloudops.orchestrator.notification.NotifyConfig;
import io.cloudops.orchestrator.notification.RouteKind;

/**
 * The engine's notifications as the control plane's client sees them: sending a test notification
 * (written with its audit entry in one transaction, then sent at once), reading a task's notifications
 * with their attempts (targets masked), and a project's event selection (its validation and defaults).
 */
@ApplicationScoped
public class NotificationRequests {

    private final DataSource dataSource;
    private final NotificationRoutes routes;
    private final NotificationDispatcher dispatcher;
    private final NotifyConfig config;

    NotificationRequests(DataSource dataSource, NotificationRoutes routes, NotificationDispatcher dispatcher,
            NotifyConfig config) {
        this.dataSource = dataSource;
        this.routes = routes;
        this.dispatcher = dispatcher;
        this.config = config;
    }

    /** A project's event selection that cannot be stored: the field (path) and what is wrong. */
    public record InvalidSelection(String field, String message) {
    }

    /**
     * Sends a test notification to each route of the project (its own or the global default), or to
     * the global routes without a project, and waits for them (at most {@code cloudops.notify.test-timeout}):
     * written first with the audit entry in one transaction, then sent at once, each attempt recorded;
     * a test is not retried. Returns how each route went (empty: no route configured).
     */
    public NotificationTestResult sendTest(UUID projectId, String requestedBy, AuditRecord audit) {
        List<UUID> ids = Tx.run(dataSource, c -> {
            List<UUID> written = routes.enqueueTest(c, projectId, requestedBy, 1);
            AuditTrail.insert(c, audit);
            return written;
        });
        Map<UUID, Delivery> sent = dispatcher.sendNow(ids, config.testTimeout());
        List<NotificationView> views = Tx.run(dataSource,
                c -> read(c, "o.id = ANY (?)", c.createArrayOf("uuid", ids.toArray())));
        List<NotificationTestResult.RouteResult> results = new ArrayList<>();
        for (NotificationView view : views) {
            Delivery delivery = sent.get(view.id());
            results.add(delivery == null
                    ? new NotificationTestResult.RouteResult(view.id(), view.routeKind(), view.target(), "failed",
                            "not sent: another dispatcher had claimed it", null)
                    : new NotificationTestResult.RouteResult(view.id(), view.routeKind(), view.target(),
                            delivery.outcome().value(), delivery.delivered() ? null : mask(view, delivery.error()),
                            delivery.httpStatus()));
        }
        return new NotificationTestResult(projectId, List.copyOf(results));
    }

    /** The recorded error is masked already; the answer shows the same text. */
    private static String mask(NotificationView view, String error) {
        return view.lastError() != null ? view.lastError() : error;
    }

    /** Every route kind with the events it gets: the project's stored selection, else each kind's default. */
    public static Map<String, List<String>> effectiveSelection(Map<String, List<String>> stored) {
        return EventSelection.effective(stored);
    }

    /** Every event a route can be chosen for, in the order they are shown. */
    public static List<String> events() {
        return java.util.Arrays.stream(io.cloudops.orchestrator.notification.NotifyEvent.values())
                .map(io.cloudops.orchestrator.notification.NotifyEvent::value).toList();
    }

    /** The first problem of an event selection to store (unknown route or event), or empty. */
    public static java.util.Optional<InvalidSelection> validateSelection(Map<String, List<String>> selection) {
        return EventSelection.validate(selection).map(i -> new InvalidSelection(i.field(), i.message()));
    }

    /** One notification by id (a test's, or a task's). */
    public java.util.Optional<NotificationView> get(UUID id) {
        return Tx.run(dataSource, c -> read(c, "o.id = ?", id).stream().findFirst());
    }

    /** The notifications of a task, oldest first. */
    public List<NotificationView> ofTask(UUID taskId) {
        return Tx.run(dataSource, c -> ofTask(c, taskId));
    }

    static List<NotificationView> ofTask(Connection c, UUID taskId) throws SQLException {
        return read(c, "o.task_id = ?", taskId);
    }

    private static List<NotificationView> read(Connection c, String where, Object parameter) throws SQLException {
        Map<UUID, NotificationView> views = new LinkedHashMap<>();
        Map<UUID, List<NotificationView.Attempt>> attempts = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT o.id, o.route_kind, o.target, o.event, o.status, o.attempts, o.max_attempts, o.next_attempt_at,
                       o.created_at, o.sent_at, o.last_error
                FROM notification_outbox o WHERE %s ORDER BY o.created_at, o.route_kind""".formatted(where))) {
            select.setObject(1, parameter);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject("id", UUID.class);
                    RouteKind kind = RouteKind.fromValue(rs.getString("route_kind"));
                    List<NotificationView.Attempt> log = new ArrayList<>();
                    attempts.put(id, log);
                    views.put(id, new NotificationView(id, kind.value(), kind.mask(rs.getString("target")),
                            rs.getString("event"), rs.getString("status"), rs.getInt("attempts"),
                            rs.getInt("max_attempts"), instant(rs.getTimestamp("next_attempt_at")),
                            instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("sent_at")),
                            rs.getString("last_error"), log));
                }
            }
        }
        if (views.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement select = c.prepareStatement("""
                SELECT outbox_id, attempt, at, outcome, http_status, error, duration_ms FROM notification_attempt
                WHERE outbox_id = ANY (?) ORDER BY outbox_id, attempt""")) {
            select.setArray(1, c.createArrayOf("uuid", views.keySet().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    attempts.get(rs.getObject("outbox_id", UUID.class)).add(new NotificationView.Attempt(
                            rs.getInt("attempt"), instant(rs.getTimestamp("at")), rs.getString("outcome"),
                            (Integer) rs.getObject("http_status"), rs.getString("error"), rs.getLong("duration_ms")));
                }
            }
        }
        List<NotificationView> result = new ArrayList<>(views.size());
        views.forEach((id, view) -> result.add(view));
        return List.copyOf(result);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
