package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.TemplateParameter;

/**
 * The deploy form's inputs for the parameters a template declares: one per parameter, as it is
 * declared (a number input with its bounds for an integer, a checkbox for a boolean, a select for
 * allowed values, text otherwise), prefilled with its default, its description and rules as the
 * hint. An input is named by the parameter's path in the request ({@code params.replicas}), the
 * field the API's problem names, so the server's message lands next to it. Here the submitted text
 * only becomes the request's JSON values; the rules are the service's (the template's
 * {@code validate}), one set for the API and the form.
 */
public final class DeployParameters {

    /** Prefix of the inputs' names: the parameters' place in the request body. */
    static final String PREFIX = "params.";
    private static final String WHOLE_NUMBER = "-?\\d{1,18}";

    /** How a parameter is entered. */
    public enum Kind {
        TEXT, INTEGER, BOOLEAN, CHOICE
    }

    /**
     * One parameter's input: {@code input} is its form name, {@code id} its element id (the hint's
     * and the error's ids derive from it), {@code hint} its description and rules in words.
     */
    public record Field(String name, String input, String id, Kind kind, boolean required, String hint,
            Long minimum, Long maximum, Integer maxLength, List<String> options, boolean hasDefault) {

        public String helpId() {
            return id + "-help";
        }

        public String errorId() {
            return id + "-error";
        }
    }

    /** The form's parameter part: the template it shows the fields of, if one is chosen. */
    public record Section(String templateId, String templateName, String description, List<Field> fields) {

        static Section none() {
            return new Section("", "", "", List.of());
        }

        public boolean chosen() {
            return !templateId.isEmpty();
        }
    }

    private DeployParameters() {
    }

    static Section section(Optional<DeploymentTemplate> template) {
        return template.map(t -> new Section(t.id(), t.name(), t.description(),
                t.parameters().stream().map(DeployParameters::field).toList())).orElseGet(Section::none);
    }

    /** The form names of the template's inputs, in declaration order. */
    static List<String> inputs(DeploymentTemplate template) {
        return template.parameters().stream().map(p -> PREFIX + p.name()).toList();
    }

    /** The inputs' values before anything is typed: the defaults, as text (an unchecked box is "false"). */
    static Map<String, String> defaults(DeploymentTemplate template) {
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParameter parameter : template.parameters()) {
            Object value = parameter.defaultValue();
            values.put(PREFIX + parameter.name(), value == null ? "" : value.toString());
        }
        return values;
    }

    /** The defaults, and the values a page link gives ({@code /actions/deploy?templateId=web-app&params.replicas=3}). */
    static Map<String, String> prefilled(DeploymentTemplate template, MultivaluedMap<String, String> query) {
        Map<String, String> values = defaults(template);
        values.replaceAll((input, value) -> query.containsKey(input) ? query.getFirst(input).strip() : value);
        return values;
    }

    /**
     * The inputs' values as submitted (or, for a page link, given in the query), stripped; a box
     * not ticked is not sent, so a boolean without a value is "false".
     */
    static Map<String, String> submitted(DeploymentTemplate template, MultivaluedMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateParameter parameter : template.parameters()) {
            String given = form.getFirst(PREFIX + parameter.name());
            String text = given == null ? "" : given.strip();
            values.put(PREFIX + parameter.name(), parameter.type() == TemplateParameter.Type.BOOLEAN
                    ? String.valueOf("true".equals(text))
                    : text);
        }
        return values;
    }

    /**
     * The request's {@code params}: an empty input is left out (the default applies, or the service
     * says the parameter is required), a whole number in an integer input becomes a JSON number and
     * anything else in it stays text (the service answers "must be an integer" for that field).
     */
    static ObjectNode params(DeploymentTemplate template, Map<String, String> values, ObjectMapper json) {
        ObjectNode params = json.createObjectNode();
        for (TemplateParameter parameter : template.parameters()) {
            String name = parameter.name();
            String text = values.getOrDefault(PREFIX + name, "");
            switch (parameter.type()) {
                case BOOLEAN -> params.put(name, "true".equals(text));
                case INTEGER -> {
                    if (text.matches(WHOLE_NUMBER)) {
                        params.put(name, Long.parseLong(text));
                    } else if (!text.isEmpty()) {
                        params.put(name, text);
                    }
                }
                case STRING -> {
                    if (!text.isEmpty()) {
                        params.put(name, text);
                    }
                }
            }
        }
        return params;
    }

    private static Field field(TemplateParameter parameter) {
        Kind kind = parameter.allowedValues() != null
                ? Kind.CHOICE
                : switch (parameter.type()) {
                    case INTEGER -> Kind.INTEGER;
                    case BOOLEAN -> Kind.BOOLEAN;
                    case STRING -> Kind.TEXT;
                };
        List<String> options = parameter.allowedValues() == null
                ? List.of()
                : parameter.allowedValues().stream().map(Object::toString).toList();
        return new Field(parameter.name(), PREFIX + parameter.name(), "deploy-param-" + parameter.name(), kind,
                parameter.required(), hint(parameter, kind), parameter.minimum(), parameter.maximum(),
                parameter.maxLength(), options, parameter.defaultValue() != null);
    }

    /** The description, then the rules a form cannot show by itself, then the default. */
    private static String hint(TemplateParameter parameter, Kind kind) {
        List<String> parts = new ArrayList<>();
        if (!parameter.description().isBlank()) {
            parts.add(parameter.description().strip().replaceAll("(?<!\\.)\\.$", ""));
        }
        if (kind == Kind.INTEGER) {
            parts.add(range(parameter.minimum(), parameter.maximum()));
        } else if (kind == Kind.TEXT && parameter.maxLength() != null) {
            parts.add("at most " + parameter.maxLength() + " characters");
        }
        if (parameter.defaultValue() != null) {
            parts.add("default " + parameter.defaultValue());
        }
        return String.join(" · ", parts);
    }

    private static String range(Long minimum, Long maximum) {
        if (minimum != null && maximum != null) {
            return "a whole number from " + minimum + " to " + maximum;
        }
        if (minimum != null) {
            return "a whole number, at least " + minimum;
        }
        return maximum != null ? "a whole number, at most " + maximum : "a whole number";
    }
}
