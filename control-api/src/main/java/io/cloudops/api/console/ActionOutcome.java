package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;

/**
 * What a console action did: done (with the task it started or touched), or the problem the API
 * would have answered for the same request, or "not available yet" for a feature this server does
 * not have. Forms render the problem's {@code errors[].field} next to their inputs; the page answers
 * with the problem's status, as the API would.
 */
public record ActionOutcome(int status, UUID taskId, Problem problem, String missing) {

    /** Done; nothing to link to. */
    public static ActionOutcome done() {
        return new ActionOutcome(200, null, null, null);
    }

    /** Accepted (a new task, or the one an earlier submit with the same Idempotency-Key started). */
    public static ActionOutcome accepted(UUID taskId) {
        return new ActionOutcome(200, taskId, null, null);
    }

    public static ActionOutcome failed(Problem problem) {
        return new ActionOutcome(problem.status(), null, problem, null);
    }

    /** A problem the page found before acting (a required input missing, unparsable parameter lines). */
    public static ActionOutcome invalid(List<FieldError> errors, String instance) {
        String detail = errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        return failed(new Problem(ProblemTypes.VALIDATION, "Invalid request", 400,
                detail.isEmpty() ? "invalid input" : detail, instance, errors));
    }

    /**
     * A feature that arrives with a later release ({@code what} names its API, e.g.
     * {@code POST /api/notifications/test}): answered 404 like the API's missing route.
     */
    public static ActionOutcome unavailable(String what) {
        return new ActionOutcome(404, null, null, what);
    }

    /** Whether the action was done (the API would have answered 2xx). */
    public boolean ok() {
        return problem == null && missing == null;
    }

    /** The feature is not on this server yet: shown as "pending", not as an error of the person's input. */
    public boolean notAvailable() {
        return missing != null;
    }

    /** Messages of the problem's errors for {@code field} (also its elements, {@code field[1]}, and members, {@code field.x}). */
    public List<String> errorsFor(String field) {
        List<String> messages = new ArrayList<>();
        if (problem == null || problem.errors() == null) {
            return messages;
        }
        for (FieldError error : problem.errors()) {
            String name = error.field() == null ? "" : error.field();
            if (name.equals(field)) {
                messages.add(error.message());
            } else if (name.startsWith(field + "[") || name.startsWith(field + ".")) {
                messages.add(name.substring(field.length()) + " " + error.message());
            }
        }
        return messages;
    }

    /** Errors naming none of {@code fields}: shown above the form. */
    public List<FieldError> errorsNotIn(List<String> fields) {
        List<FieldError> rest = new ArrayList<>();
        if (problem == null || problem.errors() == null) {
            return rest;
        }
        for (FieldError error : problem.errors()) {
            String name = error.field() == null ? "" : error.field();
            boolean shown = fields.stream()
                    .anyMatch(f -> name.equals(f) || name.startsWith(f + "[") || name.startsWith(f + "."));
            if (!shown) {
                rest.add(error);
            }
        }
        return rest;
    }

    /** One line saying what happened, for an inline message or a toast. */
    public String summary() {
        if (ok()) {
            return taskId == null ? "Done." : "Accepted: task " + taskId;
        }
        if (notAvailable()) {
            return "Not available yet: this server has no " + missing
                    + ". The feature arrives with a later release.";
        }
        String title = problem.title() == null ? "Error " + status : problem.title();
        return problem.detail() == null ? title : title + ": " + problem.detail();
    }
}
