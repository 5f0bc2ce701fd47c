package io.insidernetwork.graph.processor;

/**
 * Keys of the {@code graph-index} store. Each kind has its own prefix; parts are joined by U+0001, which ids,
 * handles and fingerprints do not contain, and times are zero-padded so that keys sort by time.
 */
final class IndexKeys {

    static final String SEP = "\u0001";
    private static final String ZEROS = "0000000000000000000";

    private IndexKeys() {
    }

    /**
     * Prefix of the layout before touches were time-ordered: one entry per share, {@code in|recipient|instance|sharer|
     * time}. Finding the latest share scanned all of a recipient's shares, so a hub's purchases got slower with every
     * share it received; {@code NetworkProcessor} migrates such entries to the three kinds below.
     */
    static String legacyInboundPrefix() {
        return "in" + SEP;
    }

    /** Prefix of the sharers of {@code recipient} (shares and referral links), for status broadcasts. */
    static String inboundSharersPrefix(final String recipient) {
        return "is" + SEP + recipient + SEP;
    }

    /** {@code sharer} shared with (or referred) {@code recipient} at least once. */
    static String inboundSharer(final String recipient, final String sharer) {
        return inboundSharersPrefix(recipient) + sharer;
    }

    /** Prefix of the shares of {@code instance} to {@code recipient}, ordered by time, then sharer. */
    static String touchPrefix(final String recipient, final String instance) {
        return "it" + SEP + recipient + SEP + instance + SEP;
    }

    /** One share by {@code sharer} of {@code instance} to {@code recipient} at {@code time}. */
    static String touch(final String recipient, final String instance, final long time, final String sharer) {
        return touchPrefix(recipient, instance) + pad(time) + SEP + sharer;
    }

    /** Prefix of every share to {@code recipient}, ordered by time, then sharer, then instance. */
    static String anyTouchPrefix(final String recipient) {
        return "ia" + SEP + recipient + SEP;
    }

    /** The same share as {@link #touch}, in the any-instance order that signups look up. */
    static String anyTouch(final String recipient, final long time, final String sharer, final String instance) {
        return anyTouchPrefix(recipient) + pad(time) + SEP + sharer + SEP + instance;
    }

    /** First part of every purchase key. */
    static final String PURCHASE_KIND = "pu" + SEP;

    /** Prefix of purchases of {@code instance} by {@code buyer}, ordered by time. */
    static String purchasePrefix(final String buyer, final String instance) {
        return PURCHASE_KIND + buyer + SEP + instance + SEP;
    }

    /** A purchase: value = its encoded {@link CreditSlot}. */
    static String purchase(final String buyer, final String instance, final long time, final String eventId) {
        return purchasePrefix(buyer, instance) + pad(time) + SEP + eventId;
    }

    /** The signup of {@code insider}: value = an encoded {@link SignupFact}. */
    static String signup(final String insider) {
        return "su" + SEP + insider;
    }

    /** Who holds the credit of {@code insider}'s signup: value = an encoded {@link CreditSlot}. */
    static String signupCredit(final String insider) {
        return "sc" + SEP + insider;
    }

    /** {@code recipient} converted (signup or purchase) for {@code sharer}: value = number of current credits. */
    static String converted(final String sharer, final String recipient) {
        return "cv" + SEP + sharer + SEP + recipient;
    }

    /** {@code recipient}'s signup is credited to {@code sharer}: value = number of reasons (share, referral visit). */
    static String signupCredited(final String sharer, final String recipient) {
        return "cs" + SEP + sharer + SEP + recipient;
    }

    /** Count of converted recipients of {@code sharer}. */
    static String convertedCount(final String sharer) {
        return "cn" + SEP + sharer;
    }

    /** {@code sharer} shared with {@code recipient} in a partner network other than its own. */
    static String crossPartnerRecipient(final String sharer, final String recipient) {
        return "xr" + SEP + sharer + SEP + recipient;
    }

    /** Count of recipients {@code sharer} shared with in other partner networks. */
    static String crossPartnerShared(final String sharer) {
        return "xs" + SEP + sharer;
    }

    /** Count of those recipients that converted for {@code sharer}. */
    static String crossPartnerConverted(final String sharer) {
        return "xc" + SEP + sharer;
    }

    /** The insider a fingerprint turned into: value "insider,eventId". */
    static String visitor(final String fingerprint) {
        return "fp" + SEP + fingerprint;
    }

    /** Prefix of the referrers a fingerprint visited. */
    static String visitedPrefix(final String fingerprint) {
        return "fv" + SEP + fingerprint + SEP;
    }

    /** {@code fingerprint} visited {@code referrer}'s link. */
    static String visited(final String fingerprint, final String referrer) {
        return visitedPrefix(fingerprint) + referrer;
    }

    /** Prefix of the purchases and signups waiting to be credited, ordered by the wall-clock time they arrived. */
    static String pendingPrefix() {
        return "pq" + SEP;
    }

    /** The purchase or signup under index key {@code factKey} arrived at wall-clock {@code time}: value = factKey. */
    static String pending(final long time, final String factKey) {
        return pendingPrefix() + pad(time) + SEP + factKey;
    }

    /** Prefix of the insiders whose status changed since the last broadcast. */
    static String statusChangedPrefix() {
        return "sx" + SEP;
    }

    /** {@code insider}'s status changed and is not broadcast to its inbound sharers yet. */
    static String statusChanged(final String insider) {
        return statusChangedPrefix() + insider;
    }

    /** Prefix of the dedupe purge schedule. */
    static String seenPrefix() {
        return "se" + SEP;
    }

    /** Event {@code eventId} was applied at stream time {@code time}. */
    static String seen(final long time, final String eventId) {
        return seenPrefix() + pad(time) + SEP + eventId;
    }

    /** Prefix of the decay schedule. */
    static String decayPrefix() {
        return "dx" + SEP;
    }

    /** Connection {@code connectionKey} decays below the threshold at {@code expiry}. */
    static String decay(final long expiry, final String connectionKey) {
        return decayPrefix() + pad(expiry) + SEP + connectionKey;
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
