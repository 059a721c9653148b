package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.api.PageView;
import io.cloudops.common.deployment.LastDeploymentView;
import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.LogLineView;
import io.cloudops.common.task.QueueView;
import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.StepView;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.queue.QueueConfig;
import io.cloudops.orchestrator.queue.QueuePauses;

/** Read side of the engine: tasks with steps, logs and artifacts; listings; the queue; dead letters. */
@ApplicationScoped
public class TaskQueries {

    /** Log lines returned with a task (the newest ones). */
    public static final int LOG_TAIL = 200;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final EngineConfig config;
    private final QueueConfig queueConfig;

    TaskQueries(DataSource dataSource, ObjectMapper json, EngineConfig config, QueueConfig queueConfig) {
        this.queueConfig = queueConfig;
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
    }

    /**
     * Filters of {@code GET /api/tasks}; null means any. {@code project} is a project's name or id: the tasks
     * whose payload names that project ({@code projectId}: deployments, sandboxes and their expiry), the
     * filter a notification digest links to.
     */
    public record Filter(TaskStatus status, String type, String entityId, String project) {

        public Filter(TaskStatus status, String type, String entityId) {
            this(status, type, entityId, null);
        }
    }

    /**
     * A task as of one moment, with the {@code seq} of the last event that moment includes: a live
     * client that renders {@code task} and then follows the stream from after {@code lastSeq} sees
     * every change exactly once (no log line twice, none missing).
     */
    public record Snapshot(TaskView task, long lastSeq) {
    }

    public Optional<TaskView> get(UUID id) {
        return Tx.run(dataSource, c -> read(c, id));
    }

