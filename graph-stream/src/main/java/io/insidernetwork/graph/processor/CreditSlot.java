package io.insidernetwork.graph.processor;

import java.util.Optional;

/**
 * Who holds the credit of one purchase or signup, and whether it waits to be (re)settled. A fact waits from the
 * wall-clock time {@code pendingSince} (or -1 when settled); {@code credit} is the share credited so far, which a
 * settlement retracts if a later share has arrived meanwhile; {@code published} is false until the first settlement.
 */
record CreditSlot(Optional<ShareTouch> credit, long pendingSince, boolean published) {

    private static final String SETTLED = "c";
    private static final String PENDING = "p";

    boolean pending() {
        return pendingSince >= 0;
    }

    String encode() {
        return (pending() ? PENDING + pendingSince : SETTLED) + IndexKeys.SEP + published + IndexKeys.SEP
            + ShareTouch.encode(credit);
    }

    /** The slot {@link #encode} wrote; null for null. */
    static CreditSlot decode(final String value) {
        if (value == null) {
            return null;
        }
        final String[] parts = value.split(IndexKeys.SEP, 3);
        final long since = parts[0].startsWith(PENDING) ? Long.parseLong(parts[0].substring(1)) : -1;
        return new CreditSlot(ShareTouch.decode(parts.length > 2 ? parts[2] : ""), since,
            Boolean.parseBoolean(parts[1]));
    }
}
