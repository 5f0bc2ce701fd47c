package io.insidernetwork.api.it;

import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.ApiConfig;
import io.insidernetwork.api.ApiService;
import io.insidernetwork.api.ContractClient;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 sections 1 and 5 for the query tier, on the real broker: a record api-sink cannot decode goes to its
 * dead-letter topic with the reason and source coordinates, is counted in {@code /metrics}, and the ordinary records
 * behind it in the same partition are served; readiness stays UP (before, the thread died on it again and again).
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterIT {

    @Test
    void shouldSendUndecodableRecordAsideAndServeTheRecordsBehindIt(final KafkaBroker broker,
                                                                    @TempDir final Path dir) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("dlq") + ".";
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put("topics.partitions", "1");
        settings.put("api.application.id", prefix + "api");
        settings.put("api.state.dir", dir.resolve("state").toString());
        settings.put("api.http.host", "127.0.0.1");
        settings.put("api.http.port", "0");
        settings.put("api.auth.keys", Fixtures.KEY_ENTRY);
        settings.put("api.secret", Fixtures.SECRET);
        settings.put("api.num.standby.replicas", "0");
        final ApiConfig config = new ApiConfig(settings);
        final Topics topics = config.topics();
        try (ApiService service = ApiService.start(config)) {
            final ContractClient client = new ContractClient(service.port());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.get("/health/ready", Map.of()).status() == 200);
            final byte[] poison = "not an avro record".getBytes(StandardCharsets.UTF_8);
            final InsiderState good = insider(id(2), "brand-a", 2L, Instant.now().minusSeconds(3600));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics.insiderState().name(), 0,
                    id(1).getBytes(StandardCharsets.UTF_8), poison)).get();
                producer.send(new ProducerRecord<>(topics.insiderState().name(), 0,
                    id(2).getBytes(StandardCharsets.UTF_8),
                    topics.insiderState().valueSerde().serializer().serialize(topics.insiderState().name(), good)))
                    .get();
            }
            // the record behind the poison one is served
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.get("/api/v1/insiders/" + id(2)).status() == 200);
            assertThat(client.get("/api/v1/insiders/" + id(1)).status()).isEqualTo(404);
            // the poison record is on the dead-letter topic, with its reason and where it came from
            final ConsumerRecord<byte[], byte[]> dead = readOne(broker.bootstrapServers(),
                config.deadLetterTopic().name());
            assertThat(dead.value()).isEqualTo(poison);
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(id(1));
            assertThat(dead.timestamp()).isPositive();
            final Map<String, String> headers = new HashMap<>();
            for (final Header h : dead.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            assertThat(headers).containsKey("__streams.errors.exception")
                .containsEntry("__streams.errors.topic", topics.insiderState().name())
                .containsEntry("__streams.errors.partition", "0")
                .containsEntry("__streams.errors.offset", "0");
            // counted, and the instance stays ready
            final Answer metrics = client.get("/metrics", Map.of());
            assertThat(metrics.raw()).contains("api_dead_letters_total{reason=\"deserialization\"} 1.0");
            assertThat(client.get("/health/ready", Map.of()).at("/status").asText()).isEqualTo("UP");
        }
    }

    private static ConsumerRecord<byte[], byte[]> readOne(final String bootstrap, final String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader"), new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
            });
            assertThat(seen).hasSize(1);
            return seen.get(0);
        }
    }
}
