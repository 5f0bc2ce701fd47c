package io.insidernetwork.graph.processor;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How long commands take from the task that sends them to the task that applies them (wall clock), so that
 * attribution waits for the shares still in flight as long as they actually take: a purchase is credited once it has
 * waited {@code graph.attribution.settle.ms} or {@value #SAFETY} times the recent command delay, whichever is longer,
 * at most {@link #MAX_WAIT_MS}. Behind a backlog commands take seconds, and a fixed wait credited most purchases before
 * their shares arrived and then moved the credit with a retraction (two more commands, and the sharers' states and
 * connections written again each time).
 *
 * <p>Each command carries the wall-clock time it was sent in header {@value #SENT_HEADER}; the estimate is the largest
 * delay seen, halving every {@value #HALF_LIFE_MS} ms without a larger one. It lives in memory only: it is a
 * measurement, not state, and a new processor measures again from its first command. Clocks of different machines
 * are compared, so a skew between them counts as delay (bounded by {@link #MAX_WAIT_MS}).
 */
final class CommandDelay {

    /** Header with the sender's wall-clock time, 8 bytes big-endian. */
    static final String SENT_HEADER = "graph.sent-ms";
    static final int SAFETY = 2;
    static final long HALF_LIFE_MS = 5_000;
    static final long MAX_WAIT_MS = 60_000;

    private double estimate;
    private long estimatedAt;

    /** The header value for a command sent at wall-clock {@code now}. */
    static byte[] sentAt(final long now) {
        return ByteBuffer.allocate(Long.BYTES).putLong(now).array();
    }

    /** Notes the delay of a command with {@code headers} applied at wall-clock {@code now} (no header: ignored). */
    void observe(final Headers headers, final long now) {
        final Header sent = headers.lastHeader(SENT_HEADER);
        if (sent == null || sent.value() == null || sent.value().length != Long.BYTES) {
            return;
        }
        final long delay = now - ByteBuffer.wrap(sent.value()).getLong();
        final double current = current(now);
        if (delay > current) {
            estimate = delay;
        }
    }

    /** The recent command delay, ms. */
    double current(final long now) {
        if (now > estimatedAt) {
            estimate *= Math.pow(0.5, (double) (now - estimatedAt) / HALF_LIFE_MS);
            estimatedAt = now;
        }
        return estimate;
    }

    /** How long a fact waits before it is credited: {@code configured}, or longer while commands are slow. */
    long settleWait(final long configured, final long now) {
        return Math.max(configured, Math.min(MAX_WAIT_MS, (long) (SAFETY * current(now))));
    }
}
