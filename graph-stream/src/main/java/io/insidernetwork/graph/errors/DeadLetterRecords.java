package io.insidernetwork.graph.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the dead-letter records of graph-stream's exception handlers, with Kafka Streams' own dead-letter headers
 * (KIP-1034: {@code __streams.errors.exception}, {@code .message}, {@code .stacktrace}, {@code .topic},
 * {@code .partition}, {@code .offset}) and the original headers.
 *
 * <p>Why not Kafka Streams' builder: {@code ExceptionHandlerUtils.buildDeadLetterQueueRecord} (kafka-streams 4.3.1)
 * creates {@code new ProducerRecord<>(topic, null, context.timestamp(), key, value)}. For a failed changelog write
 * the context has no record: {@code ProcessorContextImpl.logChange} calls {@code RecordCollector.send(...)} with a
 * null processor context, so {@code RecordCollectorImpl.errorHandlerContext} builds a {@code DefaultErrorHandlerContext}
 * with topic null, partition -1, offset -1 and timestamp -1, and the {@code ProducerRecord} constructor throws
 * {@code IllegalArgumentException: Invalid timestamp: -1}, which made the error fatal. Here a record without a valid
 * timestamp gets the wall-clock time, and a value too big for a Kafka record (the RecordTooLargeException case) is
 * left out, its size recorded in a header, so the dead letter itself can always be written.
 */
public final class DeadLetterRecords {

    /** Header with the reason class ({@link DeadLetters}). */
    public static final String REASON_CLASS_HEADER = "__graph.errors.reason";
    /** Header with the size of a value left out of the dead letter because it was too big. */
    public static final String VALUE_DROPPED_HEADER = "__graph.errors.value.dropped.bytes";
    /** Values bigger than this are left out of dead letters (a Kafka record holds at most 1 MB by default). */
    static final int MAX_VALUE_BYTES = 512 * 1024;
    private static final int MAX_STACKTRACE_CHARS = 8 * 1024;

    private DeadLetterRecords() {
    }

    /** The dead letter of a failed record ({@code key}/{@code value} may be null, e.g. for a punctuation). */
    public static ProducerRecord<byte[], byte[]> build(final String topic, final byte[] key, final byte[] value,
                                                       final ErrorHandlerContext context, final Exception exception,
                                                       final String reasonClass, final long now) {
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
        add(headers, REASON_CLASS_HEADER, reasonClass);
        if (dropValue) {
            add(headers, VALUE_DROPPED_HEADER, Integer.toString(value.length));
        }
        return new ProducerRecord<>(topic, null, timestamp, key, dropValue ? null : value, headers);
    }

    private static void add(final Headers headers, final String name, final String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(final Exception exception) {
        final StringWriter out = new StringWriter();
        exception.printStackTrace(new PrintWriter(out));
        final String trace = out.toString();
        return trace.length() > MAX_STACKTRACE_CHARS ? trace.substring(0, MAX_STACKTRACE_CHARS) : trace;
    }
}
