package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;

/**
 * What the API answered to an action the console relayed: the status and either the JSON body or
 * the RFC 9457 problem. Forms render it next to their fields ({@code errors[].field}); a missing
 * endpoint (a feature that has not landed on this server yet) is told apart from other 404s.
 */
public record ApiOutcome(String method, String path, int status, JsonNode body, Problem problem) {

    /** Whether the API accepted the request (2xx). */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The task the request created or touched: {@code taskId} of a 202, or the {@code id} of a task view. */
    public Optional<UUID> taskId() {
        if (body == null || !ok()) {
            return Optional.empty();
        }
        JsonNode id = body.hasNonNull("taskId") ? body.get("taskId") : null;
        if (id == null && body.hasNonNull("id") && body.has("steps")) {
            id = body.get("id");
        }
        try {
            return id == null ? Optional.empty() : Optional.of(UUID.fromString(id.asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The API has no such route (yet): the catch-all answered 404 for the path itself, or the path
     * exists but not for this method. Other branches add these endpoints; until then the console
     * says "not available yet" instead of pretending something was not found.
     */
    public boolean endpointMissing() {
        if (status == 405) {
            return true;
        }
        return status == 404 && problem != null && problem.detail() != null
                && problem.detail().startsWith("No resource at");
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
            return taskId().map(id -> "Accepted: task " + id).orElse("Done (" + status + ")");
        }
        if (endpointMissing()) {
            return "Not available yet: this server has no " + method + " " + path + " (it answered " + status
                    + "). The feature arrives with a later release.";
        }
        if (problem == null) {
            return "The API answered " + status;
        }
        String title = problem.title() == null ? "Error " + status : problem.title();
        return problem.detail() == null ? title : title + ": " + problem.detail();
    }

    /** A problem the console found before calling the API (a required path segment missing, unparsable input). */
    public static ApiOutcome local(String method, String path, List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + " " + e.message()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid input");
        return new ApiOutcome(method, path, 400,
                null, new Problem("/problems/validation-error", "Invalid request", 400, detail, path, errors));
    }
}