    /** The task and its last event seq, read from one database snapshot. */
    public Optional<Snapshot> snapshot(UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement isolation = c.prepareStatement(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")) {
                isolation.execute();
            }
            long lastSeq;
            try (PreparedStatement select = c.prepareStatement("SELECT event_seq FROM task WHERE id = ?")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    lastSeq = rs.getLong(1);
                }
            }
            return read(c, id).map(task -> new Snapshot(task, lastSeq));
        });
    }

    /** An artifact with the metadata later tasks look it up by (a backup's {@code engine} and {@code instanceId}). */
    public record StoredArtifact(ArtifactView view, java.util.Map<String, String> metadata) {
    }

    /** One artifact by id, whatever task wrote it (a restore names its backup this way). */
    public Optional<StoredArtifact> artifact(UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT task_id, kind, uri, size_bytes, sha256, created_at, metadata::text FROM task_artifact WHERE id = ?")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    ArtifactView view = new ArtifactView(id, rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getString(3), rs.getLong(4), rs.getString(5), instant(rs, 6));
                    java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
                    JsonNode node = readJson(rs.getString(7));
                    if (node != null) {
                        node.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
                    }
                    return Optional.of(new StoredArtifact(view, java.util.Map.copyOf(metadata)));
                }
            }
        });
    }

    private Optional<TaskView> read(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                """
                        SELECT id, type, status, entity_id, correlation_id, idempotency_key, requested_by, attempt, max_attempts,
                               created_at, started_at, finished_at, next_attempt_at, cancel_requested, error_message, error_hint, payload::text,
                               superseded_by, entity_label
                        FROM task WHERE id = ?""")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                TaskView.TaskError error = rs.getString(15) == null
                        ? null
                        : new TaskView.TaskError(rs.getString(15), rs.getString(16));
                return Optional.of(
                        new TaskView(id, rs.getString(2), TaskStatus.fromValue(rs.getString(3)), rs.getString(4),
                                rs.getString("entity_label"), rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getInt(8), rs.getInt(9),
                                instant(rs, 10),
                                instant(rs, 11), instant(rs, 12), instant(rs, 13), rs.getBoolean(14), error,
                                readJson(rs.getString(17)),
                                steps(c, id), logs(c, id), artifacts(c, id),
                                NotificationRequests.ofTask(c, id), rs.getObject(18, UUID.class),
                                Approvals.of(c, id).orElse(null)));
            }
        }
    }

    /**
     * The last succeeded deployment that applied something, per environment of {@code envIds} (one
     * query for all: the environment cards of a page). Previews run under entity ids of their own, so
     * they never count; a rollback does (it applied its plan).
     */
    public Map<String, LastDeploymentView> lastDeployments(java.util.Collection<String> envIds) {
        if (envIds.isEmpty()) {
            return Map.of();
        }
        return Tx.run(dataSource, c -> {
            Map<String, LastDeploymentView> last = new java.util.HashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    """
                            SELECT DISTINCT ON (entity_id) entity_id, id, payload ->> 'templateId', payload -> 'params', finished_at
                            FROM task WHERE entity_id = ANY (?) AND type = 'deployment' AND status = 'succeeded'
                                        AND COALESCE(payload ->> 'dryRun', 'false') <> 'true'
                            ORDER BY entity_id, finished_at DESC""")) {
                select.setArray(1, c.createArrayOf("varchar", envIds.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        JsonNode params = readJson(rs.getString(4));
                        Map<String, Object> values = params == null
                                ? Map.of()
                                : json.convertValue(params,
                                        new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {
                                        });
                        last.put(rs.getString(1), new LastDeploymentView(rs.getObject(2, UUID.class),
                                rs.getString(3), values, instant(rs, 5)));
                    }
                }
            }
            return last;
        });
    }

    /** How far past the requested page {@link #list} counts matching tasks before it gives a lower bound. */
    public static final int COUNT_BEYOND_PAGE = 10_000;

    /**
     * A page of tasks, newest first. {@code total} is exact up to {@link #COUNT_BEYOND_PAGE} tasks past the
     * page, else a lower bound ({@code totalExact} false).
     */
    public PageView<TaskSummaryView> list(Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (filter.status() != null) {
            where.append(" AND status = ?");
            args.add(filter.status().value());
        }
        if (filter.type() != null) {
            where.append(" AND type = ?");
            args.add(filter.type());
        }
        if (filter.entityId() != null) {
            where.append(" AND entity_id = ?");
            args.add(filter.entityId());
        }
        if (filter.project() != null) {
            where.append(
                    " AND payload ->> 'projectId' IN (SELECT id::text FROM project WHERE name = ? OR id::text = ?)");
            args.add(filter.project());
            args.add(filter.project());
        }
        long offset = (long) page * size;
        long countLimit = offset + size + COUNT_BEYOND_PAGE;
        return Tx.run(dataSource, c -> {
            long total;
            // counted up to COUNT_BEYOND_PAGE past the page: a list of a million tasks costs what one of 10,000 does
            try (PreparedStatement count = c
                    .prepareStatement("SELECT count(*) FROM (SELECT 1 FROM task" + where + " LIMIT ?) AS matching")) {
                int i = bind(count, args);
                count.setLong(i, countLimit);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            boolean exact = total < countLimit;
            List<TaskSummaryView> items = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    """
                            SELECT id, type, status, entity_id, requested_by, attempt, created_at, started_at, finished_at, next_attempt_at,
                                   error_message, entity_label FROM task"""
                            + where + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
                int i = bind(select, args);
                select.setInt(i++, size);
                select.setLong(i, offset);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(new TaskSummaryView(rs.getObject(1, UUID.class), rs.getString(2),
                                TaskStatus.fromValue(rs.getString(3)),
                                rs.getString(4), rs.getString("entity_label"), rs.getString(5), rs.getInt(6),
                                instant(rs, 7), instant(rs, 8),
                                instant(rs, 9),
                                instant(rs, 10), rs.getString(11)));
                    }
                }
            }
            return new PageView<>(items, page, size, total, exact);
        });
    }

    /** Stored events of a task after {@code afterSeq}, in order (for replay to live clients). */
    public List<TaskEvent> eventsAfter(UUID taskId, long afterSeq, int limit) {
        return Tx.run(dataSource, c -> {
            List<TaskEvent> events = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT seq, kind, step, status, message, percent, ts FROM task_event WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                select.setObject(1, taskId);
                select.setLong(2, afterSeq);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        events.add(new TaskEvent(taskId, rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5),
                                (Integer) rs.getObject(6), instant(rs, 7)));
                    }
                }
            }
            return events;
        });
    }

    /** Depth per session, what runs, and this configuration's limits (MAX_CONCURRENT_SESSIONS of the orchestrators). */
    public QueueView queue() {
        return Tx.run(dataSource, c -> {
            List<String> pausedEntities = new ArrayList<>();
            boolean maintenance = false;
            try (PreparedStatement select = c
                    .prepareStatement("SELECT entity_id FROM queue_pause ORDER BY entity_id LIMIT 1001")) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String entity = rs.getString("entity_id");
                        if (QueuePauses.ALL_ENTITIES.equals(entity)) {
                            maintenance = true;
                        } else {
                            pausedEntities.add(entity);
                        }
                    }
                }
            }
            List<QueueView.Session> sessions = new ArrayList<>();
            long queued = 0;
            long running = 0;
            try (PreparedStatement select = c.prepareStatement(
                    """
                            SELECT entity_id, count(*) FILTER (WHERE status <> 'running') AS queued,
                                   (array_agg(id) FILTER (WHERE status = 'running'))[1] AS running_task,
                                   (array_agg(entity_label ORDER BY queue_position DESC) FILTER (WHERE entity_label IS NOT NULL))[1]
                                       AS entity_label
                            FROM task WHERE status IN ('awaiting_approval', 'queued', 'running')
                            GROUP BY entity_id ORDER BY count(*) FILTER (WHERE status <> 'running') DESC, entity_id""")) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        UUID runningTask = rs.getObject("running_task", UUID.class);
                        String entity = rs.getString("entity_id");
                        queued += rs.getLong("queued");
                        running += runningTask == null ? 0 : 1;
                        if (sessions.size() < 500) {
                            sessions.add(new QueueView.Session(entity, rs.getString("entity_label"),
                                    rs.getLong("queued"), runningTask,
                                    maintenance || pausedEntities.contains(entity)));
                        }
                    }
                }
            }
            return new QueueView(sessions, queued, running, config.maxConcurrentSessions(),
                    config.maxMessagesPerSession(), maintenance, pausedEntities,
                    queueConfig.maxAge().map(Object::toString).orElse(null));
        });
    }

    private static List<StepView> steps(Connection c, UUID id) throws SQLException {
        List<StepView> steps = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT name, status, percent, started_at, finished_at, message FROM task_step WHERE task_id = ? ORDER BY idx")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    steps.add(new StepView(rs.getString(1), StepStatus.fromValue(rs.getString(2)), rs.getInt(3),
                            instant(rs, 4),
                            instant(rs, 5), rs.getString(6)));
                }
            }
        }
        return steps;
    }

    private static List<LogLineView> logs(Connection c, UUID id) throws SQLException {
        List<LogLineView> logs = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT line, ts, step, message FROM (SELECT * FROM task_log WHERE task_id = ? ORDER BY line DESC LIMIT ?) tail ORDER BY line")) {
            select.setObject(1, id);
            select.setInt(2, LOG_TAIL);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    logs.add(new LogLineView(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return logs;
    }

    private static List<ArtifactView> artifacts(Connection c, UUID id) throws SQLException {
        List<ArtifactView> artifacts = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, kind, uri, size_bytes, sha256, created_at FROM task_artifact WHERE task_id = ? ORDER BY created_at, id")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    artifacts.add(new ArtifactView(rs.getObject(1, UUID.class), id, rs.getString(2), rs.getString(3),
                            rs.getLong(4),
                            rs.getString(5), instant(rs, 6)));
                }
            }
        }
        return artifacts;
    }

    private static int bind(PreparedStatement statement, List<Object> args) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            statement.setObject(i++, arg);
        }
        return i;
    }

    JsonNode readJson(String value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is invalid", e);
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
