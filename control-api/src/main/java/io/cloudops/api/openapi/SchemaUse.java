package io.cloudops.api.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/** Which component schemas a part of the document uses, directly or through other schemas. */
final class SchemaUse {

    private static final String PREFIX = "#/components/schemas/";

    private SchemaUse() {
    }

    /** The schemas a request body or a parameter refers to: what clients send. */
    static Set<String> ofRequests(OpenAPI api) {
        Deque<Schema> roots = new ArrayDeque<>();
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(op -> {
            if (op.getRequestBody() != null) {
                add(roots, op.getRequestBody().getContent());
            }
            if (op.getParameters() != null) {
                op.getParameters().forEach(p -> {
                    if (p.getSchema() != null) {
                        roots.add(p.getSchema());
                    }
                });
            }
        }));
        return closure(roots, api.getComponents().getSchemas());
    }

    private static void add(Deque<Schema> roots, Content content) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(m -> {
                if (m.getSchema() != null) {
                    roots.add(m.getSchema());
                }
            });
        }
    }

    private static Set<String> closure(Deque<Schema> todo, Map<String, Schema> components) {
        Set<String> names = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            Schema schema = todo.pop();
            if (schema.getRef() != null && schema.getRef().startsWith(PREFIX)) {
                String name = schema.getRef().substring(PREFIX.length());
                if (names.add(name) && components.get(name) != null) {
                    todo.push(components.get(name));
                }
            }
            if (schema.getProperties() != null) {
                schema.getProperties().values().forEach(todo::push);
            }
            if (schema.getItems() != null) {
                todo.push(schema.getItems());
            }
            if (schema.getAdditionalPropertiesSchema() != null) {
                todo.push(schema.getAdditionalPropertiesSchema());
            }
            for (var group : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
                if (group != null) {
                    group.forEach(todo::push);
                }
            }
        }
        return names;
    }
}
