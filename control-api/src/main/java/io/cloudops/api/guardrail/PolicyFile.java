package io.cloudops.api.guardrail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskType;

/**
 * Reads a policy file (YAML, or JSON, which is YAML too) into checked {@link PolicySet}s: every
 * key known, every value of the right kind, every expression parsed and type-checked by CEL. Any
 * fault is an {@link Invalid} naming the file, the policy, and the line and column, so a broken
 * policy stops the control plane at start instead of failing (or passing) requests later.
 *
 * <pre>
 * policies:
 *   - name: max-replicas
 *     appliesTo: [deployment]
 *     expression: "!has(request.params.replicas) || request.params.replicas &lt;= 10"
 *     message: at most 10 replicas per deployment
 *     status: 422
 *     field: params.replicas
 * </pre>
 */
public final class PolicyFile {

    /** The shipped defaults, used when {@code POLICY_FILE} is unset. */
    public static final String DEFAULT_RESOURCE = "guardrails/default-policies.yaml";

    private static final Set<String> KEYS = Set.of("name", "description", "message", "appliesTo", "expression",
            "status", "field", "overridableBy");
    private static final String NAME = "[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?";

    private PolicyFile() {
    }

    /** A policy file that cannot be used; the message says where and why. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The policies of {@code file} (unset: the shipped defaults) in {@code timeZone}. */
    public static PolicySet load(Optional<String> file, String timeZone) throws Invalid {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw new Invalid("POLICY_TIME_ZONE " + timeZone + " is not a time zone (use an IANA name such as "
                    + "Europe/Berlin, or UTC)");
        }
        if (file.isEmpty() || file.get().isBlank()) {
            try (InputStream in = PolicyFile.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE, zone);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        Path path = Path.of(file.get().strip());
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new Invalid("POLICY_FILE " + path + " does not exist");
        } catch (IOException e) {
            throw new Invalid("POLICY_FILE " + path + " cannot be read: " + e.getMessage());
        }
        return parse(text, "POLICY_FILE " + path, zone);
    }

    /** The policies in {@code text}; {@code origin} names it in messages. */
    public static PolicySet parse(String text, String origin, ZoneId zone) throws Invalid {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Policy> policies = new ArrayList<>();
        try (JsonParser parser = yaml.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Invalid(origin + ": must be a mapping with a list under policies:");
            }
            boolean found = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int line = parser.currentLocation().getLineNr();
                JsonToken value = parser.nextToken();
                if (!"policies".equals(key)) {
                    throw new Invalid(origin + " line " + line + ": unknown key " + key + " (expected policies)");
                }
                found = true;
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new Invalid(origin + " line " + line + ": policies must be a list");
                }
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    int at = parser.currentLocation().getLineNr();
                    JsonNode node = yaml.readTree(parser);
                    policies.add(policy(node, origin, at));
                }
            }
            if (!found) {
                throw new Invalid(origin + ": no policies: list");
            }
        } catch (JsonProcessingException e) {
            throw new Invalid(origin + " line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": not valid YAML or JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Set<String> names = new HashSet<>();
        for (Policy policy : policies) {
            if (!names.add(policy.name())) {
                throw new Invalid(origin + " line " + policy.line() + ": policy " + policy.name()
                        + " is defined twice");
            }
        }
        return PolicySet.compile(policies, origin, zone);
    }

    private static Policy policy(JsonNode node, String origin, int line) throws Invalid {
        String where = origin + " line " + line;
        if (!node.isObject()) {
            throw new Invalid(where + ": each policy must be a mapping (name, expression, message, ...)");
        }
        String name = text(node, "name", where, true);
        if (!name.matches(NAME)) {
            throw new Invalid(where + ": policy name " + name
                    + " must be 1 to 64 lower-case letters, digits or '-', starting and ending with a letter or digit");
        }
        where = where + ", policy " + name;
        for (var it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new Invalid(where + ": unknown key " + key + " (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        String expression = text(node, "expression", where, true);
        String message = text(node, "message", where, true);
        String description = Optional.ofNullable(text(node, "description", where, false)).orElse("");
        List<String> appliesTo = new ArrayList<>();
        JsonNode ops = node.get("appliesTo");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw new Invalid(where + ": appliesTo must be a non-empty list of operations ("
                    + String.join(", ", operations()) + ", or *)");
        }
        for (JsonNode op : ops) {
            if (!op.isTextual() || !(operations().contains(op.asText()) || Policy.ANY_OPERATION.equals(op.asText()))) {
                throw new Invalid(where + ": appliesTo names " + op + ", not an operation (" + String.join(", ",
                        operations()) + ", or *)");
            }
            appliesTo.add(op.asText());
        }
        int status = 422;
        JsonNode statusNode = node.get("status");
        if (statusNode != null) {
            if (!statusNode.isInt() || (statusNode.asInt() != 403 && statusNode.asInt() != 422)) {
                throw new Invalid(where + ": status must be 403 or 422, not " + statusNode);
            }
            status = statusNode.asInt();
        }
        Optional<String> overridableBy = Optional.ofNullable(text(node, "overridableBy", where, false));
        if (overridableBy.isPresent() && !Roles.ALL.contains(overridableBy.get())) {
            throw new Invalid(where + ": overridableBy must be one of " + String.join(", ", Roles.ALL) + ", not "
                    + overridableBy.get());
        }
        return new Policy(name, description, message, appliesTo, expression, status,
                Optional.ofNullable(text(node, "field", where, false)), overridableBy, line);
    }

    private static String text(JsonNode node, String key, String where, boolean required) throws Invalid {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Invalid(where + ": " + key + " is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new Invalid(where + ": " + key + " must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> operations() {
        return java.util.Arrays.stream(TaskType.values()).map(TaskType::type).toList();
    }
}
