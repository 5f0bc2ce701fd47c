package io.insidernetwork.ingest.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import io.insidernetwork.schemas.serde.AvroSerdes;

/**
 * Maps an InsightIQ JSON object to its Avro record, driven by the record's schema: the Avro field names are the
 * upstream JSON names, so one walk over the schema serves every object kind. Unknown JSON fields are ignored (the
 * whole object is kept in {@code raw_json}); a missing or mistyped required field fails naming its JSON path.
 * Timestamps are read leniently, because upstream sends them without a zone ({@code 2020-03-27T12:56:34.534978},
 * read as UTC), with a zone, as a bare date (midnight UTC) or as epoch seconds/millis, and must lie in
 * {@link EventTimeWindow} relative to the fetch; ids, handles and platforms must pass {@link TextRules}.
 */
public final class InsightIqMapper {

    /** Where a mapped object came from; written into the fields of the same name. */
    public record Meta(Instant fetchedAt, String requestId, String environment) {
    }

    private static final Set<String> META_FIELDS = Set.of("fetched_at", "request_id", "environment", "raw_json");
    private static final long EPOCH_SECONDS_LIMIT = 100_000_000_000L;

    static {
        // AvroSerdes registers the contract package as trusted with Avro's class validator; load it before we
        // instantiate generated records by schema.
        try {
            Class.forName(AvroSerdes.class.getName(), true, InsightIqMapper.class.getClassLoader());
        } catch (final ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SpecificData data = SpecificData.get();

    /** The record of type {@code type} for {@code node}; never null. */
    public <V extends SpecificRecord> V map(final Class<V> type, final Schema schema, final JsonNode node,
                                            final Meta meta) throws InvalidFieldException {
        if (node == null || !node.isObject()) {
            throw new InvalidFieldException("body", "must be a JSON object");
        }
        final SpecificRecord record = (SpecificRecord) data.newRecord(null, schema);
        for (final Schema.Field field : schema.getFields()) {
            final Object value = switch (field.name()) {
                case "fetched_at" -> meta.fetchedAt();
                case "request_id" -> meta.requestId();
                case "environment" -> meta.environment();
                case "raw_json" -> TextRules.checkSurrogates("body", node.toString());
                default -> value(field.schema(), node.get(field.name()), field.name(), field, meta.fetchedAt());
            };
            record.put(field.pos(), value);
        }
        return type.cast(record);
    }

    private Object value(final Schema schema, final JsonNode node, final String path, final Schema.Field field,
                         final Instant now) throws InvalidFieldException {
        if (node == null || node.isNull()) {
            if (isNullable(schema)) {
                return null;
            }
            if (field != null && field.hasDefaultValue()) {
                return data.getDefaultValue(field);
            }
            throw new InvalidFieldException(path, "is required");
        }
        return switch (schema.getType()) {
            case UNION -> value(nonNull(schema), node, path, null, now);
            case STRING -> text(node, path);
            case LONG -> isTimestamp(schema.getLogicalType())
                ? EventTimeWindow.check(path, instant(node, path), now).truncatedTo(ChronoUnit.MILLIS)
                : longValue(node, path);
            case INT -> schema.getLogicalType() instanceof LogicalTypes.Date ? date(node, path) : intValue(node, path);
            case DOUBLE, FLOAT -> number(node, path);
            case BOOLEAN -> bool(node, path);
            case RECORD -> record(schema, node, path, now);
            case ARRAY -> array(schema, node, path, now);
            default -> throw new IllegalStateException("unsupported Avro type " + schema.getType() + " at " + path);
        };
    }

    private Object record(final Schema schema, final JsonNode node, final String path, final Instant now)
        throws InvalidFieldException {
        if (!node.isObject()) {
            throw new InvalidFieldException(path, "must be a JSON object");
        }
        final SpecificRecord record = (SpecificRecord) data.newRecord(null, schema);
        for (final Schema.Field field : schema.getFields()) {
            if (META_FIELDS.contains(field.name())) {
                throw new IllegalStateException("nested meta field " + field.name());
            }
            record.put(field.pos(), value(field.schema(), node.get(field.name()), path + "." + field.name(), field,
                now));
        }
        return record;
    }

    private List<Object> array(final Schema schema, final JsonNode node, final String path, final Instant now)
        throws InvalidFieldException {
        if (!node.isArray()) {
            throw new InvalidFieldException(path, "must be a JSON array");
        }
        final List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            final String at = path + "[" + i + "]";
            final Object item = value(schema.getElementType(), node.get(i), at, null, now);
            items.add(item);
        }
        return items;
    }

    private static boolean isNullable(final Schema schema) {
        return schema.getType() == Schema.Type.UNION
            && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNull(final Schema union) {
        return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
            .orElseThrow(() -> new IllegalStateException("union without a non-null branch: " + union));
    }

    private static boolean isTimestamp(final LogicalType type) {
        return type instanceof LogicalTypes.TimestampMillis;
    }

    private static String text(final JsonNode node, final String path) throws InvalidFieldException {
        if (!node.isValueNode()) {
            throw new InvalidFieldException(path, "must be a string");
        }
        final String text = node.asText();
        return isKeyLike(path) ? TextRules.check(path, text) : TextRules.checkSurrogates(path, text);
    }

    /** Ids, handles and platforms (downstream keys are built from them); free text such as captions may hold newlines. */
    private static boolean isKeyLike(final String path) {
        final String name = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf(']')) + 1);
        return "id".equals(name) || name.endsWith("_id") || "platform_username".equals(name)
            || "platform".equals(name);
    }

    private static long longValue(final JsonNode node, final String path) throws InvalidFieldException {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            return (long) node.asDouble();
        }
        throw new InvalidFieldException(path, "must be a whole number");
    }

    private static int intValue(final JsonNode node, final String path) throws InvalidFieldException {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.asInt();
        }
        throw new InvalidFieldException(path, "must be a whole number");
    }

    private static double number(final JsonNode node, final String path) throws InvalidFieldException {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().trim());
            } catch (final NumberFormatException e) {
                throw new InvalidFieldException(path, "must be a number");
            }
        }
        throw new InvalidFieldException(path, "must be a number");
    }

    private static boolean bool(final JsonNode node, final String path) throws InvalidFieldException {
        if (!node.isBoolean()) {
            throw new InvalidFieldException(path, "must be true or false");
        }
        return node.asBoolean();
    }

    private static LocalDate date(final JsonNode node, final String path) throws InvalidFieldException {
        return LocalDate.ofInstant(instant(node, path), ZoneOffset.UTC);
    }

    /** Reads an upstream timestamp; public for the fetcher, which reads webhook times the same way. */
    public static Instant instant(final JsonNode node, final String path) throws InvalidFieldException {
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new InvalidFieldException(path, "is not a valid epoch time");
            }
            final long value = node.asLong();
            try {
                return value < EPOCH_SECONDS_LIMIT ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
            } catch (final DateTimeException e) {
                throw new InvalidFieldException(path, "is not a valid epoch time");
            }
        }
        if (!node.isTextual()) {
            throw new InvalidFieldException(path, "must be an ISO-8601 timestamp");
        }
        final String text = node.asText().trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (final DateTimeParseException offsetMissing) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (final DateTimeParseException notDateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (final DateTimeParseException e) {
                    throw new InvalidFieldException(path, "must be an ISO-8601 timestamp, e.g. 2020-03-27T12:56:34");
                }
            }
        }
    }
}
