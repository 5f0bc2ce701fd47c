package io.insidernetwork.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;

@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(KafkaBrokerExtension.class)
class EmbeddedKafkaBrokerIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldReadBackRecordsWhenProducedWithAcksAllAndIdempotence(final KafkaBroker broker, final TestInfo info)
            throws Exception {
        final String topic = KafkaBrokerExtension.uniqueName(info.getTestMethod().orElseThrow().getName());
        createTopic(broker.bootstrapServers(), topic);
        final List<KeyValue> sent = List.of(new KeyValue("k1", "v1"), new KeyValue("k2", "v2"),
                new KeyValue("k3", "v3"));

        produce(broker.bootstrapServers(), topic, sent);

        final Map<String, Object> consumerConfig = consumerConfig(broker.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueName("group"));
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<KeyValue> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            await().atMost(CLIENT_TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(KeyValue.of(r)));
                return received.size() >= sent.size();
            });
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void shouldKeepRecordsAndClusterIdWhenRestartedOnSameDirectory(@TempDir final Path dataDir) throws Exception {
        final String topic = KafkaBrokerExtension.uniqueName("restart");
        final KeyValue sent = new KeyValue("key", "survives restart");
        final String clusterId;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDir(dataDir).start()) {
            createTopic(first.bootstrapServers(), topic);
            produce(first.bootstrapServers(), topic, List.of(sent));
            clusterId = clusterId(first.bootstrapServers());
        }
        assertThat(dataDir).isNotEmptyDirectory();

        final long restartNanos = System.nanoTime();
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDir(dataDir).start()) {
            final Duration restart = Duration.ofNanos(System.nanoTime() - restartNanos);
            // Loose bound: a restart reuses the formatted storage; a cold start or a registration wait takes longer.
            assertThat(restart).isLessThan(Duration.ofSeconds(10));
            assertThat(clusterId(second.bootstrapServers())).isEqualTo(clusterId);
            assertThat(readAll(second.bootstrapServers(), topic, 1)).containsExactly(sent);
        }
        assertThat(dataDir).isNotEmptyDirectory();
    }

    private static void createTopic(final String bootstrapServers, final String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(Set.of(new NewTopic(topic, 3, (short) 1)))
                    .all().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static String clusterId(final String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeCluster().clusterId().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void produce(final String bootstrapServers, final String topic, final List<KeyValue> records)
            throws Exception {
        final Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (final KeyValue record : records) {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value()))
                        .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static List<KeyValue> readAll(final String bootstrapServers, final String topic, final int expected) {
        final List<KeyValue> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers))) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, CLIENT_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(CLIENT_TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(KeyValue.of(r)));
                return received.size() >= expected;
            });
        }
        return received;
    }

    private static Map<String, Object> consumerConfig(final String bootstrapServers) {
        return new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private record KeyValue(String key, String value) {
        static KeyValue of(final ConsumerRecord<String, String> record) {
            return new KeyValue(record.key(), record.value());
        }
    }
}
