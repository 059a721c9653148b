package io.cloudops.orchestrator.notification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification as a Microsoft Teams message: an Adaptive Card (schema 1.5) in the envelope that
 * Teams Workflows webhooks take ({@code {"type":"message","attachments":[{"contentType":
 * "application/vnd.microsoft.card.adaptive","content":card}]}}; the retired Office 365 connectors
 * took MessageCards instead). The header's colour says the outcome: good (green) for a success,
 * attention (red) for a failure or dead letter, accent for a test.
 */
public final class TeamsCard {

    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    public static final String SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
    public static final String VERSION = "1.5";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TeamsCard() {
    }

    /** The webhook body: the envelope with the card as its one attachment. */
    public static ObjectNode envelope(NotificationMessage message) {
        ObjectNode envelope = NODES.objectNode().put("type", "message");
        envelope.putArray("attachments").addObject().put("contentType", CONTENT_TYPE).putNull("contentUrl")
                .set("content", card(message));
        return envelope;
    }

    /** The Adaptive Card itself. */
    public static ObjectNode card(NotificationMessage message) {
        ObjectNode card = NODES.objectNode().put("type", "AdaptiveCard").put("$schema", SCHEMA).put("version", VERSION);
        card.putObject("msteams").put("width", "Full");
        ArrayNode body = card.putArray("body");
        ObjectNode header = body.addObject().put("type", "Container").put("style", containerStyle(message))
                .put("bleed", true);
        ArrayNode headerItems = header.putArray("items");
        headerItems.addObject().put("type", "TextBlock").put("text", message.title()).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true);
        headerItems.addObject().put("type", "TextBlock").put("text", message.statusLabel())
                .put("color", textColor(message)).put("weight", "Bolder").put("spacing", "None");
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, "Task type", message.taskType());
        fact(facts, "Status", message.statusLabel());
        fact(facts, "Entity", message.entity());
        fact(facts, "Environment", message.environment());
        fact(facts, "Duration", message.durationLabel());
        fact(facts, "Requested by", message.requestedBy());
        fact(facts, "Failed step", message.failedStep());
        if (message.error() != null) {
            body.addObject().put("type", "TextBlock").put("text", message.error()).put("wrap", true)
                    .put("color", "Attention");
        }
        if (message.hint() != null) {
            body.addObject().put("type", "TextBlock").put("text", message.hint()).put("wrap", true)
                    .put("isSubtle", true);
        }
        if (message.isTest()) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("text",
                    "This route works: task outcomes will be posted here.");
        }
        ArrayNode actions = card.putArray("actions");
        actions.addObject().put("type", "Action.OpenUrl").put("title", message.linkLabel()).put("url", message.link());
        for (NotificationMessage.Button button : message.buttons()) {
            actions.addObject().put("type", "Action.OpenUrl").put("title", button.title()).put("url", button.url());
        }
        return card;
    }

    /** The header container's style: good, attention or accent. */
    static String containerStyle(NotificationMessage message) {
        return switch (message.event()) {
            case "succeeded" -> "good";
            case "failed", "dead_lettered", "rejected", "sandbox.expired" -> "attention";
            case "sandbox.expiring", "digest", "awaiting_approval" -> "warning";
            default -> "accent";
        };
    }

    /** The status text's colour: Good, Attention or Accent. */
    static String textColor(NotificationMessage message) {
        return switch (message.event()) {
            case "succeeded" -> "Good";
            case "failed", "dead_lettered", "rejected", "sandbox.expired" -> "Attention";
            case "sandbox.expiring", "digest", "awaiting_approval" -> "Warning";
            default -> "Accent";
        };
    }

    private static void fact(ArrayNode facts, String title, String value) {
        if (value != null && !value.isBlank()) {
            facts.addObject().put("title", title).put("value", value);
        }
    }
}
