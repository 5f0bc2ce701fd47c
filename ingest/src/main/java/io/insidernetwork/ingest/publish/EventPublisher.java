package io.insidernetwork.ingest.publish;

import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one producer of the ingest service: acks=all and idempotence, so an acknowledged record is on every in-sync
 * replica and a retried send is never written twice. Callers learn of the acknowledgement through the returned future.
 */
public final class EventPublisher implements AutoCloseable {

    /**
     * One record to publish. It has no timestamp: every record is written with the time the producer sends it
     * (CreateTime = the time of acceptance), never with an event's own time, so that time retention counts from
     * acceptance (a backfill of old events is not deleted before it is read) and the broker never refuses a record
     * for its time. Event times travel in the payload.
     */
    public record Outgoing<K, V>(K key, V value, Headers headers) {
        public Outgoing(final K key, final V value) {
            this(key, value, new RecordHeaders());
        }
    }

    private final Producer<byte[], byte[]> producer;

    public EventPublisher(final Map<String, Object> kafkaSettings, final Duration deliveryTimeout) {
        this(new KafkaProducer<>(settings(kafkaSettings, deliveryTimeout), new ByteArraySerializer(),
            new ByteArraySerializer()));
    }

    EventPublisher(final Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /**
     * The producer settings an {@code EventPublisher} runs with: {@code kafkaSettings} over the defaults (linger 5 ms,
     * lz4), then acks=all, idempotence and timeouts derived from {@code deliveryTimeout}. Public so that benchmarks
     * measure a plain producer with exactly these settings.
     */
    public static Map<String, Object> settings(final Map<String, Object> kafkaSettings,
                                               final Duration deliveryTimeout) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.putAll(kafkaSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A webhook answers 503 when Kafka has not acknowledged within the delivery timeout: never block longer.
        final int timeout = (int) deliveryTimeout.toMillis();
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeout / 2));
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout + 10);
        return settings;
    }

    /** Sends every record; the future completes when Kafka acknowledged all of them, or fails with the first error. */
    public <K, V> CompletableFuture<List<RecordMetadata>> publishAll(final TopicSpec<K, V> topic,
                                                                   final List<Outgoing<K, V>> records) {
        final List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (final Outgoing<K, V> record : records) {
            acks.add(publish(topic, record));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
            .thenApply(ignored -> acks.stream().map(CompletableFuture::join).toList());
    }

    /** Sends one record; the future completes with Kafka's acknowledgement. */
    public <K, V> CompletableFuture<RecordMetadata> publish(final TopicSpec<K, V> topic, final Outgoing<K, V> record) {
        final CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        send(topic, record, (metadata, error) -> {
            if (error == null) {
                ack.complete(metadata);
            } else {
                ack.completeExceptionally(error);
            }
        });
        return ack;
    }

    /**
     * Sends one record and tells {@code callback} of Kafka's acknowledgement or of the error, exactly once: on the
     * producer's I/O thread, or on the caller's thread when the record cannot even be serialized or queued. For bulk
     * senders that track acknowledgements themselves instead of holding one future per record.
     */
    public <K, V> void send(final TopicSpec<K, V> topic, final Outgoing<K, V> record, final Callback callback) {
        final byte[] key;
        final byte[] value;
        try {
            key = topic.keySerde().serializer().serialize(topic.name(), record.key());
            value = topic.valueSerde().serializer().serialize(topic.name(), record.value());
        } catch (final RuntimeException e) {
            callback.onCompletion(null, e);
            return;
        }
        try {
            // A null timestamp: the producer stamps the record with its own clock (the time of acceptance).
            producer.send(new ProducerRecord<>(topic.name(), null, null, key, value, record.headers()), callback);
        } catch (final RuntimeException e) {
            // KafkaProducer reports API errors through the callback but throws the others (closed, interrupted).
            callback.onCompletion(null, e);
        }
    }

    /**
     * Makes every record sent so far sendable at once (no linger) and waits until Kafka answered for all of them,
     * at most the delivery timeout. For a bulk sender at the end of its work.
     */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
