package io.insidernetwork.ingest.insightiq;

import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.schemas.insightiq.InsightIqPollCursor;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll cursors, kept in the compacted topic {@code ingest.poll-cursors.v1} keyed by {@code scope|kind}. Loaded
 * once at start-up by reading the topic to its end; {@link #save} returns only after Kafka acknowledged the cursor.
 * One poller per cursor topic (one ingest instance runs the poller).
 */
public final class CursorStore {

    private static final Logger log = LoggerFactory.getLogger(CursorStore.class);

    private final EventPublisher publisher;
    private final TopicSpec<String, InsightIqPollCursor> topic;
    private final Duration timeout;
    private final Map<String, InsightIqPollCursor> cursors = new ConcurrentHashMap<>();

    public CursorStore(final EventPublisher publisher, final TopicSpec<String, InsightIqPollCursor> topic,
                       final Duration timeout) {
        this.publisher = publisher;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Reads every cursor from the topic (the latest per key wins). */
    public void load(final Map<String, Object> kafkaSettings) {
        final Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    final String key = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                    if (record.value() == null) {
                        cursors.remove(key);
                    } else {
                        cursors.put(key, topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                    }
                }
            }
        }
        log.info("Loaded {} poll cursors from {}", cursors.size(), topic.name());
    }

    /** The cursor of (scope, kind), if one was saved. */
    public Optional<InsightIqPollCursor> get(final String scope, final ObjectKind kind) {
        return Optional.ofNullable(cursors.get(key(scope, kind)));
    }

    /** Saves {@code cursor}, waiting for Kafka's acknowledgement. */
    public void save(final InsightIqPollCursor cursor) {
        final String key = cursor.getScope() + "|" + cursor.getKind();
        try {
            publisher.publish(topic, new EventPublisher.Outgoing<>(key, cursor))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving cursor " + key, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge cursor " + key, e);
        }
        cursors.put(key, cursor);
    }

    private static String key(final String scope, final ObjectKind kind) {
        return scope + "|" + kind.label();
    }
}
