package io.insidernetwork.graph.it;

import static io.insidernetwork.graph.it.InsightIqRecords.account;
import static io.insidernetwork.graph.it.InsightIqRecords.content;
import static io.insidernetwork.graph.it.InsightIqRecords.disconnected;
import static io.insidernetwork.graph.it.InsightIqRecords.profile;
import static io.insidernetwork.graph.it.InsightIqRecords.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * graph-stream on a real broker reading what ingest writes to the InsightIQ topics: a user (external_id = insider),
 * its Instagram account, profile and content raise the strengths of the insider's Instagram connections; the
 * account's disconnection removes the Instagram-only connection (and shrinks the network sizes) and drops Instagram
 * from a connection that also has TikTok.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class InsightIqEngagementIT {

    private static final String A = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String B = "b1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String C = "c1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String USER = "11111111-aaaa-4000-8000-000000000001";
    private static final String ACCOUNT = "22222222-bbbb-4000-8000-000000000002";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void shouldChangeStrengthsAndRemoveConnectionsWhenInsightIqFactsArrive(final KafkaBroker broker,
                                                                           @TempDir final Path dir) {
        final String prefix = KafkaBrokerExtension.uniqueName("iiq") + ".";
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put("graph.application.id", prefix + "graph");
        settings.put("graph.state.dir", dir.toString());
        settings.put("graph.commit.interval.ms", "100");
        settings.put("graph.http.port", "0");
        final GraphStreamConfig config = new GraphStreamConfig(settings);
        final Topics topics = config.topics();
        try (GraphStreamService service = GraphStreamService.start(config);
             KafkaProducer<String, byte[]> producer = producer(broker);
             KafkaConsumer<String, ConnectionState> connectionOut = broker.committedReader(
                 topics.connectionState().name(), topics.connectionState().valueSerde().deserializer());
             KafkaConsumer<String, InsiderState> insiderOut = broker.committedReader(topics.insiderState().name(),
                 topics.insiderState().valueSerde().deserializer());
             KafkaConsumer<String, NetworkSizes> sizesOut = broker.committedReader(topics.networkSizes().name(),
                 topics.networkSizes().valueSerde().deserializer())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> service.state() == KafkaStreams.State.RUNNING);
            final Map<String, ConnectionState> connections = new HashMap<>();
            final Map<String, InsiderState> insiders = new HashMap<>();
            final Map<String, NetworkSizes> sizes = new HashMap<>();

            send(producer, topics.partnerEvents(), A, share("e1", "instagram", T0, B, C), T0);
            send(producer, topics.partnerEvents(), A, share("e2", "tiktok", T0.plusSeconds(1), C), T0.plusSeconds(1));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                poll(connectionOut, connections);
                poll(sizesOut, sizes);
                assertThat(connections).containsKeys(A + "|" + B, A + "|" + C);
                assertThat(sizes).containsKey(A);
                assertThat(sizes.get(A).getFirstDegree()).isEqualTo(2);
            });
            final double plain = connections.get(A + "|" + B).getPlatformStrengths().get("instagram");
            assertThat(plain).isCloseTo(1 - Math.exp(-1.0 / 3.0), within(1e-9));

            // InsightIQ, content first: 10 shares + 20 comments over 1000 followers, e = 10 × 30 / 1000 = 0.3
            final Instant t = T0.plusSeconds(60);
            send(producer, topics.contents(), "content-1",
                content("content-1", ACCOUNT, USER, "Instagram", 10L, 20L, t), t);
            send(producer, topics.profiles(), "profile-1",
                profile("profile-1", ACCOUNT, USER, "Instagram", 1000L, t), t);
            send(producer, topics.accounts(), ACCOUNT, account(ACCOUNT, USER, "Instagram", "CONNECTED", t), t);
            send(producer, topics.users(), USER, user(USER, A, T0.minus(Duration.ofDays(3))), t);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                poll(connectionOut, connections);
                poll(insiderOut, insiders);
                assertThat(connections.get(A + "|" + B).getPlatformStrengths().get("instagram"))
                    .isCloseTo(1 - Math.exp(-1.3 / 3.0), within(1e-9));
                assertThat(connections.get(A + "|" + C).getPlatformStrengths().get("tiktok"))
                    .isCloseTo(1 - Math.exp(-1.0 / 3.0), within(1e-9));
                assertThat(insiders.get(A).getJoinedDate()).isEqualTo(T0.minus(Duration.ofDays(3)));
            });

            final Instant gone = T0.plusSeconds(3600);
            send(producer, topics.accountDisconnects(), ACCOUNT, disconnected(ACCOUNT, gone), gone);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                poll(connectionOut, connections);
                poll(sizesOut, sizes);
                assertThat(connections).doesNotContainKey(A + "|" + B);
                assertThat(connections.get(A + "|" + C).getPlatformStrengths()).containsOnlyKeys("tiktok");
                assertThat(sizes).containsKey(A);
                assertThat(sizes.get(A).getFirstDegree()).isEqualTo(1);
            });
        }
    }

    private static PartnerEvent share(final String id, final String platform, final Instant time,
                                      final String... recipients) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(time).setSource("it").setPayload(Share.newBuilder().setSharerId(A).setInstanceId("sku-1")
                .setPlatform(platform).setRecipients(List.of(recipients)).build()).build();
    }

    private static <V> void send(final KafkaProducer<String, byte[]> producer, final TopicSpec<String, V> topic,
                                 final String key, final V value, final Instant time) {
        producer.send(new ProducerRecord<>(topic.name(), null, time.toEpochMilli(), key,
            topic.valueSerde().serializer().serialize(topic.name(), value)));
        producer.flush();
    }

    private static KafkaProducer<String, byte[]> producer(final KafkaBroker broker) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }


    /** Latest value per key; a tombstone removes the key. */
    private static <V> void poll(final KafkaConsumer<String, V> consumer, final Map<String, V> latest) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        });
    }
}
