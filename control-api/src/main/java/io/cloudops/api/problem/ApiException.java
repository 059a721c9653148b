package io.cloudops.api.problem;

import java.util.List;

import io.cloudops.common.api.Problem.FieldError;

/**
 * An error a client can act on, rendered as an RFC 9457 problem by {@link ProblemExceptionMappers}.
 * Thrown by services; carries the HTTP status, a stable problem type and, for invalid input, the
 * offending fields.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(int status, String type, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, ProblemTypes.NOT_FOUND, "Not found", what + " " + id + " does not exist", null);
    }

    /** An unknown id sent in a request body (404), naming the field that carried it. */
    public static ApiException notFound(String what, Object id, String field) {
        return new ApiException(404, ProblemTypes.NOT_FOUND, "Not found", what + " " + id + " does not exist",
                List.of(new FieldError(field, "does not exist")));
    }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(409, ProblemTypes.CONFLICT, "Conflict", detail, List.of(new FieldError(field, detail)));
    }

    /** A query or path parameter that cannot be used as sent (400), naming it. */
    public static ApiException invalidParameter(String parameter, String message) {
        return new ApiException(400, ProblemTypes.VALIDATION, "Invalid request", parameter + " " + message,
                List.of(new FieldError(parameter, message)));
    }

    /** Well-formed input that breaks a rule of the domain (422), naming the field. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(422, ProblemTypes.UNPROCESSABLE, "Request cannot be processed", field + " " + message,
                List.of(new FieldError(field, message)));
    }

    /** The resource's current state does not allow the request (409); no single field is at fault. */
    public static ApiException stateConflict(String detail) {
        return new ApiException(409, ProblemTypes.CONFLICT, "Conflict", detail, null);
    }

    /** Several well-formed fields that break rules of the domain (422), each named. */
    public static ApiException invalidFields(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + " " + e.message())
                .collect(java.util.stream.Collectors.joining("; "));
        return new ApiException(422, ProblemTypes.UNPROCESSABLE, "Request cannot be processed", detail,
                List.copyOf(errors));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
