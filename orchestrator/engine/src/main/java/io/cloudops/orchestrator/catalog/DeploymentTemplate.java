package io.cloudops.orchestrator.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.deployment.TemplateView;
import io.cloudops.common.ops.OperationParams;

/**
 * A template of the catalog: Kubernetes manifests with {@code ${param}} placeholders and the
 * parameters they take. Validation and defaults live here so that the API (before it accepts a
 * request) and the handler (before it plans) apply the same rules.
 */
public record DeploymentTemplate(String id, String name, String description, List<TemplateParameter> parameters,
        List<ObjectNode> manifests) {

    /** A parameter that breaks a rule; {@code field} is its path in the request ({@code params.image}). */
    public record Violation(String field, String message) {
    }

    /** Kinds of the objects the template renders, in order ({@code Deployment}, {@code Service}). */
    public List<String> kinds() {
        return manifests.stream().map(m -> m.path("kind").asText()).toList();
    }

    public Optional<TemplateParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Every rule {@code params} breaks: unknown names, missing required values, wrong types or
     * values out of range. {@code simulate} is accepted besides the declared parameters.
     */
    public List<Violation> validate(Map<String, Object> params) {
        Map<String, Object> given = params == null ? Map.of() : params;
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, Object> entry : given.entrySet()) {
            String key = entry.getKey();
            if (key.equals(OperationParams.SIMULATE)) {
                if (!(entry.getValue() instanceof String value)
                        || !OperationParams.SIMULATE_VALUES.matcher(value).matches()) {
                    violations.add(new Violation("params." + key, OperationParams.SIMULATE_MESSAGE));
                }
                continue;
            }
            Optional<TemplateParameter> parameter = parameter(key);
            if (parameter.isEmpty()) {
                violations.add(new Violation("params." + key, "is not a parameter of template " + id
                        + " (parameters: " + parameterNames() + ")"));
            } else if (entry.getValue() != null) {
                parameter.get().problem(entry.getValue())
                        .ifPresent(problem -> violations.add(new Violation("params." + key, problem)));
            }
        }
        for (TemplateParameter parameter : parameters) {
            if (parameter.required() && given.get(parameter.name()) == null) {
                violations.add(new Violation("params." + parameter.name(), "is required by template " + id));
            }
        }
        violations.sort(Comparator.comparing(Violation::field));
        return violations;
    }

    /**
     * The parameters as the task runs them: every declared parameter with its value or default, in
     * declaration order, and {@code simulate} when it was given. Call after {@link #validate}.
     */
    public Map<String, Object> resolve(Map<String, Object> params) {
        Map<String, Object> given = params == null ? Map.of() : params;
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (TemplateParameter parameter : parameters) {
            Object value = given.get(parameter.name());
            resolved.put(parameter.name(), value == null ? parameter.defaultValue() : value);
        }
        if (given.get(OperationParams.SIMULATE) != null) {
            resolved.put(OperationParams.SIMULATE, given.get(OperationParams.SIMULATE));
        }
        return resolved;
    }

    public TemplateView view() {
        return new TemplateView(id, name, description, kinds(),
                parameters.stream().map(TemplateParameter::view).toList());
    }

    private String parameterNames() {
        return parameters.stream().map(TemplateParameter::name).sorted().collect(Collectors.joining(", "));
    }
}
