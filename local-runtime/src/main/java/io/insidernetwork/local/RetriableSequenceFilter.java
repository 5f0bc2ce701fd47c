package io.insidernetwork.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Takes the in-process broker's retriable sequence check out of the ERROR log: with transactions v2 each commit bumps
 * the producer epoch, so the first batch a transactional producer sends to a partition in a new transaction must
 * carry sequence 0; when the producer pipelines batches (up to five in flight) and a later batch is appended before
 * the first one, the broker rejects it with {@code OutOfOrderSequenceException ... Expected sequence 0 for
 * transactions v2 idempotent producer with no existing state} and {@code kafka.server.ReplicaManager} logs that at
 * ERROR. The producer sees the earlier batch still in flight and retries the rejected one in order: no record is lost
 * or duplicated. Only those events (that exception with that message) are dropped, and only while the logger is not enabled for DEBUG (set it to DEBUG to
 * see them); every other ReplicaManager message is untouched. Wired in the local runtime's logback.xml only.
 */
public final class RetriableSequenceFilter extends TurboFilter {

    static final String LOGGER = "kafka.server.ReplicaManager";
    private static final String TRANSACTIONS_V2 = "for transactions v2";
    private static final String EXCEPTION = "org.apache.kafka.common.errors.OutOfOrderSequenceException";

    @Override
    public FilterReply decide(final Marker marker, final Logger logger, final Level level, final String format,
                              final Object[] params, final Throwable t) {
        if (level != Level.ERROR || logger == null || !LOGGER.equals(logger.getName())
            || logger.isDebugEnabled() || !isSequenceCheck(t, params)) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

    private static boolean isSequenceCheck(final Throwable t, final Object[] params) {
        Throwable thrown = t;
        if (thrown == null && params != null && params.length > 0
            && params[params.length - 1] instanceof Throwable last) {
            thrown = last;
        }
        return thrown != null && EXCEPTION.equals(thrown.getClass().getName()) && thrown.getMessage() != null
            && thrown.getMessage().contains(TRANSACTIONS_V2);
    }
}
