package io.cloudops.orchestrator.channel;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskMessage;

/**
 * The wire form of a {@link TaskMessage}: a small JSON object
 * ({@code {"taskId":..., "entityId":..., "type":...}}), the same on every broker so that a
 * message can be read by any consumer (or a person looking at the queue).
 */
public final class TaskMessageCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskMessageCodec() {
    }

    public static byte[] encode(TaskMessage message) {
        return JSON.createObjectNode()
                .put("taskId", message.taskId().toString())
                .put("entityId", message.entityId())
                .put("type", message.type())
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a wake-up; throws {@link IllegalArgumentException} for anything that is not one. */
    public static TaskMessage decode(byte[] body) {
        if (body == null) {
            throw new IllegalArgumentException("empty task message");
        }
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    /** Reads a wake-up from its JSON text; throws {@link IllegalArgumentException} for anything that is not one. */
    public static TaskMessage decode(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task message is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("task message is not a JSON object");
        }
        String entityId = node.path("entityId").asText("");
        if (entityId.isBlank()) {
            throw new IllegalArgumentException("task message has no entityId");
        }
        UUID taskId;
        try {
            taskId = UUID.fromString(node.path("taskId").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task message has no valid taskId");
        }
        return new TaskMessage(taskId, entityId, node.path("type").asText(null));
    }
}
