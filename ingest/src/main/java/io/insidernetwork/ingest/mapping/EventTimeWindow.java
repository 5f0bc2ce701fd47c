package io.insidernetwork.ingest.mapping;

import java.time.Duration;
import java.time.Instant;

/**
 * The accepted range of an event's own time on every path into ingest: from 1970-01-01T00:00:00Z to the time of
 * acceptance plus five minutes of clock skew, both inclusive. Outside it an event cannot be meant (and, before
 * 1970, cannot be stored as epoch milliseconds by every consumer), so it is rejected as bad input naming the field.
 * The Kafka record's own timestamp is never the event time (it is the time of acceptance), so this window is a
 * data rule, not a broker limit.
 */
public final class EventTimeWindow {

    /** Most an event may lie ahead of the receiver's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private EventTimeWindow() {
    }

    /** Whether {@code time} lies in the window for an event accepted at {@code now}. */
    public static boolean contains(final Instant time, final Instant now) {
        return !time.isBefore(Instant.EPOCH) && !time.isAfter(now.plus(MAX_SKEW));
    }

    /** Null when {@code time} lies in the window; otherwise the reason, for an error naming the field. */
    public static String problem(final Instant time, final Instant now) {
        return contains(time, now) ? null : "must be between 1970-01-01T00:00:00Z and " + MAX_SKEW.toMinutes()
            + " minutes after the time of acceptance (" + now + ")";
    }

    /** Returns {@code time} when in the window; otherwise fails naming {@code field}. */
    public static Instant check(final String field, final Instant time, final Instant now)
        throws InvalidFieldException {
        final String problem = problem(time, now);
        if (problem != null) {
            throw new InvalidFieldException(field, problem);
        }
        return time;
    }
}
