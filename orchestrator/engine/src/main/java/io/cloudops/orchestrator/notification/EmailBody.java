package io.cloudops.orchestrator.notification;

import java.util.LinkedHashMap;
import java.util.Map;

/** The two parts of a notification email, with the same facts as the Teams card. */
final class EmailBody {

    private EmailBody() {
    }

    /** The facts shown, in order; absent ones left out. */
    static Map<String, String> facts(NotificationMessage message) {
        Map<String, String> facts = new LinkedHashMap<>();
        put(facts, "Task type", message.taskType());
        put(facts, "Status", message.statusLabel());
        put(facts, "Entity", message.entity());
        put(facts, "Environment", message.environment());
        put(facts, "Duration", message.durationLabel());
        put(facts, "Requested by", message.requestedBy());
        put(facts, "Failed step", message.failedStep());
        put(facts, "Error", message.error());
        put(facts, "Hint", message.hint());
        return facts;
    }

    static String text(NotificationMessage message) {
        StringBuilder text = new StringBuilder(message.title()).append("\n\n");
        facts(message).forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        text.append('\n').append(message.linkLabel()).append(": ").append(message.link()).append('\n');
        for (NotificationMessage.Button button : message.buttons()) {
            text.append(button.title()).append(": ").append(button.url()).append('\n');
        }
        return text.toString();
    }

    static String html(NotificationMessage message) {
        String colour = switch (message.event()) {
            case "succeeded" -> "#1a7f37";
            case "failed", "dead_lettered", "rejected" -> "#cf222e";
            case "awaiting_approval" -> "#9a6700";
            default -> "#0969da";
        };
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.append("<h2 style=\"color:").append(colour).append("\">").append(escape(message.title())).append("</h2>");
        html.append("<table cellpadding=\"4\">");
        facts(message).forEach((k, v) -> html.append("<tr><th align=\"left\">").append(escape(k))
                .append("</th><td>").append(escape(v)).append("</td></tr>"));
        html.append("</table><p><a href=\"").append(escape(message.link())).append("\">")
                .append(message.linkLabel()).append("</a>");
        for (NotificationMessage.Button button : message.buttons()) {
            html.append(" &middot; <a href=\"").append(escape(button.url())).append("\">")
                    .append(escape(button.title()))
                    .append("</a>");
        }
        html.append("</p></body></html>");
        return html.toString();
    }

    private static void put(Map<String, String> facts, String key, String value) {
        if (value != null && !value.isBlank()) {
            facts.put(key, value);
        }
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
