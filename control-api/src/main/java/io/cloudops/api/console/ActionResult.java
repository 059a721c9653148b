package io.cloudops.api.console;

import java.util.UUID;

/**
 * What an action button did, for the inline message next to it: {@code done} when it was done,
 * otherwise the API's problem (or "not available yet" for a feature this server does not have),
 * with a link to the task it concerns.
 */
public record ActionResult(String done, ActionOutcome outcome, UUID taskId) {

    public static ActionResult of(String done, ActionOutcome outcome) {
        return new ActionResult(done, outcome, outcome.taskId());
    }

    public static ActionResult of(String done, ActionOutcome outcome, UUID taskId) {
        return new ActionResult(done, outcome, outcome.taskId() != null ? outcome.taskId() : taskId);
    }

    public boolean ok() {
        return outcome.ok();
    }

    /** {@code ok}, {@code pending} (not on this server yet) or {@code bad}: the CSS class of the message. */
    public String tone() {
        if (outcome.ok()) {
            return "ok";
        }
        return outcome.notAvailable() ? "pending" : "bad";
    }

    public String message() {
        return outcome.ok() ? done : outcome.summary();
    }
}
