package io.cloudops.api.guardrail;

import java.util.List;
import java.util.Optional;

/**
 * One guard rail as written in the policy file: a CEL {@code expression} that must be true for a
 * request to be allowed.
 *
 * @param name          stable id, named in the problem and the audit log
 * @param description   what it protects, for people reading the file
 * @param message       what a denied client is told
 * @param appliesTo     the task types it is evaluated for ({@code *}: all)
 * @param expression    CEL, of type bool: true allows
 * @param status        403 (refused for who or when: only an override or waiting helps) or 422
 *                      (refused for what the request asks: change it)
 * @param field         the request field at fault, for a 422's {@code errors[].field} (optional)
 * @param overridableBy the role that may override a denial by giving a {@code reason} (optional)
 * @param line          line of the policy in its file
 */
public record Policy(String name, String description, String message, List<String> appliesTo, String expression,
        int status, Optional<String> field, Optional<String> overridableBy, int line) {

    public static final String ANY_OPERATION = "*";

    public Policy {
        appliesTo = List.copyOf(appliesTo);
    }

    public boolean appliesTo(String taskType) {
        return appliesTo.contains(ANY_OPERATION) || appliesTo.contains(taskType);
    }
}
