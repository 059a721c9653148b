package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The notifications of a task's terminal change, written in the caller's transaction so that they are
 * committed with the outcome or not at all: one outbox row per route whose event selection includes the
 * new status ({@link #TASK_ROUTES}), plus PagerDuty's resolve when a retried dead letter now succeeded
 * ({@link PagerDutyResolves}). The engine appends {@link #taskRoutesCte()} to the statement that finishes
 * a task, or calls {@link #enqueueForTask} after it changed the task itself.
 */
@ApplicationScoped
public class TaskNotifications {

    /** Only a well-formed UUID is cast: a malformed {@code projectId} must not fail the task's outcome. */
    private static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /**
     * Inserts one row per route of each task in {@code done} (a relation with {@code id, type, status,
     * payload, requested_by}), see {@link NotificationRoutes#ROUTES}; each only if the project's event
     * selection for the route (or its default) contains {@code task.<status>}. The project is the payload's
     * {@code projectId} (deployments, sandboxes); tasks without one use the global routes and the defaults.
     * Parameters: see {@link #bindTaskRoutes}.
     */
    static final String TASK_ROUTES = """
            INSERT INTO notification_outbox (id, task_id, project_id, event, route_kind, target, status, attempts,
                                             max_attempts, next_attempt_at, requested_by, created_at)
            SELECT gen_random_uuid(), d.id, p.id, d.status, r.kind, r.target, 'pending', 0, ?, now(), d.requested_by, now()
            FROM done d
            LEFT JOIN project p ON p.id = CASE WHEN d.payload ->> 'projectId' ~ '%s'
                                               THEN (d.payload ->> 'projectId')::uuid END
            %s
            WHERE r.target IS NOT NULL AND %s AND (d.type <> 'diagnostic' OR ?)"""
            .formatted(UUID_PATTERN, NotificationRoutes.ROUTES,
                    NotificationRoutes.SELECTED.formatted("'task.' || d.status"));

    private final NotifyConfig config;
    private final NotificationRoutes routes;
    private final PagerDutyResolves resolves;

    TaskNotifications(NotifyConfig config, NotificationRoutes routes, PagerDutyResolves resolves) {
        this.config = config;
        this.routes = routes;
        this.resolves = resolves;
    }

    /**
     * Data-modifying CTEs to append to a statement that defines {@code done} (see {@link #TASK_ROUTES}):
     * {@code , outbox AS (...), resolved AS (...), resolves AS (...)}, the last resolving the PagerDuty
     * incident of a retried dead letter that now succeeded ({@link PagerDutyResolves#SUCCEEDED_RETRIES_CTE}).
     */
    public static String taskRoutesCte() {
        return ",\noutbox AS (" + TASK_ROUTES + ")" + PagerDutyResolves.SUCCEEDED_RETRIES_CTE;
    }

    /** Binds {@link #taskRoutesCte()}'s parameters from {@code index} on; returns the next index. */
    public int bindTaskRoutes(Connection c, PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setInt(i++, config.maxAttempts());
        i = routes.bind(statement, i);
        statement.setBoolean(i++, config.diagnosticTasks());
        return resolves.bindSucceededRetries(statement, i);
    }

    /** Writes the notifications of one task that just reached a terminal status, in the caller's transaction. */
    public void enqueueForTask(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "WITH done AS (SELECT id, type, status, payload, requested_by FROM task WHERE id = ?)"
                        + taskRoutesCte() + "SELECT count(*) FROM done")) {
            insert.setObject(1, taskId);
            bindTaskRoutes(c, insert, 2);
            insert.execute();
        }
    }
}
