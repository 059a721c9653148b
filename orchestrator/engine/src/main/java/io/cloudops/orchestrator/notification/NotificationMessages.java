package io.cloudops.orchestrator.notification;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.EntityLabels;
import io.cloudops.orchestrator.client.ActionLinks;

/** Reads what a claimed notification should say from the task it is about (or builds the test message). */
@ApplicationScoped
class NotificationMessages {

    private final ObjectMapper json;
    private final NotifyConfig config;
    private final ActionLinks links;

    NotificationMessages(ObjectMapper json, NotifyConfig config, ActionLinks links) {
        this.json = json;
        this.config = config;
        this.links = links;
    }

    NotificationMessage read(Connection c, ClaimedNotification row) throws SQLException {
        String base = stripSlash(config.publicBaseUrl());
        if ("digest".equals(row.event())) {
            return digest(c, row, base);
        }
        if (row.event().startsWith("sandbox.")) {
            return sandboxNotice(c, row, base);
        }
        if (row.taskId() == null) {
            String project = null;
            if (row.projectId() != null) {
                try (PreparedStatement select = c.prepareStatement("SELECT name FROM project WHERE id = ?")) {
                    select.setObject(1, row.projectId());
                    try (ResultSet rs = select.executeQuery()) {
                        project = rs.next() ? rs.getString(1) : null;
                    }
                }
            }
            return new NotificationMessage(row.id(), row.event(), null, "test",
                    project != null ? "project " + project : "global routes", null, null, row.requestedBy(), null,
                    null, null, base + "/settings");
        }
        try (PreparedStatement select = c.prepareStatement(
                """
                        SELECT t.type, t.entity_id, t.entity_label, t.requested_by, t.started_at, t.finished_at, t.error_message,
                               t.error_hint, t.payload::text,
                               (SELECT s.name FROM task_step s WHERE s.task_id = t.id AND s.status = 'failed' ORDER BY s.idx DESC LIMIT 1)
                                   AS failed_step
                        FROM task t WHERE t.id = ?""")) {
            select.setObject(1, row.taskId());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(
                            "task " + row.taskId() + " of notification " + row.id() + " is gone");
                }
                JsonNode payload = readJson(rs.getString("payload"));
                String type = rs.getString("type");
                String environment = text(payload, "envName");
                if (environment == null && type.startsWith("sandbox")) {
                    environment = text(payload, "name");
                }
                String entity = entity(rs.getString("entity_label"), type, rs.getString("entity_id"), payload);
                Timestamp started = rs.getTimestamp("started_at");
                Timestamp finished = rs.getTimestamp("finished_at");
                Duration duration = started == null || finished == null
                        ? null
                        : Duration.between(started.toInstant(), finished.toInstant());
                return new NotificationMessage(row.id(), row.event(), row.taskId(), type, entity, environment, duration,
                        rs.getString("requested_by"), rs.getString("failed_step"), rs.getString("error_message"),
                        rs.getString("error_hint"), base + "/tasks/" + row.taskId(), null,
                        taskButtons(base, row.event(), row.taskId()));
            }
        }
    }

    /**
     * A digest: how many notifications its route's bucket held back, of what, in which project, over the
     * digest window, with a link to the task list filtered to them ("12 more tasks failed in demo in the
     * last 5 minutes").
     */
    private NotificationMessage digest(Connection c, ClaimedNotification row, String base) throws SQLException {
        Map<String, Integer> byEvent = new LinkedHashMap<>();
        Set<String> projects = new TreeSet<>();
        int total = 0;
        try (PreparedStatement select = c.prepareStatement("""
                SELECT o.event, p.name AS project, count(*) AS n FROM notification_outbox o
                LEFT JOIN project p ON p.id = o.project_id
                WHERE o.digest_id = ? GROUP BY o.event, p.name ORDER BY count(*) DESC, o.event""")) {
            select.setObject(1, row.id());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    byEvent.merge(rs.getString("event"), rs.getInt("n"), Integer::sum);
                    total += rs.getInt("n");
                    if (rs.getString("project") != null) {
                        projects.add(rs.getString("project"));
                    }
                }
            }
        }
        String scope = projects.size() == 1 ? " in " + projects.iterator().next() : "";
        String window = " in the last " + windowLabel(config.digestWindow());
        String headline;
        StringBuilder link = new StringBuilder(base).append("/tasks");
        if (byEvent.size() == 1) {
            String event = byEvent.keySet().iterator().next();
            headline = total + " more " + what(event, total) + scope + window;
            if (!event.startsWith("sandbox.")) {
                link.append("?status=").append(event);
                if (projects.size() == 1) {
                    link.append("&project=")
                            .append(URLEncoder.encode(projects.iterator().next(), StandardCharsets.UTF_8));
                }
            }
        } else {
            headline = total + " more notifications" + scope + window + " ("
                    + String.join(", ",
                            byEvent.entrySet().stream().map(e -> e.getValue() + " " + what(e.getKey(), e.getValue()))
                                    .toList())
                    + ")";
        }
        return new NotificationMessage(row.id(), row.event(), null, null,
                projects.size() == 1
                        ? "project " + projects.iterator().next()
                        : "route " + row.kind().mask(row.target()),
                null, null, null, null, null,
                "The route's limit (NOTIFY_ROUTE_BURST, NOTIFY_ROUTE_PER_MINUTE) held these back; each is listed on its task's page.",
                link.toString(), headline, List.of());
    }

    /**
     * The action buttons of a task's message: Retry for a failure or dead letter, Approve and Reject for
     * a task awaiting approval; none for the rest. The retry of a dead letter re-runs the task as
     * {@code POST /api/tasks/{id}/retry} does.
     */
    private List<NotificationMessage.Button> taskButtons(String base, String event, UUID taskId) {
        return switch (event) {
            case "failed", "dead_lettered" -> List.of(button(base, ActionLinks.Action.RETRY, taskId));
            case "awaiting_approval" -> List.of(button(base, ActionLinks.Action.APPROVE, taskId),
                    button(base, ActionLinks.Action.REJECT, taskId));
            default -> List.of();
        };
    }

    private NotificationMessage.Button button(String base, ActionLinks.Action action, UUID subject) {
        return new NotificationMessage.Button(action.label(), links.url(base, action, subject));
    }

    private static String what(String event, int count) {
        String noun = event.startsWith("sandbox.")
                ? (count == 1 ? "sandbox" : "sandboxes")
                : (count == 1 ? "task" : "tasks");
        return noun + " " + switch (event) {
            case "succeeded" -> "succeeded";
            case "failed" -> "failed";
            case "dead_lettered" -> count == 1 ? "was dead-lettered" : "were dead-lettered";
            case "awaiting_approval" -> count == 1 ? "awaits approval" : "await approval";
            case "rejected" -> count == 1 ? "was rejected" : "were rejected";
            case "sandbox.expiring" -> count == 1 ? "is expiring soon" : "are expiring soon";
            case "sandbox.expired" -> "expired";
            default -> event;
        };
    }

    /** "5 minutes", "30 seconds", "1 hour". */
    static String windowLabel(Duration window) {
        long s = window.toSeconds();
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 == 1 ? "hour" : s / 3600 + " hours";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 == 1 ? "minute" : s / 60 + " minutes";
        }
        return s == 1 ? "second" : s + " seconds";
    }

    /**
     * A sandbox's "expiring soon" or "expired" notice: the sandbox, its project, when it expires, and
     * a link to its project's console page, where its TTL is extended ("Extend TTL"; sign-in and the
     * operator role still apply).
     */
    private NotificationMessage sandboxNotice(Connection c, ClaimedNotification row, String base)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT e.name, e.expires_at, p.id AS project_id, p.name AS project FROM environment e
                JOIN project p ON p.id = e.project_id WHERE e.id = ?""")) {
            select.setObject(1, row.environmentId());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(
                            "sandbox " + row.environmentId() + " of notification " + row.id() + " is gone");
                }
                String entity = EntityLabels.environment(rs.getString("project"), rs.getString("name"));
                Timestamp expires = rs.getTimestamp("expires_at");
                String page = base + "/projects/" + rs.getObject("project_id", UUID.class);
                boolean expired = "sandbox.expired".equals(row.event());
                String when = expires == null ? null : expires.toInstant().toString();
                String headline = expired
                        ? "Sandbox " + entity + " expired"
                        : "Sandbox " + entity + " expires in " + left(expires);
                return new NotificationMessage(row.id(), row.event(), null, null, entity, rs.getString("name"),
                        null, null, null, null,
                        expired
                                ? "Its namespace was deleted" + (when == null ? "." : " (it expired at " + when + ").")
                                : "It is torn down at " + when + " unless its TTL is extended.",
                        page, headline,
                        expired
                                ? List.of()
                                : List.of(button(base, ActionLinks.Action.EXTEND, row.environmentId())));
            }
        }
    }

    private static String left(Timestamp expires) {
        if (expires == null) {
            return "a moment";
        }
        long s = Math.max(0, Duration.between(java.time.Instant.now(), expires.toInstant()).toSeconds());
        if (s >= 3600) {
            return (s + 1799) / 3600 + " h";
        }
        if (s >= 60) {
            return (s + 29) / 60 + " min";
        }
        return s + " s";
    }

    /**
     * What a task notification names as its entity: the readable name stored with the task, else the
     * one its payload gives by the same rule (a task accepted before names were stored), else its id.
     */
    static String entity(String storedLabel, String type, String entityId, JsonNode payload) {
        if (storedLabel != null && !storedLabel.isBlank()) {
            return storedLabel;
        }
        String derived = EntityLabels.of(type, payload);
        return derived != null ? derived : entityId;
    }

    private JsonNode readJson(String value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode node = payload == null ? null : payload.get(field);
        return node == null || !node.isTextual() || node.asText().isBlank() ? null : node.asText();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
