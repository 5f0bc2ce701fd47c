package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.ReferralVisit;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a decoded partner event before it is applied; a failure names the field at fault. */
public final class EventValidator {

    private static final Pattern UUID = Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** Longest accepted text (ingest's limit): bounds every key part and every listed id. */
    public static final int MAX_TEXT = 512;
    /** Most recipients of one share (ingest's limit). */
    public static final int MAX_RECIPIENTS = 1_000;

    private EventValidator() {
    }

    /** Whether {@code id} is an insider id (8-4-4-4-12 hex, SPEC.md A.5 18). */
    public static boolean isInsiderId(final String id) {
        return id != null && UUID.matcher(id).matches();
    }

    /** Why {@code event} (with Kafka key {@code key}) cannot be applied, or empty when it can. */
    public static Optional<String> problem(final String key, final PartnerEvent event) {
        if (event == null) {
            return Optional.of("value: missing (tombstone on an event topic)");
        }
        // every text may become part of a store key: a control character could be read as a key separator
        final Optional<String> unsafe = SafeText.firstProblem(event, "");
        if (unsafe.isPresent()) {
            return unsafe;
        }
        final Optional<String> unsafeKey = SafeText.problem("key", key);
        if (unsafeKey.isPresent()) {
            return unsafeKey;
        }
        final Optional<String> tooLong = SafeText.firstLongerThan(event, "", MAX_TEXT);
        if (tooLong.isPresent()) {
            return tooLong;
        }
        if (blank(event.getEventId())) {
            return Optional.of("event_id: blank");
        }
        final Object payload = event.getPayload();
        final String about;
        final String field;
        if (payload instanceof Share share) {
            if (share.getRecipients().isEmpty()) {
                return Optional.of("payload.recipients: empty");
            }
            if (share.getRecipients().size() > MAX_RECIPIENTS) {
                return Optional.of("payload.recipients: more than " + MAX_RECIPIENTS);
            }
            if (share.getRecipients().stream().anyMatch(EventValidator::blank)) {
                return Optional.of("payload.recipients: blank recipient");
            }
            if (blank(share.getInstanceId()) || blank(share.getPlatform())) {
                return Optional.of(blank(share.getInstanceId()) ? "payload.instance_id: blank"
                    : "payload.platform: blank");
            }
            about = share.getSharerId();
            field = "payload.sharer_id";
        } else if (payload instanceof Signup signup) {
            if (signup.getReferrerInsiderId() != null && !isInsiderId(signup.getReferrerInsiderId())) {
                return Optional.of("payload.referrer_insider_id: not a UUID");
            }
            about = signup.getInsiderId();
            field = "payload.insider_id";
        } else if (payload instanceof ReferralVisit visit) {
            if (blank(visit.getVisitorFingerprint())) {
                return Optional.of("payload.visitor_fingerprint: blank");
            }
            about = visit.getReferringInsiderId();
            field = "payload.referring_insider_id";
        } else if (payload instanceof Purchase purchase) {
            if (purchase.getAmount().signum() < 0) {
                return Optional.of("payload.amount: negative");
            }
            if (!CURRENCY.matcher(purchase.getCurrency()).matches()) {
                return Optional.of("payload.currency: not an ISO 4217 code");
            }
            if (blank(purchase.getInstanceId()) || blank(purchase.getOrderId())) {
                return Optional.of(blank(purchase.getInstanceId()) ? "payload.instance_id: blank"
                    : "payload.order_id: blank");
            }
            about = purchase.getBuyerId();
            field = "payload.buyer_id";
        } else {
            return Optional.of("payload: unknown event type");
        }
        if (!isInsiderId(about)) {
            return Optional.of(field + ": not a UUID");
        }
        if (!about.equals(key)) {
            return Optional.of("key: does not match " + field + " (events must be keyed by the insider)");
        }
        return Optional.empty();
    }

    private static boolean blank(final String s) {
        return s == null || s.isBlank();
    }
}
