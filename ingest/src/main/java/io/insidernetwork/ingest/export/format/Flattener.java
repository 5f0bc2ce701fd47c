package io.insidernetwork.ingest.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flattens nested rows (JSON objects, Parquet groups) into column name to value, joining names with '.'. */
final class Flattener {

    private Flattener() {
    }

    static Map<String, Object> flatten(final JsonNode object) {
        final Map<String, Object> values = new LinkedHashMap<>();
        json("", object, values);
        return values;
    }

    static Map<String, Object> flatten(final Map<?, ?> map) {
        // Sized for a flat row, so that filling it does not resize the table.
        final Map<String, Object> values = new LinkedHashMap<>(Math.max(16, map.size() * 2));
        map("", map, values);
        return values;
    }

    private static void json(final String prefix, final JsonNode object, final Map<String, Object> values) {
        final Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final String name = prefix + field.getKey();
            final JsonNode value = field.getValue();
            if (value.isObject()) {
                json(name + ".", value, values);
            } else if (!value.isNull() && !value.isMissingNode()) {
                values.put(name, scalar(value));
            }
        }
    }

    private static Object scalar(final JsonNode value) {
        if (value.isArray()) {
            final List<Object> items = new ArrayList<>(value.size());
            value.forEach(item -> items.add(item.isValueNode() ? scalar(item) : item.toString()));
            return items;
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.asText();
    }

    private static void map(final String prefix, final Map<?, ?> map, final Map<String, Object> values) {
        // keySet() and get(), not entrySet(): Carpet's row maps build a new set of entries on every entrySet() call.
        for (final Object key : map.keySet()) {
            final String name = prefix.isEmpty() ? String.valueOf(key) : prefix + key;
            final Object value = map.get(key);
            if (value instanceof Map<?, ?> nested) {
                map(name + ".", nested, values);
            } else if (value != null) {
                values.put(name, value);
            }
        }
    }
}
