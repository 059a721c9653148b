package io.cloudops.api.problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.cloudops.api.config.UnicodeText;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.orchestrator.client.TaskErrors;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one translation from a failure to its RFC 9457 problem, shared by the API and the console.
 * {@link ProblemExceptionMappers} answers API requests with it; console pages, which call the same
 * services directly, show the same problem next to their fields ({@link #of}). So a field name, a
 * message or a status cannot differ between a form and the endpoint it stands for.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    private Problems() {
    }

    /**
     * The problem the API would answer for {@code e}: the same choice the exception mappers make
     * (the most specific type wins), for callers that catch instead of letting JAX-RS map.
     */
    public static Problem of(Throwable e, String instance) {
        return switch (e) {
            case ApiException api -> api(api, instance);
            case TaskErrors.NotFound notFound -> taskNotFound(notFound, instance);
            case TaskErrors.Conflict conflict -> taskConflict(conflict, instance);
            case TaskErrors.NotAllowed notAllowed -> taskNotAllowed(notAllowed, instance);
            case TaskErrors.IdempotencyKeyReused reused -> idempotencyKeyReused(reused, instance);
            case TaskErrors.UnknownType unknown -> unknownTaskType(unknown, instance);
            case ConstraintViolationException violation -> constraintViolation(violation, instance);
            case UnrecognizedPropertyException unknown -> unknownField(unknown, instance);
            case InvalidFormatException format -> invalidFormat(format, instance);
            case MismatchedInputException mismatched -> mismatchedInput(mismatched, instance);
            case JsonMappingException mapping -> jsonMapping(mapping, instance);
            case JsonProcessingException processing -> malformed(processing, instance);
            case NotFoundException notFound -> notFound(instance);
            case NotAllowedException notAllowed -> notAllowed(notAllowed, instance);
            case NotSupportedException notSupported -> notSupported(instance);
            case NotAcceptableException notAcceptable -> notAcceptable(instance);
            case WebApplicationException web -> webApplication(web, instance);
            case UnauthorizedException unauthorized -> unauthorized(instance);
            case AuthenticationFailedException failed -> unauthorized(instance);
            case ForbiddenException forbidden -> forbidden(instance);
            default -> internal(e, instance);
        };
    }

    public static Problem api(ApiException e, String instance) {
        return new Problem(e.type(), e.title(), e.status(), e.getMessage(), instance, e.errors());
    }

    public static Problem taskNotFound(TaskErrors.NotFound e, String instance) {
        return new Problem(ProblemTypes.NOT_FOUND, "Not found", 404, e.getMessage(), instance, null);
    }

    public static Problem taskConflict(TaskErrors.Conflict e, String instance) {
        return new Problem(ProblemTypes.CONFLICT, "Conflict", 409, e.getMessage(), instance, null);
    }

    public static Problem taskNotAllowed(TaskErrors.NotAllowed e, String instance) {
        return new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403, e.getMessage(), instance, null);
    }

    public static Problem idempotencyKeyReused(TaskErrors.IdempotencyKeyReused e, String instance) {
        return new Problem(ProblemTypes.CONFLICT, "Idempotency-Key reused", 409, e.getMessage(), instance,
                List.of(new FieldError("Idempotency-Key", "was used for a different request")));
    }

    public static Problem unknownTaskType(TaskErrors.UnknownType e, String instance) {
        return new Problem(ProblemTypes.UNPROCESSABLE, "Request cannot be processed", 422, e.getMessage(), instance,
                List.of(new FieldError("type", e.getMessage())));
    }

    public static Problem constraintViolation(ConstraintViolationException e, String instance) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return new Problem(ProblemTypes.VALIDATION, "Invalid request", 400, detail, instance, errors);
    }

    public static Problem unknownField(UnrecognizedPropertyException e, String instance) {
        String field = jsonPath(e);
        return badJson(instance, field, "is not a known field" + knownFields(e));
    }

    public static Problem invalidFormat(InvalidFormatException e, String instance) {
        String field = jsonPath(e);
        if (e.getValue() instanceof String text && !UnicodeText.isAcceptable(text)) {
            return badJson(instance, field.isEmpty() ? "body" : field, UnicodeText.MESSAGE);
        }
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            String allowed = Arrays.stream(target.getEnumConstants()).map(Object::toString).map(Problems::wireName)
                    .collect(Collectors.joining(", "));
            return badJson(instance, field, "must be one of: " + allowed);
        }
        return badJson(instance, field, "has the wrong type or format" + expected(target));
    }

    public static Problem mismatchedInput(MismatchedInputException e, String instance) {
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return new Problem(ProblemTypes.MALFORMED, "Malformed request body", 400,
                    "The request body must be a JSON object" + expected(e.getTargetType()), instance, null);
        }
        return badJson(instance, field, "has the wrong type" + expected(e.getTargetType()));
    }

    public static Problem jsonMapping(JsonMappingException e, String instance) {
        String field = jsonPath(e);
        // Jackson's own message names Java types; say what the client can fix instead
        return badJson(instance, field.isEmpty() ? "body" : field, "has a value of the wrong type or out of range");
    }

    public static Problem malformed(JsonProcessingException e, String instance) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new Problem(ProblemTypes.MALFORMED, "Malformed JSON", 400,
                "The request body is not valid JSON" + where, instance, null);
    }

    public static Problem notFound(String instance) {
        return new Problem(ProblemTypes.NOT_FOUND, "Not found", 404,
                "No resource at " + instance + "; see /q/openapi for the API", instance, null);
    }

    public static Problem notAllowed(NotAllowedException e, String instance) {
        // Quarkus REST does not say which methods the path has; OPTIONS and the OpenAPI document do
        String allowed = String.join(", ", e.getResponse().getAllowedMethods());
        String detail = allowed.isEmpty()
                ? "This HTTP method is not supported on " + instance + "; see /q/openapi for the API"
                : "Allowed methods for " + instance + ": " + allowed;
        return new Problem(ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed", 405, detail, instance, null);
    }

    public static Problem notSupported(String instance) {
        return new Problem(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", 415,
                "Send the request body as application/json", instance, null);
    }

    public static Problem notAcceptable(String instance) {
        return new Problem(ProblemTypes.NOT_ACCEPTABLE, "Not acceptable", 406,
                "This resource produces application/json", instance, null);
    }

    public static Problem webApplication(WebApplicationException e, String instance) {
        // The framework wraps some client errors; render them as if they had been thrown directly.
        if (e.getCause() instanceof ApiException api) {
            return api(api, instance);
        }
        if (e.getCause() instanceof JsonMappingException json) {
            return jsonMapping(json, instance);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, instance);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, instance);
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        String type = status == 413
                ? ProblemTypes.TOO_LARGE
                : status == 400 ? ProblemTypes.MALFORMED : ProblemTypes.HTTP;
        String detail = status == 413 ? "The request body is larger than the server accepts" : info.getReasonPhrase();
        return new Problem(type, info.getReasonPhrase(), status, detail, instance, null);
    }

    public static Problem unauthorized(String instance) {
        return new Problem(ProblemTypes.UNAUTHORIZED, "Unauthorized", 401, "Sign in or send a bearer token", instance,
                null);
    }

    /**
     * A signed-in user whose token carries none of the roles {@code OIDC_ROLE_MAP} accepts: the
     * problem says which token roles are accepted, in which claim, and what the token had.
     */
    public static Problem noAcceptedRole(String instance, String claim, String accepted,
            java.util.Collection<String> had) {
        return new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403,
                "Your token carries none of the roles this server accepts. Accepted in claim '" + claim + "': "
                        + accepted + ". Your token has: " + (had.isEmpty()
                                ? "no roles"
                                : String.join(", ", had
                                        .stream().sorted().toList()))
                        + ".",
                instance, null);
    }

    public static Problem forbidden(String instance) {
        return new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403, "Your role does not allow this action", instance,
                null);
    }

    /**
     * A failure nobody can act on: a 503 when the database is unreachable (nothing was accepted, a
     * retry is safe), otherwise a 500 that only carries a reference to the server log.
     */
    public static Problem internal(Throwable e, String instance) {
        return internal(e, instance, null);
    }

    /** {@code idempotencyKey}: the request's, for the advice of a commit whose outcome is unknown. */
    public static Problem internal(Throwable e, String instance, String idempotencyKey) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TaskErrors.CommitOutcomeUnknown unknown) { // also when wrapped on its way out
                LOG.warnf("Commit outcome unknown on %s: %s", instance, unknown.getMessage());
                return commitOutcomeUnknown(idempotencyKey, instance);
            }
        }
        if (isDatabaseOutage(e)) {
            LOG.warnf("Database unavailable on %s: %s", instance, e.getMessage());
            return new Problem(ProblemTypes.UNAVAILABLE, "Service unavailable", 503,
                    "The database is unavailable; nothing was changed. Retry in a few seconds (with the same Idempotency-Key)",
                    instance, null);
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unhandled error on %s (reference %s)", instance, reference);
        return new Problem(ProblemTypes.INTERNAL, "Internal error", 500,
                "The server failed to handle this request; quote reference " + reference + " to an administrator",
                instance, null);
    }

    /** Whether {@link #internal} answers the database outage (a 503 that invites a retry). */
    /**
     * 503 for a request whose transaction may or may not have committed. Retrying blindly could
     * enqueue the task twice, so the problem says so and tells the client the safe way on.
     */
    public static Problem commitOutcomeUnknown(String idempotencyKey, String instance) {
        String detail = idempotencyKey != null
                ? "The database connection was lost while committing: the request may or may not have been accepted. "
                        + "Resend it with the same Idempotency-Key ('" + idempotencyKey + "'): it is accepted at most "
                        + "once, and answers 200 with the task if the first attempt did commit"
                : "The database connection was lost while committing: the request may or may not have been accepted. "
                        + "Check GET /api/tasks?entityId=... before resending; send an Idempotency-Key with "
                        + "task-creating requests so that a resend is always safe";
        return new Problem(ProblemTypes.COMMIT_OUTCOME_UNKNOWN, "Outcome unknown", 503, detail, instance, null);
    }

    public static boolean isDatabaseOutage(Throwable e) {
        return DatabaseOutage.isCause(e);
    }

    private static Problem badJson(String instance, String field, String message) {
        return new Problem(ProblemTypes.VALIDATION, "Invalid request", 400, field + " " + message, instance,
                List.of(new FieldError(field, message)));
    }

    /** {@code emailRecipients[1]}, {@code environments[0].name}: where in the body the bad value sits. */
    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                // a key that is itself unacceptable text cannot be quoted back (it could not be written)
                path.append(UnicodeText.isAcceptable(ref.getFieldName()) ? ref.getFieldName() : "?");
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * Bean Validation paths look like {@code create.request.ttlMinutes} (method, parameter, property).
     * Clients know the property ({@code ttlMinutes}) for body fields and the parameter name for query
     * and path parameters.
     */
    static String fieldName(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        List<Path.Node> afterParameter = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : nodes) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            afterParameter.add(node);
        }
        if (afterParameter.isEmpty()) {
            return parameter == null ? violation.getPropertyPath().toString() : parameter;
        }
        StringBuilder field = new StringBuilder();
        for (Path.Node node : afterParameter) {
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                }
                continue;
            }
            if (node.getIndex() != null && node.getKind() != ElementKind.PROPERTY) {
                field.append('[').append(node.getIndex()).append(']');
            }
            // a property of a bean inside a list ({@code resources[0].kind}): the index belongs to the list
            if (node.getKind() == ElementKind.PROPERTY && node.isInIterable() && node.getIndex() != null
                    && !field.isEmpty()) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.toString();
    }

    private static String wireName(String enumConstant) {
        return enumConstant.toLowerCase(java.util.Locale.ROOT);
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "";
        }
        if (Number.class.isAssignableFrom(target) || target == int.class || target == long.class) {
            return " (expected a number)";
        }
        if (target == String.class) {
            return " (expected a string)";
        }
        if (target == Boolean.class || target == boolean.class) {
            return " (expected true or false)";
        }
        if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
            return " (expected an array)";
        }
        if (target == UUID.class) {
            return " (expected a UUID)";
        }
        return target.isRecord() || !target.getName().startsWith("java.") ? " (expected an object)" : "";
    }

    private static String knownFields(UnrecognizedPropertyException e) {
        if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        return " (known fields: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                .collect(Collectors.joining(", ")) + ")";
    }
}
