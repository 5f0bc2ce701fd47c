package io.insidernetwork.graph.processor;

import java.util.Optional;

/**
 * What the recipient's task remembers of its insider's (first) signup: when, which event, whether it came through a
 * referral link (then it is credited to the referrer only), and which share currently holds the credit.
 */
record SignupFact(long time, String eventId, boolean referred, Optional<ShareTouch> credit, boolean pending) {

    private static final String PENDING = "?";

    static String encode(final long time, final String eventId, final boolean referred,
                         final Optional<ShareTouch> credit) {
        return time + IndexKeys.SEP + referred + IndexKeys.SEP + eventId + IndexKeys.SEP + ShareTouch.encode(credit);
    }

    /** A signup without referrer whose credit is not settled yet. */
    static String encodePending(final long time, final String eventId) {
        return time + IndexKeys.SEP + false + IndexKeys.SEP + eventId + IndexKeys.SEP + PENDING;
    }

    /** The fact {@link #encode} wrote, or null when there is none. */
    static SignupFact decode(final String value) {
        if (value == null) {
            return null;
        }
        final String[] parts = value.split(IndexKeys.SEP, 4);
        final String credit = parts.length > 3 ? parts[3] : "";
        final boolean pending = PENDING.equals(credit);
        return new SignupFact(Long.parseLong(parts[0]), parts[2], Boolean.parseBoolean(parts[1]),
            pending ? Optional.empty() : ShareTouch.decode(credit), pending);
    }
}
