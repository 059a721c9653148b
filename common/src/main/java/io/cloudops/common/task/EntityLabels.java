package io.cloudops.common.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The readable name of the entity a task runs on, for people: {@code demo/dev} for an environment
 * (deployments, sandboxes), {@code azure-postgres/orders} for a database, {@code shop-prod/api} for a
 * workload. The entity id stays the session key and what filters match; this is only what the
 * console and the notifications show (docs/ui.md, "Readable names").
 *
 * <p>
 * One rule for both: the API stores the label with the task when it accepts it ({@code entity_label},
 * from the task's payload, which names what the id stands for), and a notification of a task
 * accepted before labels existed derives it from the payload the same way. A task whose payload names
 * nothing readable (a diagnostic, whose entity id is the caller's own text) has none: its id is shown.
 */
public final class EntityLabels {

    /** The column's width ({@code task.entity_label}, like {@code entity_id}); longer labels are cut. */
    public static final int MAX_LENGTH = 255;

    private EntityLabels() {
    }

    /** {@code <project>/<environment>}; null when either is unknown. */
    public static String environment(String project, String environment) {
        return blank(project) || blank(environment) ? null : cut(project + "/" + environment);
    }

    /**
     * The label of a task of {@code type} from its payload, as the payload's own fields name the entity;
     * null when the type or the payload names nothing readable.
     */
    public static String of(String type, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            return null;
        }
        return TaskType.find(type).map(known -> switch (known) {
            case DEPLOYMENT -> {
                String environment = environment(text(payload, "projectName"), text(payload, "envName"));
                // a preview runs in a session of its own, beside the environment's queue
                yield environment != null && payload.path("dryRun").asBoolean(false)
                        ? cut(environment + " (preview)")
                        : environment;
            }
            case SANDBOX_CREATE, SANDBOX_EXPIRE -> environment(text(payload, "projectName"), text(payload, "name"));
            case DB_BACKUP, DB_RESTORE -> joined(text(payload, "engine"), text(payload, "instanceId"));
            case RESTART_WORKLOAD -> joined(text(payload, "namespace"), text(payload, "name"));
            case DIAGNOSTIC -> null;
        }).orElse(null);
    }

    private static String joined(String first, String second) {
        return blank(first) || blank(second) ? null : cut(first + "/" + second);
    }

    private static String cut(String label) {
        return label.length() <= MAX_LENGTH ? label : label.substring(0, MAX_LENGTH - 1) + "…";
    }

    private static String text(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
