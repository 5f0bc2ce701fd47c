package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.SafeText;
import java.util.List;

/**
 * Keys of the {@code graph-index} store. Each kind has its own prefix; parts are joined by U+0001 and times are
 * zero-padded so that keys sort by time. No part may contain a control character or a lone surrogate
 * ({@link SafeText}): partner events and InsightIQ records with one are dead-lettered before they are applied, and
 * {@link #part} refuses one here as well, so a part can never be read as another field. {@link #split} is the one
 * parser of these keys.
 */
final class IndexKeys {

    static final String SEP = "\u0001";
    private static final String ZEROS = "0000000000000000000";

    private IndexKeys() {
    }

    /**
     * Prefix of the layout before touches were time-ordered: one entry per share, {@code in|recipient|instance|sharer|
     * time}. Finding the latest share scanned all of a recipient's shares, so a hub's purchases got slower with every
     * share it received; {@code NetworkProcessor} migrates such entries to the two touch kinds below.
     */
    static String legacyInboundPrefix() {
        return "in" + SEP;
    }

    /**
     * Prefixes of retired kinds, which {@code LegacyIndexUpgrades} deletes from a store an older version wrote: those
     * of the retired status broadcast, {@code is|recipient|sharer} (the sharers a recipient's status went to) and
     * {@code sx|insider} (insiders whose status changed since the last broadcast); the counters of a sharer's
     * distinct recipients ({@code rc|sharer}) and distinct shared instances ({@code ic|sharer}), which its own
     * {@code InsiderState} holds ({@code distinct_recipients}, {@code instances_shared_total}); and the time-ordered
     * dedupe purge schedule ({@code se|time|eventId}), replaced by a walk over the seen-events store.
     */
    static List<String> retiredPrefixes() {
        return List.of("is" + SEP, "sx" + SEP, "rc" + SEP, "ic" + SEP, "se" + SEP);
    }

    /** Marker of a store whose {@link #sharedInstance} entries all hold their {@link InstanceCounts}. */
    static String instanceCountsConverted() {
        return "up" + SEP + "instance-counts";
    }

    /** Prefix of the shares of {@code instance} to {@code recipient}, ordered by time, then sharer. */
    static String touchPrefix(final String recipient, final String instance) {
        return "it" + SEP + part(recipient) + SEP + part(instance) + SEP;
    }

    /** One share by {@code sharer} of {@code instance} to {@code recipient} at {@code time}. */
    static String touch(final String recipient, final String instance, final long time, final String sharer) {
        return touchPrefix(recipient, part(instance)) + pad(time) + SEP + part(sharer);
    }

    /** Prefix of every share to {@code recipient}, ordered by time, then sharer, then instance. */
    static String anyTouchPrefix(final String recipient) {
        return "ia" + SEP + part(recipient) + SEP;
    }

    /** The same share as {@link #touch}, in the any-instance order that signups look up. */
    static String anyTouch(final String recipient, final long time, final String sharer, final String instance) {
        return anyTouchPrefix(recipient) + pad(time) + SEP + part(sharer) + SEP + part(instance);
    }

    /** First part of every purchase key. */
    static final String PURCHASE_KIND = "pu" + SEP;

    /** Prefix of purchases of {@code instance} by {@code buyer}, ordered by time. */
    static String purchasePrefix(final String buyer, final String instance) {
        return PURCHASE_KIND + part(buyer) + SEP + part(instance) + SEP;
    }

    /** A purchase: value = its encoded {@link CreditSlot}. */
    static String purchase(final String buyer, final String instance, final long time, final String eventId) {
        return purchasePrefix(buyer, part(instance)) + pad(time) + SEP + part(eventId);
    }

    /** The signup of {@code insider}: value = an encoded {@link SignupFact}. */
    static String signup(final String insider) {
        return "su" + SEP + part(insider);
    }

    /** Who holds the credit of {@code insider}'s signup: value = an encoded {@link CreditSlot}. */
    static String signupCredit(final String insider) {
        return "sc" + SEP + part(insider);
    }

    /** {@code recipient} converted (signup or purchase) for {@code sharer}: value = number of current credits. */
    static String converted(final String sharer, final String recipient) {
        return "cv" + SEP + part(sharer) + SEP + part(recipient);
    }

    /** {@code recipient}'s signup is credited to {@code sharer}: value = number of reasons (share, referral visit). */
    static String signupCredited(final String sharer, final String recipient) {
        return "cs" + SEP + part(sharer) + SEP + part(recipient);
    }

    /** Count of converted recipients of {@code sharer}. */
    static String convertedCount(final String sharer) {
        return "cn" + SEP + part(sharer);
    }

    /** {@code sharer} shared with {@code recipient} in a partner network other than its own. */
    static String crossPartnerRecipient(final String sharer, final String recipient) {
        return "xr" + SEP + part(sharer) + SEP + part(recipient);
    }

