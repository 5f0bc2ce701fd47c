package io.insidernetwork.api.topology;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Records the query tier cannot decode or materialize go to its dead-letter topic (Kafka Streams' own dead-letter
 * records: the raw key and value with the exception, source topic, partition and offset as headers), are counted,
 * and processing goes on; before, one such record stopped its partition and looped the stream thread forever.
 * Dead letters are stamped when written, not with the failed record's timestamp: a punctuation has no record, and
 * its -1 timestamp made the producer refuse the dead letter (issue 13).
 */
public final class DeadLetters {

    /** Streams config key of the {@code Consumer<String>} told the kind of each dead letter. */
    public static final String COUNTER_CONFIG = "api.dead.letter.counter";
    /** Kind of a record that could not be deserialized. */
    public static final String DESERIALIZATION = "deserialization";
    /** Kind of a record whose processing threw. */
    public static final String PROCESSING = "processing";

    private DeadLetters() {
    }

    @SuppressWarnings("unchecked")
    private static Consumer<String> counter(final Map<String, ?> configs) {
        final Object counter = configs.get(COUNTER_CONFIG);
        return counter instanceof Consumer<?> c ? (Consumer<String>) c : kind -> { };
    }

    /**
     * {@code context} with a timestamp Kafka's dead-letter builder accepts: a punctuation's context has -1, and
     * {@code new ProducerRecord(..., -1L, ...)} throws ("Invalid timestamp: -1"), which made the handler itself
     * fail. The built record is stamped anew by {@link #stampedNow} anyway.
     */
    static ErrorHandlerContext withValidTimestamp(final ErrorHandlerContext context) {
        if (context.timestamp() >= 0) {
            return context;
        }
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return context.topic();
            }

            @Override
            public int partition() {
                return context.partition();
            }

            @Override
            public long offset() {
                return context.offset();
            }

            @Override
            public Headers headers() {
                return context.headers();
            }

            @Override
            public String processorNodeId() {
                return context.processorNodeId();
            }

            @Override
            public TaskId taskId() {
                return context.taskId();
            }

            @Override
            public long timestamp() {
                return 0L;
            }

            @Override
            public byte[] sourceRawKey() {
                return context.sourceRawKey();
            }

            @Override
            public byte[] sourceRawValue() {
                return context.sourceRawValue();
            }
        };
    }

    /** The dead letters with no timestamp of their own: the producer stamps them when sent. */
    static List<ProducerRecord<byte[], byte[]>> stampedNow(final List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new ProducerRecord<>(r.topic(), r.partition(), null, r.key(), r.value(),
            r.headers())).toList();
    }

    /** A record that cannot be deserialized: dead letter, count, continue. */
    public static final class Deserialization extends LogAndContinueExceptionHandler {

        private Consumer<String> counter = kind -> { };

        @Override
        public void configure(final Map<String, ?> configs) {
            super.configure(configs);
            counter = counter(configs);
        }

        @Override
        public DeserializationExceptionHandler.Response handleError(final ErrorHandlerContext context,
                                                                    final ConsumerRecord<byte[], byte[]> record,
                                                                    final Exception exception) {
            final DeserializationExceptionHandler.Response response = super.handleError(withValidTimestamp(context),
                record, exception);
            counter.accept(DESERIALIZATION);
            return DeserializationExceptionHandler.Response.resume(stampedNow(response.deadLetterQueueRecords()));
        }
    }

    /** A record (or punctuation) whose processing throws: dead letter, count, continue. */
    public static final class Processing extends LogAndContinueProcessingExceptionHandler {

        private Consumer<String> counter = kind -> { };

        @Override
        public void configure(final Map<String, ?> configs) {
            super.configure(configs);
            counter = counter(configs);
        }

        @Override
        public ProcessingExceptionHandler.Response handleError(final ErrorHandlerContext context,
                                                               final Record<?, ?> record, final Exception exception) {
            final ProcessingExceptionHandler.Response response = super.handleError(withValidTimestamp(context), record,
                exception);
            counter.accept(PROCESSING);
            return ProcessingExceptionHandler.Response.resume(stampedNow(response.deadLetterQueueRecords()));
        }
    }
}
