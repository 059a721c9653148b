package io.cloudops.orchestrator.notification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification as a Slack incoming-webhook message in Block Kit: a header block with the title,
 * a section of fields with the same facts as the Teams card, the error and its hint, and an actions
 * block with the "Open task" link button and the message's action buttons. {@code text} is the fallback Slack shows in notifications
 * and where blocks cannot be rendered. The outcome's colour is an emoji in the status field (Block Kit
 * has no colours outside legacy attachments).
 */
public final class SlackMessage {

    /** Slack shows at most 10 fields per section and 3000 characters per text. */
    static final int MAX_FIELDS = 10;
    static final int MAX_TEXT = 3000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SlackMessage() {
    }

    /** The webhook body: {@code {"text": ..., "blocks": [...]}}. */
    public static ObjectNode body(NotificationMessage message) {
        ObjectNode body = NODES.objectNode().put("text", message.title());
        ArrayNode blocks = body.putArray("blocks");
        // header text is plain_text and at most 150 characters
        blocks.addObject().put("type", "header").set("text", plain(clip(message.title(), 150)));
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, "Task type", message.taskType());
        field(fields, "Status", emoji(message) + " " + message.statusLabel());
        field(fields, "Entity", message.entity());
        field(fields, "Environment", message.environment());
        field(fields, "Duration", message.durationLabel());
        field(fields, "Requested by", message.requestedBy());
        field(fields, "Failed step", message.failedStep());
        if (message.error() != null) {
            blocks.addObject().put("type", "section").set("text", markdown("*Error:* " + escape(message.error())));
        }
        if (message.hint() != null) {
            blocks.addObject().put("type", "context").putArray("elements").add(markdown(escape(message.hint())));
        }
        if (message.isTest()) {
            blocks.addObject().put("type", "section")
                    .set("text", markdown("This route works: task outcomes will be posted here."));
        }
        ObjectNode button = NODES.objectNode().put("type", "button");
        button.set("text", plain(message.linkLabel()));
        button.put("url", message.link()).put("action_id", "open_task");
        if ("failed".equals(message.event()) || "dead_lettered".equals(message.event())) {
            button.put("style", "danger");
        } else {
            button.put("style", "primary");
        }
        ArrayNode elements = blocks.addObject().put("type", "actions").putArray("elements");
        elements.add(button);
        for (int i = 0; i < message.buttons().size(); i++) {
            NotificationMessage.Button action = message.buttons().get(i);
            elements.addObject().put("type", "button").put("url", action.url()).put("action_id", "action_" + i)
                    .set("text", plain(action.title()));
        }
        return body;
    }

    /** The status's colour as an emoji: green for a success, red for a failure, blue otherwise. */
    static String emoji(NotificationMessage message) {
        return switch (message.event()) {
            case "succeeded" -> ":large_green_circle:";
            case "failed", "dead_lettered", "rejected" -> ":red_circle:";
            case "awaiting_approval" -> ":large_yellow_circle:";
            default -> ":large_blue_circle:";
        };
    }

    private static void field(ArrayNode fields, String title, String value) {
        if (value != null && !value.isBlank() && fields.size() < MAX_FIELDS) {
            fields.add(markdown("*" + title + "*\n" + escape(value)));
        }
    }

    private static ObjectNode plain(String text) {
        return NODES.objectNode().put("type", "plain_text").put("text", text).put("emoji", true);
    }

    private static ObjectNode markdown(String text) {
        return NODES.objectNode().put("type", "mrkdwn").put("text", clip(text, MAX_TEXT));
    }

    /** Slack's mrkdwn escaping: {@code &}, {@code <} and {@code >} are the only characters to escape. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
