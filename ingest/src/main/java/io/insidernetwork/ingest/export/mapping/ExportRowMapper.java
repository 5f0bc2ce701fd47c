package io.insidernetwork.ingest.export.mapping;

import static io.insidernetwork.ingest.export.mapping.ColumnMapping.EVENT_ID;
import static io.insidernetwork.ingest.export.mapping.ColumnMapping.EVENT_NAME;
import static io.insidernetwork.ingest.export.mapping.ColumnMapping.EVENT_TIME;
import static io.insidernetwork.ingest.export.mapping.ColumnMapping.USER_ID;

import io.insidernetwork.ingest.mapping.EventTimeWindow;
import io.insidernetwork.ingest.mapping.PartnerEventMapper;
import io.insidernetwork.ingest.mapping.TextRules;
import io.insidernetwork.schemas.export.InsiderExportRow;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps the rows of one export file: rows whose event name is configured as share, signup or purchase become
 * {@link PartnerEvent}s (checked like the partner webhook's events: insider UUIDs, ISO 4217 currency, amounts with at
 * most 4 decimals), every other row a generic {@link InsiderExportRow}. The event time comes from the row (epoch
 * seconds, epoch milliseconds from 10^11 on, or ISO-8601) and must lie in {@link EventTimeWindow}; mapped text
 * fields pass {@link TextRules}. A row failing either is rejected naming its column. Event ids are the row's
 * {@code event_id} column or derived from the file and row number, so a re-imported row keeps its id. One instance
 * per file; not thread-safe.
 */
public final class ExportRowMapper {

    /** Source of the mapped partner events. */
    public static final String SOURCE = "insider-export";

    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final long MILLIS_FROM = 100_000_000_000L;
    private static final int AMOUNT_SCALE = 4;
    private static final int MAX_TEXT = 512;
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("99999999999999.9999");

    private final ColumnMapping columns;
    private final Column userId;
    private final Column eventName;
    private final Column eventTime;
    private final Column eventId;
    private final Column instanceId;
    private final Column platform;
    private final Column recipients;
    private final Column campaignId;
    private final Column referrerInsiderId;
    private final Column visitorFingerprint;
    private final Column orderId;
    private final Column storeName;
    private final Column storeCategory;
    private final Column amount;
    private final Column currency;
    private final Map<String, EventKind> kinds;
    private final String partner;
    private final String fileUrl;
    private final String fileId;
    private final Instant receivedAt;
    private final Clock clock;
    private final Pattern separator;

    /**
     * @param fileId short stable id of the file, part of derived event ids
     * @param receivedAt when the link was received: received_at of the events and the timestamp of generic rows
     *     without an event time
     */
    public ExportRowMapper(final ColumnMapping columns, final Map<String, EventKind> kinds, final String partner,
                           final String fileUrl, final String fileId, final Instant receivedAt) {
        this(columns, kinds, partner, fileUrl, fileId, receivedAt, Clock.systemUTC());
    }

    /**
     * @param clock the time of acceptance of each row: its event time may be at most five minutes later
     *     ({@link EventTimeWindow})
     */
    public ExportRowMapper(final ColumnMapping columns, final Map<String, EventKind> kinds, final String partner,
                           final String fileUrl, final String fileId, final Instant receivedAt, final Clock clock) {
        this.columns = columns;
        this.userId = column(columns, USER_ID);
        this.eventName = column(columns, EVENT_NAME);
        this.eventTime = column(columns, EVENT_TIME);
        this.eventId = column(columns, EVENT_ID);
        this.instanceId = column(columns, "instance_id");
        this.platform = column(columns, "platform");
        this.recipients = column(columns, "recipients");
        this.campaignId = column(columns, "campaign_id");
        this.referrerInsiderId = column(columns, "referrer_insider_id");
        this.visitorFingerprint = column(columns, "visitor_fingerprint");
        this.orderId = column(columns, "order_id");
        this.storeName = column(columns, "store_name");
        this.storeCategory = column(columns, "store_category");
        this.amount = column(columns, "amount");
        this.currency = column(columns, "currency");
        this.kinds = kinds;
        this.partner = partner;
        this.fileUrl = fileUrl;
        this.fileId = fileId;
        this.receivedAt = receivedAt;
        this.clock = clock;
        this.separator = Pattern.compile(Pattern.quote(columns.listSeparator()));
    }

