package io.insidernetwork.ingest.export.mapping;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which column of an export row holds each field. The seed does not name the file's columns, so every field is read
 * from the column of its own name unless configured otherwise ({@code event_time} defaults to {@code timestamp},
 * the seed's event param). Never null members.
 *
 * @param columns field name to column name, for every field in {@link #FIELDS}
 * @param attributePrefix columns starting with it are user attributes
 * @param paramPrefix a field is also looked up under this prefix
 * @param listSeparator separator of list values in a text cell
 */
public record ColumnMapping(Map<String, String> columns, String attributePrefix, String paramPrefix,
                            String listSeparator) {

    public static final String USER_ID = "user_id";
    public static final String EVENT_NAME = "event_name";
    public static final String EVENT_TIME = "event_time";
    public static final String EVENT_ID = "event_id";

    /** Every field a row can be mapped from. */
    public static final Set<String> FIELDS = Set.of(USER_ID, EVENT_NAME, EVENT_TIME, EVENT_ID, "instance_id",
        "platform", "recipients", "campaign_id", "referrer_insider_id", "visitor_fingerprint", "order_id",
        "store_name", "store_category", "amount", "currency");

    public ColumnMapping {
        columns = Map.copyOf(columns);
    }

    /** The defaults with {@code overrides} (field to column) applied; an unknown field is an error. */
    public static ColumnMapping of(final Map<String, String> overrides, final String attributePrefix,
                                   final String paramPrefix, final String listSeparator) {
        final Map<String, String> columns = new HashMap<>();
        FIELDS.forEach(field -> columns.put(field, field));
        columns.put(EVENT_TIME, "timestamp");
        overrides.forEach((field, column) -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field " + field + ", expected one of " + FIELDS);
            }
            columns.put(field, column);
        });
        return new ColumnMapping(columns, attributePrefix, paramPrefix, listSeparator);
    }

    /** The column of {@code field}. */
    public String column(final String field) {
        return columns.get(field);
    }
}
