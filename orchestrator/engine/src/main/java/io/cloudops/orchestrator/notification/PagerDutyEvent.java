package io.cloudops.orchestrator.notification;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification as a PagerDuty Events API v2 event ({@code POST /v2/enqueue}): {@code trigger} for a
 * dead letter, {@code resolve} when that dead letter was retried successfully or skipped. The
 * {@code dedup_key} is the task's, so a task dead-lettered again joins its open incident and the
 * resolve closes it. A trigger carries {@code payload.summary} (at most 1024 characters),
 * {@code source} (the entity), {@code severity}, {@code component} (the task type),
 * {@code custom_details} (the facts of the Teams card) and a link to the task; a resolve needs only
 * the routing key, the action and the dedup key.
 */
public final class PagerDutyEvent {

    public static final String TRIGGER = "trigger";
    public static final String RESOLVE = "resolve";

    /** PagerDuty truncates a longer summary; we cut it ourselves so the end says it was cut. */
    static final int MAX_SUMMARY = 1024;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PagerDutyEvent() {
    }

    /** The dedup key of a task's incident. */
    public static String dedupKey(UUID taskId) {
        return "cloudops-task-" + taskId;
    }

    /** The action this notification takes: a resolved dead letter resolves, anything else triggers. */
    static String action(NotificationMessage message) {
        return NotificationMessage.DEAD_LETTER_RESOLVED.equals(message.event()) ? RESOLVE : TRIGGER;
    }

    /** The event for {@code message}, with its task's dedup key (a test's own id). */
    public static ObjectNode of(String routingKey, NotificationMessage message) {
        String dedupKey = message.taskId() != null
                ? dedupKey(message.taskId())
                : "cloudops-test-" + message.notificationId();
        return action(message).equals(RESOLVE) ? resolve(routingKey, dedupKey) : trigger(routingKey, dedupKey, message);
    }

    static ObjectNode trigger(String routingKey, String dedupKey, NotificationMessage message) {
        ObjectNode event = NODES.objectNode().put("routing_key", routingKey).put("event_action", TRIGGER)
                .put("dedup_key", dedupKey).put("client", "CloudOps Control Plane").put("client_url", message.link());
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", clip(message.title())).put("source", message.entity())
                .put("severity", message.isTest() ? "info" : "error").put("component", message.taskType())
                .put("group", message.environment() != null ? message.environment() : message.entity())
                .put("class", message.event());
        ObjectNode details = payload.putObject("custom_details");
        for (Map.Entry<String, String> fact : EmailBody.facts(message).entrySet()) {
            details.put(fact.getKey(), fact.getValue());
        }
        event.putArray("links").addObject().put("href", message.link())
                .put("text", message.isTest() ? "Open settings" : "Open task");
        return event;
    }

    static ObjectNode resolve(String routingKey, String dedupKey) {
        return NODES.objectNode().put("routing_key", routingKey).put("event_action", RESOLVE).put("dedup_key",
                dedupKey);
    }

    private static String clip(String text) {
        return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY - 1) + "…";
    }
}
