package io.insidernetwork.testkit;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A running Kafka broker that tests connect to, injected by {@link KafkaBrokerExtension}. Its lifecycle belongs to
 * the extension: tests never close it.
 */
public interface KafkaBroker {

    /** The bootstrap address for clients, such as {@code 127.0.0.1:41234}; never null. */
    String bootstrapServers();

    /**
     * A consumer of {@code topic} from its start that sees committed records only (what a downstream reader of an
     * exactly-once application sees), in a new consumer group; the caller closes it.
     */
    default <V> KafkaConsumer<String, V> committedReader(final String topic, final Deserializer<V> values) {
        final KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueName("committed-reader")),
            new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