    /** The column of {@code field} and, when fields are also looked up under a prefix, its prefixed name. */
    private static Column column(final ColumnMapping columns, final String field) {
        final String name = columns.column(field);
        return new Column(name, columns.paramPrefix().isEmpty() ? null : columns.paramPrefix() + name);
    }

    /** What the row {@code number} with {@code values} becomes. Never throws on bad data. */
    public MappedRow map(final long number, final Map<String, Object> values) {
        try {
            final String name = text(values, eventName);
            final EventKind kind = name == null ? null : kinds.get(name);
            return kind == null ? generic(number, values, name) : typed(number, values, kind);
        } catch (final BadField e) {
            return new MappedRow.Rejected(e.field, e.getMessage());
        }
    }

    private MappedRow typed(final long number, final Map<String, Object> values, final EventKind kind)
        throws BadField {
        final Instant time = time(values);
        if (time == null) {
            throw new BadField(eventTime.name(), "is required for a " + kind.name().toLowerCase(Locale.ROOT)
                + " event");
        }
        final String insider = uuid(values, userId, true);
        final String given = text(values, eventId);
        final String id = given != null ? given : SOURCE + ":" + fileId + ":" + number;
        // All-args constructors, not builders: a builder copies the schema's field array and validates each value,
        // for every row; every field is given here, required ones are checked non-null above or are constants.
        final Object payload = switch (kind) {
            case SHARE -> new Share(insider, required(values, instanceId),
                required(values, platform).toLowerCase(Locale.ROOT), recipients(values, insider),
                text(values, campaignId));
            case SIGNUP -> new Signup(insider, uuid(values, referrerInsiderId, false), text(values, visitorFingerprint),
                text(values, instanceId));
            case PURCHASE -> purchase(values, insider);
        };
        return new MappedRow.Typed(insider, new PartnerEvent(id, time, partner, receivedAt, SOURCE, payload));
    }

