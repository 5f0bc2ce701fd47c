package io.insidernetwork.api.it;

import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes graph-stream's output topics as graph-stream does: insider-keyed records by the default partitioner,
 * "insider|..." keyed records to the partition of their insider.
 */
final class GraphProducer implements AutoCloseable {

    private final KafkaProducer<String, Object> producer;
    private final java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
    private final Topics topics;

    @SuppressWarnings("unchecked")
    GraphProducer(final String bootstrap, final Topics topics) {
        this.topics = topics;
        final Serializer<Object> values = (topic, value) -> serializerFor(topic).serialize(topic, value);
        // topics were just created: without idempotence a batch that met a leader election is simply resent
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
            new StringSerializer(), values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Serializer<Object> serializerFor(final String topic) {
        for (final TopicSpec<?, ?> spec : topics.all()) {
            if (spec.name().equals(topic)) {
                return (Serializer) spec.valueSerde().serializer();
            }
        }
        throw new IllegalArgumentException(topic);
    }

    /** A record keyed by an insider id. */
    void byInsider(final TopicSpec<String, ?> topic, final String insiderId, final Object value, final long time) {
        sent.add(producer.send(new ProducerRecord<>(topic.name(), null, time, insiderId, value)));
    }

    /** A record keyed "insider|suffix", placed in the insider's partition. */
    void ofInsider(final TopicSpec<String, ?> topic, final String insiderId, final String suffix, final Object value,
                   final long time) {
        final int partition = Utils.toPositive(Utils.murmur2(insiderId.getBytes(StandardCharsets.UTF_8)))
            % topic.partitions();
        sent.add(producer.send(new ProducerRecord<>(topic.name(), partition, time, insiderId + "|" + suffix, value)));
    }

    @Override
    public void close() {
        producer.flush();
        try {
            // every record acknowledged, or the test fails here rather than waiting for data that never comes
            for (final java.util.concurrent.Future<?> f : sent) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (final Exception e) {
            throw new IllegalStateException("a graph record was not acknowledged", e);
        } finally {
            producer.close();
        }
    }
}
