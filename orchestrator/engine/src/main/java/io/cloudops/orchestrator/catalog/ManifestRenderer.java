package io.cloudops.orchestrator.catalog;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a template's manifests. Manifests are parsed as YAML once, and placeholders are replaced
 * inside the parsed tree, never in the text: a value can never add keys or documents (no YAML
 * injection), and a scalar that is exactly one placeholder takes the parameter's type
 * ({@code replicas: ${replicas}} renders as a number). Placeholders inside longer strings are
 * replaced as text. Keys are never rendered. Built-in values: {@code namespace}, {@code project},
 * {@code environment}.
 */
public final class ManifestRenderer {

    public static final Set<String> BUILT_INS = Set.of("namespace", "project", "environment");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build()).build();

    private ManifestRenderer() {
    }

    /** The manifests with every placeholder replaced and {@code metadata.namespace} set to {@code namespace}. */
    public static List<ObjectNode> render(List<ObjectNode> manifests, Map<String, Object> values, String namespace) {
        List<ObjectNode> rendered = new ArrayList<>();
        for (ObjectNode manifest : manifests) {
            ObjectNode copy = (ObjectNode) substitute(manifest.deepCopy(), values);
            JsonNode metadata = copy.path("metadata");
            if (metadata instanceof ObjectNode object) {
                object.put("namespace", namespace);
            }
            rendered.add(copy);
        }
        return rendered;
    }

    /** Names of every placeholder in the manifests, for checking a template when it is loaded. */
    public static Set<String> placeholders(List<ObjectNode> manifests) {
        Set<String> names = new TreeSet<>();
        manifests.forEach(m -> collect(m, names));
        return names;
    }

    /** Multi-document YAML of the manifests (the plan artifact), stable for the same input. */
    public static String toYaml(List<ObjectNode> manifests) {
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = YAML.writer().writeValues(out)) {
            for (ObjectNode manifest : manifests) {
                writer.write(manifest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Parses multi-document YAML into one object per document (empty documents skipped). */
    public static List<ObjectNode> fromYaml(String yaml) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document instanceof ObjectNode object) {
                    documents.add(object);
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalArgumentException("a manifest document is not a YAML mapping");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static JsonNode substitute(JsonNode node, Map<String, Object> values) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(substitute(field.getValue(), values));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substitute(array.get(i), values));
            }
            return array;
        }
        if (node.isTextual()) {
            return substituteText(node.asText(), values);
        }
        return node;
    }

    private static JsonNode substituteText(String text, Map<String, Object> values) {
        Matcher whole = PLACEHOLDER.matcher(text);
        if (whole.matches()) {
            return typed(value(whole.group(1), values));
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value(matcher.group(1), values))));
        }
        matcher.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private static Object value(String name, Map<String, Object> values) {
        if (!values.containsKey(name) || values.get(name) == null) {
            throw new IllegalArgumentException("no value for placeholder ${" + name + "}");
        }
        return values.get(name);
    }

    private static JsonNode typed(Object value) {
        if (value instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        if (value instanceof Number number) {
            // the narrowest integer node, as a YAML parser reads the number back
            BigInteger integer = new BigInteger(number.toString());
            if (integer.bitLength() < Integer.SIZE) {
                return JsonNodeFactory.instance.numberNode(integer.intValue());
            }
            return integer.bitLength() < Long.SIZE
                    ? JsonNodeFactory.instance.numberNode(integer.longValue())
                    : JsonNodeFactory.instance.numberNode(integer);
        }
        return TextNode.valueOf(value.toString());
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isContainerNode()) {
            node.forEach(child -> collect(child, names));
        } else if (node.isTextual()) {
            Matcher matcher = PLACEHOLDER.matcher(node.asText());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
    }
}
