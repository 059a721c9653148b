package io.cloudops.orchestrator.catalog;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.cloudops.common.deployment.TemplateParameterView;

/**
 * A parameter a template declares: its type, whether it is required, its default and its
 * constraints ({@code allowedValues}: the only values it takes, null when any value of its type
 * that passes the other rules will do). Values are checked strictly (no "2" for an integer), because
 * they end up in Kubernetes objects where a wrong type is a rejected manifest, found only at apply time.
 */
public record TemplateParameter(String name, Type type, String description, boolean required, Object defaultValue,
        Pattern pattern, Integer maxLength, Long minimum, Long maximum, List<Object> allowedValues) {

    /** Types a parameter may have; rendered as the matching YAML scalar. */
    public enum Type {
        STRING("string"), INTEGER("integer"), BOOLEAN("boolean");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Type of(String value) {
            for (Type type : values()) {
                if (type.value.equals(value)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown parameter type '" + value + "' (string, integer, boolean)");
        }
    }

    /** What is wrong with {@code value} for this parameter, if anything. */
    public Optional<String> problem(Object value) {
        Optional<String> typed = typeProblem(value);
        if (typed.isPresent() || allowedValues == null) {
            return typed;
        }
        // an integer arrives as Integer or Long: compare by value, not by class
        String given = value.toString();
        return allowedValues.stream().anyMatch(allowed -> allowed.toString().equals(given))
                ? Optional.empty()
                : Optional.of("must be one of " + String.join(", ", allowedValues.stream().map(Object::toString)
                        .toList()));
    }

    private Optional<String> typeProblem(Object value) {
        return switch (type) {
            case STRING -> {
                if (!(value instanceof String text)) {
                    yield Optional.of("must be a string");
                }
                if (maxLength != null && text.length() > maxLength) {
                    yield Optional.of("must be at most " + maxLength + " characters");
                }
                if (pattern != null && !pattern.matcher(text).matches()) {
                    yield Optional.of("must match " + pattern.pattern());
                }
                yield Optional.empty();
            }
            case INTEGER -> {
                if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
                    yield Optional.of("must be an integer");
                }
                BigInteger number = new BigInteger(value.toString());
                if (minimum != null && number.compareTo(BigInteger.valueOf(minimum)) < 0) {
                    yield Optional.of("must be at least " + minimum);
                }
                if (maximum != null && number.compareTo(BigInteger.valueOf(maximum)) > 0) {
                    yield Optional.of("must be at most " + maximum);
                }
                yield Optional.empty();
            }
            case BOOLEAN -> value instanceof Boolean ? Optional.empty() : Optional.of("must be true or false");
        };
    }

    public TemplateParameterView view() {
        return new TemplateParameterView(name, type.value(), description, required, defaultValue,
                pattern == null ? null : pattern.pattern(), maxLength, minimum, maximum, allowedValues);
    }
}
