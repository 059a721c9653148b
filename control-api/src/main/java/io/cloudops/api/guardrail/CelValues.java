package io.cloudops.api.guardrail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON as CEL values: objects are maps, arrays lists, integers {@code int} (long), other numbers
 * {@code double}. A JSON null is left out of its map, so {@code has()} is false for it.
 */
final class CelValues {

    private CelValues() {
    }

    static Object of(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> {
                if (!e.getValue().isNull() && !e.getValue().isMissingNode()) {
                    map.put(e.getKey(), of(e.getValue()));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(item.isNull() ? "" : of(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
