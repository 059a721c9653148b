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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.orchestrator.client.TaskErrors;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure of a REST call into an RFC 9457 problem document. Nothing a client sends
 * may produce a stack trace in the response: unexpected failures become a 500 problem that only
 * carries a reference to the server log.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return problem(new Problem(e.type(), e.title(), e.status(), e.getMessage(), path(uri), e.errors()));
    }

    @ServerExceptionMapper
    public Response taskNotFound(TaskErrors.NotFound e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.NOT_FOUND, "Not found", 404, e.getMessage(), path(uri), null));
    }

    @ServerExceptionMapper
    public Response taskConflict(TaskErrors.Conflict e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.CONFLICT, "Conflict", 409, e.getMessage(), path(uri), null));
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(TaskErrors.IdempotencyKeyReused e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.CONFLICT, "Idempotency-Key reused", 409, e.getMessage(), path(uri),
                List.of(new FieldError("Idempotency-Key", "was used for a different request"))));
    }

    @ServerExceptionMapper
    public Response unknownTaskType(TaskErrors.UnknownType e, UriInfo uri) {
        return problem(
                new Problem(ProblemTypes.UNPROCESSABLE, "Request cannot be processed", 422, e.getMessage(), path(uri),
                        List.of(new FieldError("type", e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return problem(new Problem(ProblemTypes.VALIDATION, "Invalid request", 400, detail, path(uri), errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = jsonPath(e);
        return badJson(uri, field, "is not a known field" + knownFields(e));
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        String field = jsonPath(e);
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            String allowed = Arrays.stream(target.getEnumConstants()).map(Object::toString).map(this::wireName)
                    .collect(Collectors.joining(", "));
            return badJson(uri, field, "must be one of: " + allowed);
        }
        return badJson(uri, field, "has the wrong type or format" + expected(target));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return problem(new Problem(ProblemTypes.MALFORMED, "Malformed request body", 400,
                    "The request body must be a JSON object" + expected(e.getTargetType()), path(uri), null));
        }
        return badJson(uri, field, "has the wrong type" + expected(e.getTargetType()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        String field = jsonPath(e);
        // Jackson's own message names Java types; say what the client can fix instead
        return badJson(uri, field.isEmpty() ? "body" : field, "has a value of the wrong type or out of range");
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return malformed(e, uri);
    }

    @ServerExceptionMapper(priority = 2)
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return malformed(e, uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.NOT_FOUND, "Not found", 404,
                "No resource at " + path(uri) + "; see /q/openapi for the API", path(uri), null));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        // Quarkus REST does not say which methods the path has; OPTIONS and the OpenAPI document do
        String allowed = String.join(", ", e.getResponse().getAllowedMethods());
        String detail = allowed.isEmpty()
                ? "This HTTP method is not supported on " + path(uri) + "; see /q/openapi for the API"
                : "Allowed methods for " + path(uri) + ": " + allowed;
        return problem(
                new Problem(ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed", 405, detail, path(uri), null));
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", 415,
                "Send the request body as application/json", path(uri), null));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.NOT_ACCEPTABLE, "Not acceptable", 406,
                "This resource produces application/json", path(uri), null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        // The framework wraps some client errors; render them as if they had been thrown directly.
        if (e.getCause() instanceof ApiException api) {
            return api(api, uri);
        }
        if (e.getCause() instanceof JsonMappingException json) {
            return jsonMapping(json, uri);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri, null);
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        String type = status == 413
                ? ProblemTypes.TOO_LARGE
                : status == 400 ? ProblemTypes.MALFORMED : ProblemTypes.HTTP;
        String detail = status == 413 ? "The request body is larger than the server accepts" : info.getReasonPhrase();
        return problem(new Problem(type, info.getReasonPhrase(), status, detail, path(uri), null));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.UNAUTHORIZED, "Unauthorized", 401,
                "Sign in or send a bearer token", path(uri), null));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(new UnauthorizedException(), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403,
                "Your role does not allow this action", path(uri), null));
    }

    @ServerExceptionMapper
    public Response commitOutcomeUnknown(TaskErrors.CommitOutcomeUnknown e, UriInfo uri, HttpHeaders headers) {
        LOG.warnf("Commit outcome unknown on %s: %s", path(uri), e.getMessage());
        String key = headers == null ? null : headers.getHeaderString(TaskAcceptance.IDEMPOTENCY_KEY);
        return commitOutcomeUnknown(key, path(uri));
    }

    /**
     * 503 for a request whose transaction may or may not have committed. Retrying blindly could
     * enqueue the task twice, so the problem says so and tells the client the safe way on.
     */
    static Response commitOutcomeUnknown(String idempotencyKey, String path) {
        String detail = idempotencyKey != null
                ? "The database connection was lost while committing: the request may or may not have been accepted. "
                        + "Resend it with the same Idempotency-Key ('" + idempotencyKey + "'): it is accepted at most "
                        + "once, and answers 200 with the task if the first attempt did commit"
                : "The database connection was lost while committing: the request may or may not have been accepted. "
                        + "Check GET /api/tasks?entityId=... before resending; send an Idempotency-Key with "
                        + "task-creating requests so that a resend is always safe";
        return Response.fromResponse(problem(new Problem(ProblemTypes.COMMIT_OUTCOME_UNKNOWN,
                "Outcome unknown", 503, detail, path, null))).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response internal(Throwable e, UriInfo uri, HttpHeaders headers) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TaskErrors.CommitOutcomeUnknown unknown) {
                return commitOutcomeUnknown(unknown, uri, headers); // wrapped on its way out
            }
        }
        if (DatabaseOutage.isCause(e)) {
            // nothing was accepted: the client can safely retry (with the same Idempotency-Key)
            LOG.warnf("Database unavailable on %s: %s", path(uri), e.getMessage());
            return Response.fromResponse(problem(new Problem(ProblemTypes.UNAVAILABLE, "Service unavailable", 503,
                    "The database is unavailable; nothing was changed. Retry in a few seconds (with the same Idempotency-Key)",
                    path(uri), null))).header("Retry-After", "5").build();
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unhandled error on %s (reference %s)", path(uri), reference);
        return problem(new Problem(ProblemTypes.INTERNAL, "Internal error", 500,
                "The server failed to handle this request; quote reference " + reference + " to an administrator",
                path(uri), null));
    }

    static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private Response badJson(UriInfo uri, String field, String message) {
        return problem(new Problem(ProblemTypes.VALIDATION, "Invalid request", 400, field + " " + message, path(uri),
                List.of(new FieldError(field, message))));
    }

    private Response malformed(JsonProcessingException e, UriInfo uri) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return problem(new Problem(ProblemTypes.MALFORMED, "Malformed JSON", 400,
                "The request body is not valid JSON" + where, path(uri), null));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /** {@code emailRecipients[1]}, {@code environments[0].name}: where in the body the bad value sits. */
    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
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

    private String wireName(String enumConstant) {
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
