package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class RetriableSequenceFilterTest {

    private static final String V2 = "Invalid sequence number for producer 7 at offset 12 in partition t-0: 3 "
        + "(incoming seq. number). Expected sequence 0 for transactions v2 idempotent producer with no existing state.";

    @Test
    void shouldDropOnlyTheRetriableSequenceCheckOfTheReplicaManagerWhenNotAtDebug() {
        final LoggerContext context = new LoggerContext();
        final RetriableSequenceFilter filter = new RetriableSequenceFilter();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        final ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(seen);
        root.setLevel(Level.INFO);
        final Logger replicaManager = context.getLogger(RetriableSequenceFilter.LOGGER);

        replicaManager.error("Error processing append operation on partition t-0", new OutOfOrderSequenceException(V2));
        assertThat(seen.list).isEmpty();

        replicaManager.error("Error processing append operation on partition t-0",
            new OutOfOrderSequenceException("Out of order sequence number for producer 7: 5 (incoming seq. number), "
                + "3 (current end sequence number)"));
        replicaManager.error("Error processing append operation on partition t-0",
            new IllegalStateException("disk full"));
        context.getLogger("kafka.server.Other").error("other", new OutOfOrderSequenceException(V2));
        assertThat(seen.list).hasSize(3);

        replicaManager.setLevel(Level.DEBUG);
        replicaManager.error("Error processing append operation on partition t-0", new OutOfOrderSequenceException(V2));
        assertThat(seen.list).hasSize(4);
    }
}
