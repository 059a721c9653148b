package io.cloudops.orchestrator.notification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which events go to which route of a project: {@code {"teams": ["task.failed", ...], "email": [...]}},
 * stored as given in {@code project.notify_events} (V8). A route kind the project did not choose for
 * (or a project that chose nothing) gets {@link RouteKind#defaultEvents()}, so a new kind of route
 * needs only its enum constant. The outbox's SQL reads the same rule (see
 * {@link NotificationRoutes#SELECTED}).
 */
public final class EventSelection {

    /** The API field the selection is in; problems name {@code notificationEvents.<route>[<index>]}. */
    public static final String FIELD = "notificationEvents";

    /** A selection that cannot be stored: the field (path) and what is wrong with it. */
    public record Invalid(String field, String message) {
    }

    private EventSelection() {
    }

    /** Every route kind with the events it gets: the project's choice, else the kind's default. */
    public static Map<String, List<String>> effective(Map<String, List<String>> stored) {
        Map<String, List<String>> effective = new LinkedHashMap<>();
        for (RouteKind kind : RouteKind.values()) {
            List<String> chosen = stored == null ? null : stored.get(kind.value());
            effective.put(kind.value(), chosen != null
                    ? List.copyOf(chosen)
                    : kind.defaultEvents().stream().map(NotifyEvent::value).toList());
        }
        return effective;
    }

    /** The defaults of every route kind as the JSON object the outbox's SQL falls back to. */
    static String defaultsJson() {
        StringBuilder json = new StringBuilder("{");
        for (RouteKind kind : RouteKind.values()) {
            json.append(json.length() > 1 ? "," : "").append('"').append(kind.value()).append("\":[");
            json.append(String.join(",", kind.defaultEvents().stream().map(e -> '"' + e.value() + '"').toList()));
            json.append(']');
        }
        return json.append('}').toString();
    }

    /** The first problem of a selection to store (unknown route kind or event, null list), or empty. */
    public static Optional<Invalid> validate(Map<String, List<String>> selection) {
        if (selection == null) {
            return Optional.empty();
        }
        List<String> kinds = new ArrayList<>();
        for (RouteKind kind : RouteKind.values()) {
            kinds.add(kind.value());
        }
        List<String> events = new ArrayList<>();
        for (NotifyEvent event : NotifyEvent.values()) {
            events.add(event.value());
        }
        for (Map.Entry<String, List<String>> route : selection.entrySet()) {
            String field = FIELD + "." + route.getKey();
            if (!kinds.contains(route.getKey())) {
                return Optional.of(new Invalid(field, "unknown route '" + route.getKey() + "': one of " + kinds));
            }
            if (route.getValue() == null) {
                return Optional.of(new Invalid(field, "must be a list of events (empty: none), one of " + events));
            }
            for (int i = 0; i < route.getValue().size(); i++) {
                String event = route.getValue().get(i);
                if (NotifyEvent.fromValue(event).isEmpty()) {
                    return Optional.of(new Invalid(field + "[" + i + "]",
                            "unknown event '" + event + "': one of " + events));
                }
            }
        }
        return Optional.empty();
    }
}
