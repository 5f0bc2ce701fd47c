package io.insidernetwork.ingest.publish;

import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be mapped to {@code ingest.dead-letters.v1}: the original bytes, keyed as they arrived,
 * with headers {@code dlq.reason} (the message, naming the field at fault), {@code dlq.reason.code} (a short code,
 * also the metric label), {@code dlq.source} (which worker saw it), {@code dlq.origin} (request id, URL or topic
 * position it came from) and {@code dlq.timestamp}. Every dead letter is counted in {@code ingest_dead_letters_total}.
 */
public final class DeadLetters {

    /** Header names. */
    public static final String REASON = "dlq.reason";
    public static final String REASON_CODE = "dlq.reason.code";
    public static final String SOURCE = "dlq.source";
    public static final String ORIGIN = "dlq.origin";
    public static final String TIMESTAMP = "dlq.timestamp";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final EventPublisher publisher;
    private final TopicSpec<byte[], byte[]> topic;
    private final IngestMetrics metrics;
    private final Clock clock;

    public DeadLetters(final EventPublisher publisher, final TopicSpec<byte[], byte[]> topic,
                       final IngestMetrics metrics, final Clock clock) {
        this.publisher = publisher;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Publishes one dead letter; the future completes when Kafka acknowledged it. */
    public CompletableFuture<RecordMetadata> send(final String source, final String reasonCode, final String reason,
                                                  final String origin, final String key, final String value) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, bytes(reason));
        headers.add(REASON_CODE, bytes(reasonCode));
        headers.add(SOURCE, bytes(source));
        headers.add(ORIGIN, bytes(origin == null ? "" : origin));
        final long now = clock.millis();
        headers.add(TIMESTAMP, bytes(Long.toString(now)));
        metrics.deadLetter(source, reasonCode);
        log.warn("Dead letter from {} ({}): {}", source, origin, reason);
        return publisher.publish(topic, new EventPublisher.Outgoing<>(key == null ? null : bytes(key),
            value == null ? null : bytes(value), headers));
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
