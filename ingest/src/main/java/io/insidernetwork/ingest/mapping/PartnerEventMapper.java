package io.insidernetwork.ingest.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.ReferralVisit;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import java.util.regex.Pattern;

/**
 * Maps one partner event in the webhook's JSON form to its Avro record, checking every field. The JSON form is
 * {@code {"id", "type": share|signup|referral_visit|purchase, "timestamp": ISO-8601, "network_id", "data": {...}}}
 * (README, "Partner event webhook"). {@code timestamp} must lie in {@link EventTimeWindow} relative to the time of
 * receipt, and every text field must pass {@link TextRules}; a failure names the field ({@code events[3].timestamp}).
 */
public final class PartnerEventMapper {

    /** Record key of a mapped event: the insider the event is about. */
    public record Mapped(String key, PartnerEvent event) {
    }

    private static final int UUID_LENGTH = 36;
    private static final Pattern NETWORK_ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,99}$");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final int MAX_TEXT = 512;
    private static final int MAX_RECIPIENTS = 1_000;
    private static final int AMOUNT_SCALE = 4;
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("99999999999999.9999");

    private final String source;

    public PartnerEventMapper(final String source) {
        this.source = source;
    }

    /** The Avro record of {@code node}, found at {@code path} in the request body. */
    public Mapped map(final JsonNode node, final String path, final Instant receivedAt) throws InvalidFieldException {
        if (node == null || !node.isObject()) {
            throw new InvalidFieldException(path.isEmpty() ? "body" : path, "must be a JSON object");
        }
        final String at = path.isEmpty() ? "" : path + ".";
        final String eventId = text(node, at, "id", true);
        final String type = text(node, at, "type", true);
        final Instant time = instant(node, at + "timestamp", receivedAt);
        final String networkId = text(node, at, "network_id", true);
        if (!NETWORK_ID.matcher(networkId).matches()) {
            throw new InvalidFieldException(at + "network_id", "must be lowercase letters, digits, '.', '_' or '-'");
        }
        final JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw new InvalidFieldException(at + "data", "must be a JSON object");
        }
        final String d = at + "data.";
        final PartnerEvent.Builder event = PartnerEvent.newBuilder()
            .setEventId(eventId)
            .setEventTime(time)
            .setPartnerNetworkId(networkId)
            .setReceivedAt(receivedAt)
            .setSource(source);
        return switch (type) {
            case "share" -> share(data, d, event);
            case "signup" -> signup(data, d, event);
            case "referral_visit" -> visit(data, d, event);
            case "purchase" -> purchase(data, d, event);
            default -> throw new InvalidFieldException(at + "type",
                "must be one of share, signup, referral_visit, purchase");
        };
    }

    private static Mapped share(final JsonNode data, final String d, final PartnerEvent.Builder event)
        throws InvalidFieldException {
        final String sharer = uuid(data, d, "sharer_id", true);
        final Share share = Share.newBuilder()
            .setSharerId(sharer)
            .setInstanceId(text(data, d, "instance_id", true))
            .setPlatform(text(data, d, "platform", true).toLowerCase(Locale.ROOT))
            .setRecipients(recipients(data, d + "recipients", sharer))
            .setCampaignId(text(data, d, "campaign_id", false))
            .build();
        return new Mapped(sharer, event.setPayload(share).build());
    }

    private static Mapped signup(final JsonNode data, final String d, final PartnerEvent.Builder event)
        throws InvalidFieldException {
        final String insider = uuid(data, d, "insider_id", true);
        final Signup signup = Signup.newBuilder()
            .setInsiderId(insider)
            .setReferrerInsiderId(uuid(data, d, "referrer_insider_id", false))
            .setVisitorFingerprint(text(data, d, "visitor_fingerprint", false))
            .setInstanceId(text(data, d, "instance_id", false))
            .build();
        return new Mapped(insider, event.setPayload(signup).build());
    }

    private static Mapped visit(final JsonNode data, final String d, final PartnerEvent.Builder event)
        throws InvalidFieldException {
        final String referrer = uuid(data, d, "referring_insider_id", true);
        final String platform = text(data, d, "platform", false);
        final ReferralVisit visit = ReferralVisit.newBuilder()
            .setReferringInsiderId(referrer)
            .setVisitorFingerprint(text(data, d, "visitor_fingerprint", true))
            .setInstanceId(text(data, d, "instance_id", false))
            .setPlatform(platform == null ? null : platform.toLowerCase(Locale.ROOT))
            .build();
        return new Mapped(referrer, event.setPayload(visit).build());
    }

    private static Mapped purchase(final JsonNode data, final String d, final PartnerEvent.Builder event)
        throws InvalidFieldException {
        final String buyer = uuid(data, d, "buyer_id", true);
        final String currency = text(data, d, "currency", true);
        if (!CURRENCY.matcher(currency).matches()) {
            throw new InvalidFieldException(d + "currency", "must be an ISO 4217 code such as EUR");
        }
        final Purchase purchase = Purchase.newBuilder()
            .setBuyerId(buyer)
            .setOrderId(text(data, d, "order_id", true))
            .setInstanceId(text(data, d, "instance_id", true))
            .setCampaignId(text(data, d, "campaign_id", false))
            .setStoreName(text(data, d, "store_name", true))
            .setStoreCategory(text(data, d, "store_category", false))
            .setAmount(amount(data, d + "amount"))
            .setCurrency(currency)
            .build();
        return new Mapped(buyer, event.setPayload(purchase).build());
    }

    private static List<String> recipients(final JsonNode data, final String field, final String sharer)
        throws InvalidFieldException {
        final JsonNode node = data.get("recipients");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new InvalidFieldException(field, "must be a non-empty array of insider ids or handles");
        }
        if (node.size() > MAX_RECIPIENTS) {
            throw new InvalidFieldException(field, "at most " + MAX_RECIPIENTS + " recipients");
        }
        final Set<String> recipients = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            final JsonNode r = node.get(i);
            if (!r.isTextual() || r.asText().isBlank() || r.asText().length() > MAX_TEXT) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a non-empty string");
            }
            TextRules.check(field + "[" + i + "]", r.asText());
            final String recipient = normalise(r.asText().trim());
            if (recipient.equals(sharer)) {
                throw new InvalidFieldException(field + "[" + i + "]", "an insider cannot share with itself");
            }
            recipients.add(recipient);
        }
        return new ArrayList<>(recipients);
    }

    private static String uuid(final JsonNode data, final String d, final String name, final boolean required)
        throws InvalidFieldException {
        final String value = text(data, d, name, required);
        if (value == null) {
            return null;
        }
        if (!isUuid(value)) {
            throw new InvalidFieldException(d + name, "must be a UUID");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** UUID recipients are stored lower-case, so that one insider is one node whatever the sender's casing. */
    private static String normalise(final String recipient) {
        return isUuid(recipient) ? recipient.toLowerCase(Locale.ROOT) : recipient;
    }

    private static String text(final JsonNode node, final String at, final String name, final boolean required)
        throws InvalidFieldException {
        final JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidFieldException(at + name, "is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidFieldException(at + name, "must be a non-empty string");
        }
        if (value.asText().length() > MAX_TEXT) {
            throw new InvalidFieldException(at + name, "must be at most " + MAX_TEXT + " characters");
        }
        // Checked before trimming: trim() would silently drop leading and trailing control characters.
        return TextRules.check(at + name, value.asText()).trim();
    }

    private static Instant instant(final JsonNode node, final String field, final Instant receivedAt)
        throws InvalidFieldException {
        final String name = field.substring(field.lastIndexOf('.') + 1);
        final JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new InvalidFieldException(field, "is required, an ISO-8601 timestamp with offset");
        }
        final Instant time;
        try {
            time = OffsetDateTime.parse(value.asText()).toInstant();
        } catch (final DateTimeException e) {
            throw new InvalidFieldException(field, "must be an ISO-8601 timestamp with offset, e.g. 2025-02-03T14:17:00Z");
        }
        return EventTimeWindow.check(field, time, receivedAt);
    }

    private static BigDecimal amount(final JsonNode data, final String field) throws InvalidFieldException {
        final JsonNode value = data.get("amount");
        final BigDecimal amount;
        try {
            if (value != null && value.isNumber()) {
                amount = value.decimalValue();
            } else if (value != null && value.isTextual()) {
                amount = new BigDecimal(value.asText().trim());
            } else {
                throw new InvalidFieldException(field, "is required, a decimal number");
            }
        } catch (final NumberFormatException e) {
            throw new InvalidFieldException(field, "must be a decimal number");
        }
        if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new InvalidFieldException(field, "must be between 0 and " + MAX_AMOUNT.toPlainString());
        }
        try {
            return amount.setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY);
        } catch (final ArithmeticException e) {
            throw new InvalidFieldException(field, "at most " + AMOUNT_SCALE + " decimals");
        }
    }

    /** Whether {@code value} is a UUID in 8-4-4-4-12 hex form. */
    public static boolean isUuid(final String value) {
        // 8-4-4-4-12 hex digits, any case. A loop rather than a regex: it runs for every export row and recipient.
        if (value == null || value.length() != UUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            final char c = value.charAt(i);
            final boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

}