    private Purchase purchase(final Map<String, Object> values, final String buyer) throws BadField {
        final String code = required(values, currency).toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(code).matches()) {
            throw new BadField(currency.name(), "must be an ISO 4217 code such as EUR");
        }
        final String store = text(values, storeName);
        final String order = required(values, orderId);
        final String instance = required(values, instanceId);
        final String campaign = text(values, campaignId);
        // The export belongs to one partner (the store) unless the row names a store.
        final String storeOrPartner = store != null ? store : partner;
        final String category = text(values, storeCategory);
        return new Purchase(buyer, order, instance, campaign, storeOrPartner, category, amount(values), code);
    }

    private MappedRow generic(final long number, final Map<String, Object> values, final String name)
        throws BadField {
        final Instant time = time(values);
        final String user = text(values, userId);
        final String userColumn = userId.name();
        final String nameColumn = eventName.name();
        final Map<String, String> attributes = new HashMap<>();
        final Map<String, String> params = new HashMap<>();
        final String attributePrefix = columns.attributePrefix();
        final String paramPrefix = columns.paramPrefix();
        for (final Map.Entry<String, Object> entry : values.entrySet()) {
            final String column = entry.getKey();
            if (column.equals(userColumn) || column.equals(nameColumn)) {
                continue;
            }
            final String value = asText(entry.getValue());
            // Free text may hold newlines, but not what UTF-8 (and so Avro) cannot store as it came.
            final String problem = TextRules.surrogateProblem(column) != null ? "name "
                + TextRules.surrogateProblem(column) : TextRules.surrogateProblem(value);
            if (problem != null) {
                throw new BadField(column.isBlank() ? "(unnamed column)" : column, problem);
            }
            if (!attributePrefix.isEmpty() && column.startsWith(attributePrefix)) {
                attributes.put(column.substring(attributePrefix.length()), value);
            } else if (!paramPrefix.isEmpty() && column.startsWith(paramPrefix)) {
                params.put(column.substring(paramPrefix.length()), value);
            } else {
                params.put(column, value);
            }
        }
        final InsiderExportRow row = new InsiderExportRow(partner, fileUrl, number, user, name, time, attributes,
            params);
        return new MappedRow.Generic(user, row);
    }

    private static Object value(final Map<String, Object> values, final Column column) {
        final Object value = values.get(column.name());
        return value != null || column.prefixed() == null ? value : values.get(column.prefixed());
    }

    private static String text(final Map<String, Object> values, final Column column) throws BadField {
        final Object value = value(values, column);
        if (value == null) {
            return null;
        }
        final String raw = asText(value);
        // Checked before trimming: trim() would silently drop leading and trailing control characters.
        final String problem = TextRules.problem(raw);
        if (problem != null) {
            throw new BadField(column.name(), problem);
        }
        final String text = raw.trim();
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new BadField(column.name(), "must be at most " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static String required(final Map<String, Object> values, final Column column) throws BadField {
        final String text = text(values, column);
        if (text == null) {
            throw new BadField(column.name(), "is required");
        }
        return text;
    }

    private static String uuid(final Map<String, Object> values, final Column column, final boolean required)
        throws BadField {
        final String text = required ? required(values, column) : text(values, column);
        if (text == null) {
            return null;
        }
        if (!PartnerEventMapper.isUuid(text)) {
            throw new BadField(column.name(), "must be an insider UUID");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private List<String> recipients(final Map<String, Object> values, final String sharer) throws BadField {
        final Object value = value(values, recipients);
        final String column = recipients.name();
        final List<String> raw = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> raw.add(item == null ? "" : item.toString()));
        } else if (value != null) {
            raw.addAll(List.of(separator.split(value.toString())));
        }
        final Set<String> distinct = new LinkedHashSet<>();
        for (final String item : raw) {
            final String problem = TextRules.problem(item);
            if (problem != null) {
                throw new BadField(column, problem);
            }
            final String recipient = item.trim();
            if (recipient.isEmpty()) {
                continue;
            }
            final String normalised = PartnerEventMapper.isUuid(recipient)
                ? recipient.toLowerCase(Locale.ROOT) : recipient;
            if (normalised.equals(sharer)) {
                throw new BadField(column, "an insider cannot share with itself");
            }
            distinct.add(normalised);
        }
        if (distinct.isEmpty()) {
            throw new BadField(column, "must list at least one recipient");
        }
        return new ArrayList<>(distinct);
    }

    private BigDecimal amount(final Map<String, Object> values) throws BadField {
        final Object value = value(values, amount);
        final String column = amount.name();
        if (value == null) {
            throw new BadField(column, "is required");
        }
        final BigDecimal decimal;
        try {
            decimal = value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
        } catch (final NumberFormatException e) {
            throw new BadField(column, "must be a decimal number");
        }
        if (decimal.signum() < 0 || decimal.compareTo(MAX_AMOUNT) > 0) {
            throw new BadField(column, "must be between 0 and " + MAX_AMOUNT.toPlainString());
        }
        try {
            return decimal.setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY);
        } catch (final ArithmeticException e) {
            throw new BadField(column, "at most " + AMOUNT_SCALE + " decimals");
        }
    }

    private Instant time(final Map<String, Object> values) throws BadField {
        final Instant time = parseTime(values);
        if (time != null) {
            final String problem = EventTimeWindow.problem(time, clock.instant());
            if (problem != null) {
                throw new BadField(eventTime.name(), problem);
            }
        }
        return time;
    }

    private Instant parseTime(final Map<String, Object> values) throws BadField {
        final Object value = value(values, eventTime);
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        final String column = eventTime.name();
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof LocalDate || value instanceof Temporal) {
            throw new BadField(column, "must be a date-time, not " + value.getClass().getSimpleName());
        }
        if (value instanceof Number number) {
            return epoch(number.longValue(), column);
        }
        final String text = value.toString().trim();
        if (allDigits(text)) {
            try {
                return epoch(Long.parseLong(text), column);
            } catch (final NumberFormatException e) {
                throw new BadField(column, "is not a valid epoch time");
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (final DateTimeException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (final DateTimeException e2) {
                throw new BadField(column, "must be epoch seconds, epoch milliseconds or an ISO-8601 date-time");
            }
        }
    }

    private static boolean allDigits(final String text) {
        for (int i = 0; i < text.length(); i++) {
            // ASCII only: Character.isDigit (and Long.parseLong) would also take other scripts' digits.
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Instant epoch(final long value, final String column) throws BadField {
        if (value <= 0) {
            throw new BadField(column, "must be a positive epoch time");
        }
        return value >= MILLIS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    private static String asText(final Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof List<?> list) {
            final StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                text.append(i == 0 ? "" : ",").append('"')
                    .append(String.valueOf(list.get(i)).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return text.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** Where a field is read: its column, else (when not null) {@code prefixed}, the column under the param prefix. */
    private record Column(String name, String prefixed) {
    }

    /** A field of the row is missing or wrong; the message names what is wrong. */
    private static final class BadField extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        BadField(final String field, final String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
