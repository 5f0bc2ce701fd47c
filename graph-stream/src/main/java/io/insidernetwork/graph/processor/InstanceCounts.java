package io.insidernetwork.graph.processor;

/**
 * The exact counts of one instance a sharer shared, kept as the value of its {@link IndexKeys#sharedInstance} entry:
 * share events, distinct recipients (shares and signup credits) and credited signups, encoded as
 * {@code "shares,recipients,signups"}. The empty value is what an older version wrote (its counts were separate
 * keys); {@link #LEGACY} tells it apart.
 */
record InstanceCounts(long shares, long recipients, long signups) {

    static final InstanceCounts ZERO = new InstanceCounts(0, 0, 0);
    /** The value an older version wrote: the counts are under their own keys. */
    static final String LEGACY = "";

    InstanceCounts {
        if (shares < 0 || recipients < 0 || signups < 0) {
            throw new IllegalArgumentException("negative instance count: " + shares + "," + recipients + ","
                + signups);
        }
    }

    /** These counts plus the given deltas (a count never goes below 0). */
    InstanceCounts plus(final long moreShares, final long moreRecipients, final long moreSignups) {
        return new InstanceCounts(Math.max(0, shares + moreShares), Math.max(0, recipients + moreRecipients),
            Math.max(0, signups + moreSignups));
    }

    String encode() {
        return shares + "," + recipients + "," + signups;
    }

    /** The counts {@link #encode} wrote; IllegalArgumentException when {@code value} is not such a value. */
    static InstanceCounts decode(final String value) {
        final String[] parts = value.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("instance counts with " + parts.length + " parts instead of 3");
        }
        return new InstanceCounts(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }
}
