package io.cloudops.api.testsupport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The served OpenAPI 3.1 document rendered as OpenAPI 3.0.3, for the response validator
 * (swagger-request-validator 2.44 reads 3.0 only: given 3.1 it takes a {@code type: [string]}
 * header for JSON). The rendering is mechanical and exact for what the document uses:
 * {@code type: [T, "null"]} becomes {@code type: T, nullable: true}; a nullable reference
 * ({@code anyOf: [{$ref}, {type: null}]}) becomes a nullable copy of the schema it refers to; a
 * schema's {@code examples} array becomes its first {@code example}; the role names of a security
 * requirement are dropped (3.0 allows scopes only for OAuth2). Any other 3.1-only construct makes
 * it fail, so the validator never checks answers against a silently weakened contract.
 */
public final class OpenApi30Rendering {

    /** JSON Schema 2020-12 keywords that 3.0 does not have and this rendering does not translate. */
    private static final Set<String> UNTRANSLATED = Set.of("const", "prefixItems", "$defs", "if", "then", "else",
            "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "contentMediaType",
            "contentEncoding", "$schema", "$id", "$anchor", "$dynamicRef", "patternProperties", "propertyNames");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApi30Rendering() {
    }

    public static String of(String document31) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(document31);
            if (!root.path("openapi").asText().startsWith("3.1.")) {
                throw new IllegalArgumentException("not an OpenAPI 3.1 document: " + root.path("openapi"));
            }
            for (String field : List.of("webhooks", "jsonSchemaDialect")) {
                if (root.has(field)) {
                    throw new IllegalArgumentException("OpenAPI 3.1 field " + field + " has no 3.0 rendering");
                }
            }
            root.put("openapi", "3.0.3");
            ObjectNode schemas = (ObjectNode) root.path("components").path("schemas");
            // references first, on the original schemas, then every schema the same way
            inlineNullableReferences(root, schemas.deepCopy());
            renderSchemas(root, "#");
            dropRoleNames(root);
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the served document is not JSON", e);
        }
    }

    private static void inlineNullableReferences(JsonNode node, ObjectNode schemas) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String ref = nullableReference(field.getValue());
                if (ref != null) {
                    JsonNode target = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
                    if (target == null) {
                        throw new IllegalArgumentException("dangling reference " + ref);
                    }
                    ObjectNode copy = target.deepCopy();
                    if (field.getValue().has("description")) {
                        copy.set("description", field.getValue().get("description"));
                    }
                    copy.put("nullable", true);
                    if (copy.has("enum")) {
                        ((ArrayNode) copy.get("enum")).addNull();
                    }
                    field.setValue(copy);
                }
                inlineNullableReferences(field.getValue(), schemas);
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(item -> inlineNullableReferences(item, schemas));
        }
    }

    private static String nullableReference(JsonNode node) {
        JsonNode any = node.get("anyOf");
        if (any == null || any.size() != 2) {
            return null;
        }
        JsonNode ref = null;
        boolean otherIsNull = false;
        for (JsonNode option : any) {
            if (option.has("$ref")) {
                ref = option.get("$ref");
            } else if ("null".equals(option.path("type").asText(null))) {
                otherIsNull = true;
            }
        }
        return ref != null && otherIsNull ? ref.asText() : null;
    }

    private static void renderSchemas(JsonNode node, String where) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type instanceof ArrayNode types) {
                List<String> named = new ArrayList<>();
                types.forEach(t -> named.add(t.asText()));
                boolean nullable = named.remove("null");
                if (named.size() != 1) {
                    throw new IllegalArgumentException(where + ": type " + types + " has no 3.0 rendering");
                }
                object.put("type", named.getFirst());
                if (nullable) {
                    object.put("nullable", true);
                }
            } else if (type != null && "null".equals(type.asText())) {
                throw new IllegalArgumentException(where + ": type null has no 3.0 rendering");
            }
            if (object.get("examples") instanceof ArrayNode examples) {
                object.remove("examples");
                if (!examples.isEmpty()) {
                    object.set("example", examples.get(0));
                }
            }
            if (type != null || object.has("properties") || object.has("$ref")) {
                for (String keyword : UNTRANSLATED) {
                    if (object.has(keyword)) {
                        throw new IllegalArgumentException(where + ": " + keyword + " has no 3.0 rendering");
                    }
                }
                if (object.get("exclusiveMinimum") instanceof com.fasterxml.jackson.databind.node.NumericNode
                        || object.get("exclusiveMaximum") instanceof com.fasterxml.jackson.databind.node.NumericNode) {
                    throw new IllegalArgumentException(where + ": numeric exclusive bounds have no 3.0 rendering");
                }
            }
            object.fields().forEachRemaining(f -> renderSchemas(f.getValue(), where + "/" + f.getKey()));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                renderSchemas(array.get(i), where + "/" + i);
            }
        }
    }

    private static void dropRoleNames(ObjectNode root) {
        root.path("paths").forEach(item -> item.forEach(op -> {
            if (op.get("security") instanceof ArrayNode requirements) {
                requirements.forEach(requirement -> requirement.fields()
                        .forEachRemaining(scheme -> scheme.setValue(JSON.createArrayNode())));
            }
        }));
    }
}
