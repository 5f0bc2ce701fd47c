package io.insidernetwork.ingest.export.mapping;

import static io.insidernetwork.ingest.export.mapping.ColumnMapping.EVENT_ID;
import static io.insidernetwork.ingest.export.mapping.ColumnMapping.EVENT_NAME;
import static io.insidernetwork.ingest.export.mapping.ColumnMapping.EVENT_TIME;
import static io.insidernetwork.ingest.export.mapping.ColumnMapping.USER_ID;

import io.insidernetwork.ingest.mapping.PartnerEventMapper;
import io.insidernetwork.schemas.export.InsiderExportRow;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
 * seconds, epoch milliseconds from 10^11 on, or ISO-8601). Event ids are the row's {@code event_id} column or
 * derived from the file and row number, so a re-imported row keeps its id. One instance per file; not thread-safe.
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
    private final Map<String, EventKind> kinds;
    private final String partner;
    private final String fileUrl;
    private final String fileId;
    private final Instant receivedAt;
    private final Pattern separator;

    /**
     * @param fileId short stable id of the file, part of derived event ids
     * @param receivedAt when the link was received: received_at of the events and the timestamp of generic rows
     *     without an event time
     */
    public ExportRowMapper(final ColumnMapping columns, final Map<String, EventKind> kinds, final String partner,
                           final String fileUrl, final String fileId, final Instant receivedAt) {
        this.columns = columns;
        this.kinds = kinds;
        this.partner = partner;
        this.fileUrl = fileUrl;
        this.fileId = fileId;
        this.receivedAt = receivedAt;
        this.separator = Pattern.compile(Pattern.quote(columns.listSeparator()));
    }

    /** What the row {@code number} with {@code values} becomes. Never throws on bad data. */
    public MappedRow map(final long number, final Map<String, Object> values) {
        try {
            final String eventName = text(values, EVENT_NAME);
            final EventKind kind = eventName == null ? null : kinds.get(eventName);
            return kind == null ? generic(number, values, eventName) : typed(number, values, kind);
        } catch (final BadField e) {
            return new MappedRow.Rejected(e.field, e.getMessage());
        }
    }

    private MappedRow typed(final long number, final Map<String, Object> values, final EventKind kind)
        throws BadField {
        final Instant time = time(values);
        if (time == null) {
            throw new BadField(columns.column(EVENT_TIME), "is required for a " + kind.name().toLowerCase(Locale.ROOT)
                + " event");
        }
        final String insider = uuid(values, USER_ID, true);
        final String eventId = text(values, EVENT_ID);
        final PartnerEvent.Builder event = PartnerEvent.newBuilder()
            .setEventId(eventId != null ? eventId : SOURCE + ":" + fileId + ":" + number)
            .setEventTime(time)
            .setPartnerNetworkId(partner)
            .setReceivedAt(receivedAt)
            .setSource(SOURCE);
        switch (kind) {
            case SHARE -> event.setPayload(Share.newBuilder()
                .setSharerId(insider)
                .setInstanceId(required(values, "instance_id"))
                .setPlatform(required(values, "platform").toLowerCase(Locale.ROOT))
                .setRecipients(recipients(values, insider))
                .setCampaignId(text(values, "campaign_id"))
                .build());
            case SIGNUP -> event.setPayload(Signup.newBuilder()
                .setInsiderId(insider)
                .setReferrerInsiderId(uuid(values, "referrer_insider_id", false))
                .setVisitorFingerprint(text(values, "visitor_fingerprint"))
                .setInstanceId(text(values, "instance_id"))
                .build());
            case PURCHASE -> event.setPayload(purchase(values, insider));
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
        return new MappedRow.Typed(insider, event.build());
    }

    private Purchase purchase(final Map<String, Object> values, final String buyer) throws BadField {
        final String currency = required(values, "currency").toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(currency).matches()) {
            throw new BadField(columns.column("currency"), "must be an ISO 4217 code such as EUR");
        }
        final String store = text(values, "store_name");
        return Purchase.newBuilder()
            .setBuyerId(buyer)
            .setOrderId(required(values, "order_id"))
            .setInstanceId(required(values, "instance_id"))
            .setCampaignId(text(values, "campaign_id"))
            // The export belongs to one partner (the store) unless the row names a store.
            .setStoreName(store != null ? store : partner)
            .setStoreCategory(text(values, "store_category"))
            .setAmount(amount(values))
            .setCurrency(currency)
            .build();
    }

    private MappedRow generic(final long number, final Map<String, Object> values, final String eventName)
        throws BadField {
        final Instant time = time(values);
        final String user = text(values, USER_ID);
        final String userColumn = columns.column(USER_ID);
        final String nameColumn = columns.column(EVENT_NAME);
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
            if (!attributePrefix.isEmpty() && column.startsWith(attributePrefix)) {
                attributes.put(column.substring(attributePrefix.length()), value);
            } else if (!paramPrefix.isEmpty() && column.startsWith(paramPrefix)) {
                params.put(column.substring(paramPrefix.length()), value);
            } else {
                params.put(column, value);
            }
        }
        final InsiderExportRow row = InsiderExportRow.newBuilder()
            .setPartner(partner)
            .setFileUrl(fileUrl)
            .setRowNumber(number)
            .setUserId(user)
            .setEventName(eventName)
            .setEventTime(time)
            .setAttributes(attributes)
            .setParams(params)
            .build();
        return new MappedRow.Generic(user, row, (time != null ? time : receivedAt).toEpochMilli());
    }

    private Object value(final Map<String, Object> values, final String field) {
        final String column = columns.column(field);
        final Object value = values.get(column);
        return value != null || columns.paramPrefix().isEmpty() ? value : values.get(columns.paramPrefix() + column);
    }

    private String text(final Map<String, Object> values, final String field) throws BadField {
        final Object value = value(values, field);
        if (value == null) {
            return null;
        }
        final String text = asText(value).trim();
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new BadField(columns.column(field), "must be at most " + MAX_TEXT + " characters");
        }
        return text;
    }

    private String required(final Map<String, Object> values, final String field) throws BadField {
        final String text = text(values, field);
        if (text == null) {
            throw new BadField(columns.column(field), "is required");
        }
        return text;
    }

    private String uuid(final Map<String, Object> values, final String field, final boolean required)
        throws BadField {
        final String text = required ? required(values, field) : text(values, field);
        if (text == null) {
            return null;
        }
        if (!PartnerEventMapper.isUuid(text)) {
            throw new BadField(columns.column(field), "must be an insider UUID");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private List<String> recipients(final Map<String, Object> values, final String sharer) throws BadField {
        final Object value = value(values, "recipients");
        final String column = columns.column("recipients");
        final List<String> raw = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> raw.add(item == null ? "" : item.toString()));
        } else if (value != null) {
            raw.addAll(List.of(separator.split(value.toString())));
        }
        final Set<String> recipients = new LinkedHashSet<>();
        for (final String item : raw) {
            final String recipient = item.trim();
            if (recipient.isEmpty()) {
                continue;
            }
            final String normalised = PartnerEventMapper.isUuid(recipient)
                ? recipient.toLowerCase(Locale.ROOT) : recipient;
            if (normalised.equals(sharer)) {
                throw new BadField(column, "an insider cannot share with itself");
            }
            recipients.add(normalised);
        }
        if (recipients.isEmpty()) {
            throw new BadField(column, "must list at least one recipient");
        }
        return new ArrayList<>(recipients);
    }

    private BigDecimal amount(final Map<String, Object> values) throws BadField {
        final Object value = value(values, "amount");
        final String column = columns.column("amount");
        if (value == null) {
            throw new BadField(column, "is required");
        }
        final BigDecimal amount;
        try {
            amount = value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString().trim());
        } catch (final NumberFormatException e) {
            throw new BadField(column, "must be a decimal number");
        }
        if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new BadField(column, "must be between 0 and " + MAX_AMOUNT.toPlainString());
        }
        try {
            return amount.setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY);
        } catch (final ArithmeticException e) {
            throw new BadField(column, "at most " + AMOUNT_SCALE + " decimals");
        }
    }

    private Instant time(final Map<String, Object> values) throws BadField {
        final Object value = value(values, EVENT_TIME);
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        final String column = columns.column(EVENT_TIME);
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
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return epoch(Long.parseLong(text), column);
            } catch (final NumberFormatException e) {
                throw new BadField(column, "is not a valid epoch time");
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (final DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (final DateTimeParseException e2) {
                throw new BadField(column, "must be epoch seconds, epoch milliseconds or an ISO-8601 date-time");
            }
        }
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
