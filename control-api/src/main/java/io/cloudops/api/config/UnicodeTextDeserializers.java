package io.cloudops.api.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Applies {@link UnicodeText} to every string Jackson reads from a request body, once for all
 * fields: string values (records, lists, map values), map keys, and the strings and keys nested
 * anywhere in free-form values ({@code params}). A refused value is an
 * {@link InvalidFormatException} with the path to it, which the API answers with a 400 naming the
 * field ({@code io.cloudops.api.problem.Problems#invalidFormat}).
 */
final class UnicodeTextDeserializers {

    private UnicodeTextDeserializers() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("unicode-text");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        module.addDeserializer(Object.class, new FreeForm());
        return module;
    }

    private static InvalidFormatException refused(JsonParser p, String value) {
        return InvalidFormatException.from(p, UnicodeText.MESSAGE, value, String.class);
    }

    /** String values: Jackson's own reading (strict coercion included), then the rule. */
    static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public com.fasterxml.jackson.databind.type.LogicalType logicalType() {
            return com.fasterxml.jackson.databind.type.LogicalType.Textual;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (!UnicodeText.isAcceptable(value)) {
                throw refused(p, value);
            }
            return value;
        }
    }

    /** Keys of maps with string keys. */
    static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (!UnicodeText.isAcceptable(key)) {
                throw refused(ctxt.getParser(), key);
            }
            return key;
        }
    }

    /**
     * Free-form values ({@code Object}, such as the values of {@code Map<String, Object> params}):
     * read as a tree, checked to the last nested key and string, and handed on as Jackson's untyped
     * reading would (maps, lists, strings, numbers, booleans, null).
     */
    static final class FreeForm extends StdDeserializer<Object> {

        FreeForm() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = ctxt.readTree(p);
            return plain(tree, p);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return null;
        }

        private static Object plain(JsonNode node, JsonParser p) throws JsonMappingException {
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!UnicodeText.isAcceptable(field.getKey())) {
                        throw refused(p, field.getKey());
                    }
                    try {
                        map.put(field.getKey(), plain(field.getValue(), p));
                    } catch (JsonMappingException e) {
                        e.prependPath(map, field.getKey());
                        throw e;
                    }
                }
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    try {
                        list.add(plain(node.get(i), p));
                    } catch (JsonMappingException e) {
                        e.prependPath(list, i);
                        throw e;
                    }
                }
                return list;
            }
            if (node.isTextual()) {
                if (!UnicodeText.isAcceptable(node.textValue())) {
                    throw refused(p, node.textValue());
                }
                return node.textValue();
            }
            if (node.isNumber()) {
                return node.numberValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return null;
        }
    }
}
