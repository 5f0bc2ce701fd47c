package io.insidernetwork.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two graph-stream instances of one application on a real broker: exactly one of them computes the network sizes
 * (the one running the network processor's task of partition 0); when it stops, the other takes over from the
 * checkpoint and the sizes stay exact.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class NetworkSizesFailoverIT {

    private static final String A = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String B = "b1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String C = "c1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String D = "d1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Pattern WRITTEN = Pattern.compile("(?m)^graph_network_sizes_written_total(?:\\{[^}]*})? (\\S+)$");

    @Test
    void shouldComputeSizesOnOneInstanceAndMoveWhenItStops(final KafkaBroker broker, @TempDir final Path dir) {
        final String prefix = KafkaBrokerExtension.uniqueName("sizes") + ".";
        final GraphStreamConfig first = config(broker, prefix, dir.resolve("one"));
        final GraphStreamConfig second = config(broker, prefix, dir.resolve("two"));
        final Topics topics = first.topics();
        final List<GraphStreamService> services = new ArrayList<>();
        final Map<String, NetworkSizes> sizes = new HashMap<>();
        try (KafkaProducer<String, PartnerEvent> producer = producer(broker, topics);
             KafkaConsumer<String, NetworkSizes> sizesOut = broker.committedReader(topics.networkSizes().name(),
                 topics.networkSizes().valueSerde().deserializer())) {
            services.add(GraphStreamService.start(first));
            services.add(GraphStreamService.start(second));
            await().atMost(Duration.ofSeconds(90)).until(() -> services.stream()
                .allMatch(s -> s.state() == KafkaStreams.State.RUNNING));

            send(producer, topics, A, share("e1", A, T0, B));
            send(producer, topics, B, share("e2", B, T0.plusSeconds(1), C));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                sizesOut.poll(Duration.ofMillis(200)).forEach(r -> sizes.put(r.key(), r.value()));
                assertThat(degrees(sizes.get(A))).containsExactly(1L, 1L, 0L);
                assertThat(degrees(sizes.get(B))).containsExactly(1L, 0L, 0L);
            });
            // one writer: the other instance wrote no size
            final List<Double> written = services.stream().map(NetworkSizesFailoverIT::written).toList();
            assertThat(written).filteredOn(w -> w > 0).hasSize(1);
            final GraphStreamService computing = services.get(written.get(0) > 0 ? 0 : 1);
            final GraphStreamService other = services.get(written.get(0) > 0 ? 1 : 0);

            computing.close();
            services.remove(computing);
            send(producer, topics, C, share("e3", C, T0.plusSeconds(2), D));

            // the other instance takes over from the checkpoint: A now reaches D in three steps
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                sizesOut.poll(Duration.ofMillis(200)).forEach(r -> sizes.put(r.key(), r.value()));
                assertThat(degrees(sizes.get(A))).containsExactly(1L, 1L, 1L);
                assertThat(degrees(sizes.get(B))).containsExactly(1L, 1L, 0L);
                assertThat(degrees(sizes.get(C))).containsExactly(1L, 0L, 0L);
            });
            assertThat(written(other)).isPositive();
        } finally {
            services.forEach(GraphStreamService::close);
        }
    }

    private static double written(final GraphStreamService service) {
        final Matcher m = WRITTEN.matcher(service.scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static List<Long> degrees(final NetworkSizes sizes) {
        return sizes == null ? List.of() : List.of(sizes.getFirstDegree(), sizes.getSecondDegree(),
            sizes.getThirdDegree());
    }

    private static GraphStreamConfig config(final KafkaBroker broker, final String prefix, final Path state) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put("graph.application.id", prefix + "graph");
        settings.put("graph.state.dir", state.toString());
        settings.put("graph.commit.interval.ms", "100");
        settings.put("graph.http.port", "0");
        return new GraphStreamConfig(settings);
    }

    private static PartnerEvent share(final String id, final String sharer, final Instant time,
                                      final String recipient) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(time).setSource("it").setPayload(Share.newBuilder().setSharerId(sharer)
                .setInstanceId("sku-1").setPlatform("instagram").setRecipients(List.of(recipient)).build()).build();
    }

    private static void send(final KafkaProducer<String, PartnerEvent> producer, final Topics topics,
                             final String key, final PartnerEvent event) {
        producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null, event.getEventTime().toEpochMilli(),
            key, event));
        producer.flush();
    }

    private static KafkaProducer<String, PartnerEvent> producer(final KafkaBroker broker, final Topics topics) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), topics.partnerEvents().valueSerde().serializer());
    }
}
