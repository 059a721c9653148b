package io.cloudops.api.console;

import java.util.UUID;

/**
 * What an action button did, for the inline message next to it: {@code done} when the API accepted
 * it, otherwise the API's problem (or "not available yet" for an endpoint this server does not
 * have), with a link to the task it concerns.
 */
public record ActionResult(String done, ApiOutcome outcome, UUID taskId) {

    public static ActionResult of(String done, ApiOutcome outcome) {
        return new ActionResult(done, outcome, outcome.taskId().orElse(null));
    }

    public static ActionResult of(String done, ApiOutcome outcome, UUID taskId) {
        return new ActionResult(done, outcome, outcome.taskId().orElse(taskId));
    }

    public boolean ok() {
        return outcome.ok();
    }

    /** {@code ok}, {@code pending} (endpoint not there yet) or {@code bad}: the CSS class of the message. */
    public String tone() {
        if (outcome.ok()) {
            return "ok";
        }
        return outcome.endpointMissing() ? "pending" : "bad";
    }

    public String message() {
        return outcome.ok() ? done : outcome.summary();
    }
}
