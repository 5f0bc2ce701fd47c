package io.insidernetwork.schemas.streams;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A handler's configured dead-letter topic and reporting: counts a failure and builds its dead letter.
 *
 * @param topic     the service's dead-letter topic
 * @param reporting the service's label and counter hook
 */
record DeadLetterSink(String topic, DeadLetterReporting reporting) {

    /** From a handler's {@code configure} arguments; both the topic and the reporting must be there. */
    static DeadLetterSink from(final Map<String, ?> configs) {
        return new DeadLetterSink(DeadLetterReporting.topic(configs), DeadLetterReporting.from(configs));
    }

    /** The service label, for log lines. */
    String service() {
        return reporting.service();
    }

    /** Counts one {@code failure} without a dead letter (a write that fails the task). */
    void count(final HandlerFailure failure) {
        reporting.counter().count(failure);
    }

    /** Counts one {@code failure} and builds its dead letter, stamped now when the context has no timestamp. */
    ProducerRecord<byte[], byte[]> deadLetter(final HandlerFailure failure, final byte[] key, final byte[] value,
                                              final ErrorHandlerContext context, final Exception exception) {
        count(failure);
        return DeadLetterRecords.build(topic, key, value, context, exception, reporting, failure.reason(),
            System.currentTimeMillis());
    }
}
