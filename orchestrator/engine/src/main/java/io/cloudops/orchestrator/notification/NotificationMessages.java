package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what a claimed notification should say from the task it is about (or builds the test message). */
@ApplicationScoped
class NotificationMessages {

    private final ObjectMapper json;
    private final NotifyConfig config;

    NotificationMessages(ObjectMapper json, NotifyConfig config) {
        this.json = json;
        this.config = config;
    }

    NotificationMessage read(Connection c, NotificationOutbox.Claimed row) throws SQLException {
        String base = stripSlash(config.publicBaseUrl());
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
                        SELECT t.type, t.entity_id, t.requested_by, t.started_at, t.finished_at, t.error_message, t.error_hint,
                               t.payload::text,
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
                String project = text(payload, "projectName");
                String entity = project != null && environment != null
                        ? project + " / " + environment
                        : rs.getString("entity_id");
                Timestamp started = rs.getTimestamp("started_at");
                Timestamp finished = rs.getTimestamp("finished_at");
                Duration duration = started == null || finished == null
                        ? null
                        : Duration.between(started.toInstant(), finished.toInstant());
                return new NotificationMessage(row.id(), row.event(), row.taskId(), type, entity, environment, duration,
                        rs.getString("requested_by"), rs.getString("failed_step"), rs.getString("error_message"),
                        rs.getString("error_hint"), base + "/tasks/" + row.taskId());
            }
        }
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
