package io.insidernetwork.graph.processor;

import java.util.Comparator;
import java.util.Optional;

/**
 * One share to a recipient as attribution sees it: when, by whom, of which instance. Touches are ordered by time,
 * then sharer, then instance, so "the latest share" is one well-defined share whatever the arrival order.
 */
record ShareTouch(long time, String sharer, String instance) implements Comparable<ShareTouch> {

    private static final Comparator<ShareTouch> ORDER = Comparator.comparingLong(ShareTouch::time)
        .thenComparing(ShareTouch::sharer).thenComparing(ShareTouch::instance);

    @Override
    public int compareTo(final ShareTouch other) {
        return ORDER.compare(this, other);
    }

    /** True when this touch takes the credit from {@code current} (none, or an earlier touch). */
    boolean beats(final Optional<ShareTouch> current) {
        return current.isEmpty() || compareTo(current.get()) > 0;
    }

    /** Index value of an optional touch: the three parts joined by {@link IndexKeys#SEP}, or "" for none. */
    static String encode(final Optional<ShareTouch> touch) {
        return touch.map(t -> t.time + IndexKeys.SEP + t.sharer + IndexKeys.SEP + t.instance).orElse("");
    }

    /** The touch {@link #encode} wrote; empty for "" (or the value of an index written before touches existed). */
    static Optional<ShareTouch> decode(final String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        final String[] parts = value.split(IndexKeys.SEP, 3);
        if (parts.length < 3) {
            return Optional.empty();
        }
        return Optional.of(new ShareTouch(Long.parseLong(parts[0]), parts[1], parts[2]));
    }
}
