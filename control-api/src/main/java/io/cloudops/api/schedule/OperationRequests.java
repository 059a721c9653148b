package io.cloudops.api.schedule;

import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.problem.ApiException;

/**
 * Reads a scheduled operation's request as its endpoint reads a call: the path parameters by name,
 * then the rest as the endpoint's body (with the application's strict JSON settings), validated
 * with the body's constraints.
 */
public final class OperationRequests {

    private OperationRequests() {
    }

    /** The path parameter {@code name}: required, a string (400 naming it otherwise). */
    public static String pathParameter(ObjectNode request, String name) {
        JsonNode value = request.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.invalidParameter(name, "is required (a path parameter of the endpoint)");
        }
        if (!value.isTextual()) {
            throw ApiException.invalidParameter(name, "must be a string");
        }
        return value.asText();
    }

    /**
     * The request without {@code pathParameters} read as {@code type} and checked with its bean
     * constraints; {@code null} when nothing is left and the body is optional.
     */
    public static <T> T body(ObjectMapper json, Validator validator, ObjectNode request, Class<T> type,
            boolean optional, String... pathParameters) throws JsonProcessingException {
        ObjectNode rest = request.deepCopy();
        rest.remove(java.util.List.of(pathParameters));
        if (optional && rest.isEmpty()) {
            return null;
        }
        T body = json.treeToValue(rest, type);
        validate(validator, body);
        return body;
    }

    /** Throws the endpoint's 400 for a body that breaks its constraints. */
    public static <T> void validate(Validator validator, T body) {
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }
}
