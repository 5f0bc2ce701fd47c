package io.insidernetwork.ingest.export.download;

import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.schemas.export.InsiderExportProgress;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The import progress of every export file, backed by the compacted {@code insider.export-progress.v1} topic: read
 * whole at start-up, then kept up to date by {@link #save}, which returns only once Kafka acknowledged the record.
 */
public final class ProgressStore {

    /** Statuses of {@link InsiderExportProgress#getStatus()}. */
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String EXPIRED = "EXPIRED";
    public static final String FAILED = "FAILED";
    private static final Set<String> FINAL = Set.of(COMPLETED, EXPIRED, FAILED);

    private final Map<String, Object> kafkaSettings;
    private final TopicSpec<String, InsiderExportProgress> topic;
    private final EventPublisher publisher;
    private final Map<String, InsiderExportProgress> state = new ConcurrentHashMap<>();

    public ProgressStore(final Map<String, Object> kafkaSettings, final TopicSpec<String, InsiderExportProgress> topic,
                         final EventPublisher publisher) {
        this.kafkaSettings = kafkaSettings;
        this.topic = topic;
        this.publisher = publisher;
    }

    /** Whether {@code status} ends a file's import for good. */
    public static boolean isFinal(final String status) {
        return FINAL.contains(status);
    }

    /** Reads the whole topic (every partition up to its current end). Returns the number of files known. */
    public int load(final Duration timeout) {
        final Map<String, Object> settings = new java.util.HashMap<>(kafkaSettings);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException("progress topic " + topic.name() + " not read within " + timeout);
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    final String url = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                    if (record.value() == null) {
                        state.remove(url);
                    } else {
                        state.put(url, topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                    }
                }
            }
        }
        return state.size();
    }

    /** The latest progress of {@code url}, if any. */
    public Optional<InsiderExportProgress> get(final String url) {
        return Optional.ofNullable(state.get(url));
    }

    /** Every file whose progress is known. */
    public Set<String> urls() {
        return Set.copyOf(state.keySet());
    }

    /** Publishes {@code progress}; completes once Kafka acknowledged it, then it is what {@link #get} returns. */
    public CompletableFuture<Void> save(final InsiderExportProgress progress) {
        return publisher.publish(topic, new Outgoing<>(progress.getUrl(), progress))
            .thenAccept(ack -> state.merge(progress.getUrl(), progress,
                (old, mine) -> mine.getRowsDone() >= old.getRowsDone() || isFinal(mine.getStatus()) ? mine : old));
    }
}
