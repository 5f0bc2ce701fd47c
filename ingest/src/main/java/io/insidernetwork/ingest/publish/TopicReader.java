package io.insidernetwork.ingest.publish;

import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic up to its current end at start-up (no consumer group): the memory of a service, loaded back. */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * Hands every record of {@code topic} (a tombstone as a null value) to {@code sink}, partition by partition in
     * offset order, starting at most {@code lastPerPartition} records before each partition's end.
     *
     * @return the number of records read
     * @throws TimeoutException when the topic is not read within {@code timeout}
     */
    public static <K, V> long read(final Map<String, Object> kafkaSettings, final TopicSpec<K, V> topic,
                                   final long lastPerPartition, final Duration timeout, final BiConsumer<K, V> sink) {
        final Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            for (final TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - lastPerPartition));
            }
            final Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException(topic.name() + " not read within " + timeout);
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(topic.keySerde().deserializer().deserialize(topic.name(), record.key()),
                        record.value() == null ? null
                            : topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                    count++;
                }
            }
        }
        return count;
    }
}