    /** Count of recipients {@code sharer} shared with in other partner networks. */
    static String crossPartnerShared(final String sharer) {
        return "xs" + SEP + part(sharer);
    }

    /** Count of those recipients that converted for {@code sharer}. */
    static String crossPartnerConverted(final String sharer) {
        return "xc" + SEP + part(sharer);
    }

    /** The insider a fingerprint turned into: value "insider,eventId". */
    static String visitor(final String fingerprint) {
        return "fp" + SEP + part(fingerprint);
    }

    /** Prefix of the referrers a fingerprint visited. */
    static String visitedPrefix(final String fingerprint) {
        return "fv" + SEP + part(fingerprint) + SEP;
    }

    /** {@code fingerprint} visited {@code referrer}'s link. */
    static String visited(final String fingerprint, final String referrer) {
        return visitedPrefix(fingerprint) + part(referrer);
    }

    /** Prefix of the purchases and signups waiting to be credited, ordered by the wall-clock time they arrived. */
    static String pendingPrefix() {
        return "pq" + SEP;
    }

    /** The purchase or signup under index key {@code factKey} arrived at wall-clock {@code time}: value = factKey. */
    static String pending(final long time, final String factKey) {
        return pendingPrefix() + pad(time) + SEP + factKey;
    }

    /** Prefix of every shared-instance entry ({@link #sharedInstance}). */
    static String sharedInstancePrefix() {
        return "ii" + SEP;
    }

    /**
     * {@code sharer} shared {@code instance} (or was credited a signup for it): value = its encoded
     * {@link InstanceCounts}, or {@link InstanceCounts#LEGACY} in a store an older version wrote.
     */
    static String sharedInstance(final String sharer, final String instance) {
        return sharedInstancePrefix() + part(sharer) + SEP + part(instance);
    }

    /** {@code recipient} is a recipient of {@code sharer}'s {@code instance} (share or signup credit). */
    static String instanceRecipient(final String sharer, final String instance, final String recipient) {
        return "ir" + SEP + part(sharer) + SEP + part(instance) + SEP + part(recipient);
    }

    /** {@code recipient} is a recipient of {@code sharer} (any instance). */
    static String recipient(final String sharer, final String recipient) {
        return "rr" + SEP + part(sharer) + SEP + part(recipient);
    }

    /** {@code recipient}'s signup is credited to {@code sharer}'s {@code instance}. */
    static String instanceSignup(final String sharer, final String instance, final String recipient) {
        return "sg" + SEP + part(sharer) + SEP + part(instance) + SEP + part(recipient);
    }

    /**
     * The counters an older version kept of {@code sharer}'s {@code instance} under their own keys, before they moved
     * into its {@link #sharedInstance} entry: share events ({@code ns}), distinct recipients ({@code iy}) and
     * credited signups ({@code sy}), in {@link InstanceCounts} order; value = count.
     */
    static List<String> legacyInstanceCounters(final String sharer, final String instance) {
        final String tail = SEP + part(sharer) + SEP + part(instance);
        return List.of("ns" + tail, "iy" + tail, "sy" + tail);
    }

    /** Prefix of the decay schedule. */
    static String decayPrefix() {
        return "dx" + SEP;
    }

    /** Connection {@code connectionKey} decays below the threshold at {@code expiry}. */
    static String decay(final long expiry, final String connectionKey) {
        return decayPrefix() + pad(expiry) + SEP + part(connectionKey);
    }

    /**
     * {@code text} as a key part: refused (IllegalArgumentException) when it contains a control character or a lone
     * surrogate, which could be read as a separator.
     */
    static String part(final String text) {
        if (!SafeText.isSafe(text)) {
            throw new IllegalArgumentException("key part with a control character or a lone surrogate: "
                + SafeText.problem("part", text).orElse(""));
        }
        return text;
    }

    /** The parts joined: the kind, then each part (checked by {@link #part}). */
    static String join(final String kind, final String... parts) {
        final StringBuilder key = new StringBuilder(part(kind));
        for (final String p : parts) {
            key.append(SEP).append(part(p));
        }
        return key.toString();
    }

    /** The parts of a key {@link #join} (or any builder here) made, the kind first. */
    static List<String> split(final String key) {
        return List.of(key.split(SEP, -1));
    }

    /** The time of a zero-padded time part; IllegalArgumentException when it is not one. */
    static long time(final String part) {
        if (part.length() != ZEROS.length() || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a time part: " + part);
        }
        return Long.parseLong(part);
    }

    /** The last part of a key. */
    static String last(final String key) {
        return key.substring(key.lastIndexOf(SEP) + 1);
    }

    static String pad(final long time) {
        // the same as String.format("%019d", ...) without parsing a format on every index key
        final String digits = Long.toString(Math.max(0L, time));
        return ZEROS.substring(digits.length()) + digits;
    }
}
