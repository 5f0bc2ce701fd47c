package io.insidernetwork.schemas.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the dead-letter records of the services' exception handlers, with Kafka Streams' own dead-letter headers
 * (KIP-1034: {@code __streams.errors.exception}, {@code .message}, {@code .stacktrace}, {@code .topic},
 * {@code .partition}, {@code .offset}), the original headers and the service's reason header.
 *
 * <p>Why not Kafka Streams' builder: {@code ExceptionHandlerUtils.buildDeadLetterQueueRecord} (kafka-streams 4.3.1)
 * creates {@code new ProducerRecord<>(topic, null, context.timestamp(), key, value)}. A context without a record has
 * timestamp -1: a punctuation's, and a failed changelog write's ({@code ProcessorContextImpl.logChange} calls
 * {@code RecordCollector.send(...)} with a null processor context, so {@code RecordCollectorImpl.errorHandlerContext}
 * builds a {@code DefaultErrorHandlerContext} with topic null, partition -1, offset -1 and timestamp -1). The
 * {@code ProducerRecord} constructor then throws {@code IllegalArgumentException: Invalid timestamp: -1} inside the
 * handler, which made the error fatal. Here a record without a valid timestamp gets the wall-clock time, and a value
 * too big for a Kafka record (the RecordTooLargeException case) is left out, its size recorded in a header, so the
 * dead letter itself can always be written. (The dead-letter topics keep records by append time, so the record
 * timestamp does not decide how long a dead letter is kept.)
 */
public final class DeadLetterRecords {

    /** Values bigger than this are left out of dead letters (a Kafka record holds at most 1 MB by default). */
    public static final int MAX_VALUE_BYTES = 512 * 1024;
    /** Stack traces are cut to this many characters. */
    public static final int MAX_STACKTRACE_CHARS = 8 * 1024;

    private DeadLetterRecords() {
    }

    /**
     * The dead letter of a failed record ({@code key}/{@code value} may be null, e.g. for a punctuation), with
     * {@code reasonClass} in {@code reporting}'s reason header; {@code now} stamps it when {@code context} has no
     * valid timestamp.
     */
    public static ProducerRecord<byte[], byte[]> build(final String topic, final byte[] key, final byte[] value,
                                                       final ErrorHandlerContext context, final Exception exception,
                                                       final DeadLetterReporting reporting, final String reasonClass,
                                                       final long now) {
        final long timestamp = context != null && context.timestamp() >= 0 ? context.timestamp() : now;
        final boolean dropValue = value != null && value.length > MAX_VALUE_BYTES;
        final Headers headers = new RecordHeaders();
        if (context != null && context.headers() != null) {
            for (final Header header : context.headers()) {
                headers.add(header);
            }
        }
        add(headers, "__streams.errors.exception", exception.getClass().getName());
        add(headers, "__streams.errors.message", String.valueOf(exception.getMessage()));
        add(headers, "__streams.errors.stacktrace", stackTrace(exception));
        if (context != null && context.topic() != null) {
            add(headers, "__streams.errors.topic", context.topic());
            add(headers, "__streams.errors.partition", Integer.toString(context.partition()));
            add(headers, "__streams.errors.offset", Long.toString(context.offset()));
        }
        add(headers, reporting.reasonHeader(), reasonClass);
        if (dropValue) {
            add(headers, reporting.valueDroppedHeader(), Integer.toString(value.length));
        }
        return new ProducerRecord<>(topic, null, timestamp, key, dropValue ? null : value, headers);
    }

    private static void add(final Headers headers, final String name, final String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(final Exception exception) {
        final String trace = Utils.stackTrace(exception);
        return trace.length() > MAX_STACKTRACE_CHARS ? trace.substring(0, MAX_STACKTRACE_CHARS) : trace;
    }
}
