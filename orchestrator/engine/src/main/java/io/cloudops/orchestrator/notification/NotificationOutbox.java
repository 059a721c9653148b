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
 * The one writer of {@code notification_outbox} and {@code notification_attempt} (migrations V6, V7).
 * Rows are written in the caller's transaction: a task's terminal change writes one row per route
 * whose event selection includes the new status (see {@link #TASK_ROUTES}), so the notification is
 * committed with the outcome or not at all. The dispatcher's claim, attempt and completion are here
 * too.
 */
@ApplicationScoped
public class NotificationOutbox {

    /** A claimed row: everything a send needs, plus whether a previous claim was lost mid-send. */
    public record Claimed(UUID id, UUID taskId, UUID projectId, String event, RouteKind kind, String target,
            int attempt, int maxAttempts, String requestedBy, Instant createdAt, UUID claimToken,
            boolean previousClaimLost, UUID environmentId) {

        /** Whether the route's token bucket decides on it: an event's first claim (not a test, digest or retry). */
        boolean takesAToken() {
            return attempt == 1 && !previousClaimLost && !"test".equals(event) && !"digest".equals(event);
        }
    }

    /** Who writes the system's own notifications (sandbox notices, digests). */
    static final String SYSTEM = "system:notifications";

    /** Only a well-formed UUID is cast: a malformed {@code projectId} must not fail the task's outcome. */
    private static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private final NotifyConfig config;

    NotificationOutbox(NotifyConfig config) {
        this.config = config;
    }

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

    /**
     * Inserts one row per route of each task in {@code done} (a relation with {@code id, type, status,
     * payload, requested_by}), see {@link #ROUTES}; each only if the project's event selection for the
     * route (or its default) contains {@code task.<status>}. The project is the payload's
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
            .formatted(UUID_PATTERN, ROUTES, SELECTED.formatted("'task.' || d.status"));

    /**
     * PagerDuty's resolves: for each task of {@code resolved} (a relation with {@code id, requested_by})
     * whose dead letter triggered an incident, one {@code dead_letter_resolved} row to each routing key a
     * trigger went to (so the resolve reaches the incident it closes, whatever the project says now).
     * Parameter: max attempts.
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

    /** Binds {@link #TASK_ROUTES}'s parameters from {@code index} on; returns the next index. */
    public int bindTaskRoutes(Connection c, PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setInt(i++, config.maxAttempts());
        i = bindRoutes(statement, i);
        statement.setBoolean(i++, config.diagnosticTasks());
        statement.setInt(i++, config.maxAttempts()); // INCIDENT_RESOLVES
        return i;
    }

    /** Binds {@link #ROUTES} and {@link #SELECTED} from {@code index} on; returns the next index. */
    private int bindRoutes(PreparedStatement statement, int index) throws SQLException {
        int i = index;
        statement.setString(i++, config.teamsWebhookUrl().filter(s -> !s.isBlank()).orElse(null));
        statement.setString(i++, globalRecipients());
        statement.setString(i++, config.slackWebhookUrl().filter(s -> !s.isBlank()).orElse(null));
        statement.setString(i++, config.pagerDuty().routingKey().filter(s -> !s.isBlank()).orElse(null));
        statement.setString(i++, EventSelection.defaultsJson());
        return i;
    }

    /**
     * Writes the "expiring soon" notice of every active sandbox whose nearest notice offset has come (an
     * offset longer than the sandbox's life is skipped), to each of its project's routes that chose
     * {@code sandbox.expiring}. Each notice has the key {@code sandbox.expiring:<env>:<offset s>:<expiresAt s>},
     * written once per route however many instances run this at once (an extended sandbox, with a new
     * {@code expiresAt}, is told again). Returns the rows written.
     */
    public int enqueueSandboxExpiring(Connection c, List<Duration> offsets) throws SQLException {
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
                        .formatted(ROUTES, SELECTED.formatted("'sandbox.expiring'")))) {
            insert.setInt(1, config.maxAttempts());
            insert.setString(2, SYSTEM);
            insert.setArray(3, c.createArrayOf("bigint", offsets.stream().map(Duration::toSeconds).toArray()));
            bindRoutes(insert, 4);
            return insert.executeUpdate();
        }
    }

    /**
     * Writes the "expired" notice of a sandbox to each of its project's routes that chose
     * {@code sandbox.expired}, once (key {@code sandbox.expired:<env>}): a retried expiry step writes
     * nothing more. Returns the rows written.
     */
    public int enqueueSandboxExpired(Connection c, UUID environmentId) throws SQLException {
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
                        .formatted(ROUTES, SELECTED.formatted("'sandbox.expired'")))) {
            insert.setInt(1, config.maxAttempts());
            insert.setString(2, SYSTEM);
            insert.setObject(bindRoutes(insert, 3), environmentId);
            return insert.executeUpdate();
        }
    }

    /**
     * Data-modifying CTEs to append to a statement that defines {@code done} (see {@link #TASK_ROUTES}):
     * {@code , outbox AS (...), resolves AS (...)}, the second resolving the PagerDuty incident of a
     * retried dead letter that now succeeded ({@link #INCIDENT_RESOLVES}).
     */
    public static String taskRoutesCte() {
        return ",\noutbox AS (" + TASK_ROUTES + "),\nresolved AS (" + SUCCEEDED_RETRIES + "),\nresolves AS ("
                + INCIDENT_RESOLVES + ")\n";
    }

    /**
     * Writes PagerDuty's resolve of the incident that task {@code taskId}'s dead letter triggered, in the
     * caller's transaction (a dead letter skipped by an operator); nothing when no trigger was written.
     */
    public void enqueueIncidentResolve(Connection c, UUID taskId, String requestedBy) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "WITH resolved AS (SELECT ?::uuid AS id, ?::text AS requested_by)\n" + INCIDENT_RESOLVES)) {
            insert.setObject(1, taskId);
            insert.setString(2, requestedBy);
            insert.setInt(3, config.maxAttempts());
            insert.executeUpdate();
        }
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

    /**
     * Writes a test notification to every route of {@code projectId} (its own, else the global one)
     * or, without a project, to the global routes; returns the ids written (none when no route is
     * configured). {@code maxAttempts} 1: the test is sent now and its answer is final, not retried.
     */
    public List<UUID> enqueueTest(Connection c, UUID projectId, String requestedBy, int maxAttempts)
            throws SQLException {
        String teams = config.teamsWebhookUrl().filter(s -> !s.isBlank()).orElse(null);
        String email = globalRecipients();
        String slack = config.slackWebhookUrl().filter(s -> !s.isBlank()).orElse(null);
        String pagerDuty = config.pagerDuty().routingKey().filter(s -> !s.isBlank()).orElse(null);
        if (projectId != null) {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT teams_webhook_url, array_to_string(email_recipients, ',') AS email, slack_webhook_url,"
                            + " pager_duty_routing_key FROM project WHERE id = ?")) {
                select.setObject(1, projectId);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        teams = blankToNull(rs.getString(1)) != null ? rs.getString(1) : teams;
                        email = blankToNull(rs.getString(2)) != null ? rs.getString(2) : email;
                        slack = blankToNull(rs.getString(3)) != null ? rs.getString(3) : slack;
                        pagerDuty = blankToNull(rs.getString(4)) != null ? rs.getString(4) : pagerDuty;
                    }
                }
            }
        }
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement(
                """
                        INSERT INTO notification_outbox (id, project_id, event, route_kind, target, status, attempts, max_attempts,
                                                         next_attempt_at, requested_by, created_at)
                        VALUES (?, ?, 'test', ?, ?, 'pending', 0, ?, now(), ?, now())""")) {
            for (RouteKind kind : RouteKind.values()) {
                String target = switch (kind) {
                    case TEAMS -> teams;
                    case EMAIL -> email;
                    case SLACK -> slack;
                    case PAGERDUTY -> pagerDuty;
                };
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

    /**
     * Claims up to {@code limit} due rows for this dispatcher: pending rows whose time has come, and
     * rows another dispatcher claimed but never finished (its lease passed). Locked rows are skipped,
     * so dispatchers in several processes never claim the same row; the claim is committed before
     * anything is sent, and holds for {@link NotifyConfig#claimLease()}.
     */
    List<Claimed> claim(Connection c, int limit) throws SQLException {
        // rows whose lost claims used up their attempts end as failed
        try (PreparedStatement exhausted = c.prepareStatement("""
                UPDATE notification_outbox SET status = 'failed', next_attempt_at = NULL, claim_token = NULL,
                       last_error = 'the dispatcher sending attempt ' || attempts || ' stopped before it finished'
                WHERE status = 'sending' AND next_attempt_at <= now() AND attempts >= max_attempts""")) {
            exhausted.executeUpdate();
        }
        return claimWhere(c,
                "status IN ('pending', 'sending') AND next_attempt_at <= now() AND attempts < max_attempts",
                limit, null);
    }

    /**
     * Claims the given rows if they are still pending (a test sent at once by its request, see
     * {@link NotificationDispatcher#sendNow}), as {@link #claim} would; the dispatcher's poll skips them
     * once claimed.
     */
    List<Claimed> claimIds(Connection c, List<UUID> ids) throws SQLException {
        return claimWhere(c, "status = 'pending' AND id = ANY (?)", ids.size(), c.createArrayOf("uuid", ids.toArray()));
    }

    private List<Claimed> claimWhere(Connection c, String due, int limit, java.sql.Array ids) throws SQLException {
        UUID token = UUID.randomUUID();
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE notification_outbox o SET status = 'sending', attempts = o.attempts + 1, claim_token = ?,
                                                 next_attempt_at = now() + make_interval(secs => ?)
                FROM (SELECT id, status AS was FROM notification_outbox
                      WHERE %s
                      ORDER BY next_attempt_at, created_at LIMIT ? FOR UPDATE SKIP LOCKED) due
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
                    claimed.add(new Claimed(rs.getObject("id", UUID.class), rs.getObject("task_id", UUID.class),
                            rs.getObject("project_id", UUID.class), rs.getString("event"),
                            RouteKind.fromValue(rs.getString("route_kind")), rs.getString("target"),
                            rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getString("requested_by"),
                            rs.getTimestamp("created_at").toInstant(), token, "sending".equals(rs.getString("was")),
                            rs.getObject("environment_id", UUID.class)));
                }
            }
        }
        for (Claimed row : claimed) {
            if (row.previousClaimLost()) {
                insertAttempt(c, row.id(), row.attempt() - 1, Delivery.failed(null,
                        "interrupted: the dispatcher sending it stopped before it finished", Duration.ZERO));
            }
        }
        return claimed;
    }

    /**
     * Takes the rows {@code overflow} of one route out of sending, into the route's open digest (written
     * if there is none: due when {@link NotifyConfig#digestWindow()} has passed): status
     * {@code digested}, the claim's attempt given back. Returns the digest's id.
     */
    UUID digest(Connection c, RouteKind kind, String target, List<Claimed> overflow) throws SQLException {
        UUID digest = openDigest(c, kind, target, overflow.get(0).projectId());
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE notification_outbox SET status = 'digested', digest_id = ?, attempts = attempts - 1,
                                               claim_token = NULL, next_attempt_at = NULL
                WHERE id = ANY (?)""")) {
            update.setObject(1, digest);
            update.setArray(2, c.createArrayOf("uuid", overflow.stream().map(Claimed::id).toArray()));
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
                insert.setString(6, SYSTEM);
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

    /**
     * Records an attempt and the row's next state: sent; pending again at {@code retryAt}; or failed
     * when {@code retryAt} is null. Fenced by the claim token: a dispatcher whose claim was taken over
     * writes nothing. Returns whether it was written.
     */
    boolean complete(Connection c, Claimed row, Delivery delivery, Instant retryAt) throws SQLException {
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

    private String globalRecipients() {
        return config.emailTo().map(list -> String.join(",", list.stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList())).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 2000 ? value : value.substring(0, 1997) + "...";
    }
}
