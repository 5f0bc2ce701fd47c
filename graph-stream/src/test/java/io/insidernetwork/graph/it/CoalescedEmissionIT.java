package io.insidernetwork.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, principle 3, on the real broker: a hub changed 1,000 times is written to its topics once per commit
 * (the emission interval), not 1,000 times, and the change feed's merged entries still hold every change.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class CoalescedEmissionIT {

    private static final Logger log = LoggerFactory.getLogger(CoalescedEmissionIT.class);
    private static final String HUB = "30000000-0000-4000-8000-000000000001";
    private static final int SHARES = 1_000;
    private static final int RECIPIENTS = 10;
    private static final long COMMIT_INTERVAL_MS = 2_000;

    @Test
    void shouldWriteHubOncePerEmissionIntervalWhenChangedThousandTimes(final KafkaBroker broker,
                                                                      @TempDir final Path dir) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("coalesce") + ".";
        final GraphStreamConfig config = new GraphStreamConfig(settings(broker, prefix, dir));
        final Topics topics = config.topics();
        final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
        final List<InsiderState> hubStates = new ArrayList<>();
        final Map<String, Integer> connectionWrites = new HashMap<>();
        final Map<String, ConnectionState> connections = new HashMap<>();
        final List<NetworkUpdate> feed = new ArrayList<>();
        try (GraphStreamService service = GraphStreamService.start(config);
             KafkaProducer<String, PartnerEvent> producer = producer(broker, topics);
             KafkaConsumer<String, InsiderState> states = broker.committedReader(topics.insiderState().name(),
                 topics.insiderState().valueSerde().deserializer());
             KafkaConsumer<String, ConnectionState> connectionOut = broker.committedReader(
                 topics.connectionState().name(), topics.connectionState().valueSerde().deserializer());
             KafkaConsumer<String, NetworkUpdate> updates = broker.committedReader(topics.networkUpdates().name(),
                 topics.networkUpdates().valueSerde().deserializer())) {
            final long sent = System.nanoTime();
            for (int i = 0; i < SHARES; i++) {
                final PartnerEvent share = PartnerEvent.newBuilder().setEventId("share-" + i)
                    .setEventTime(start.plusMillis(i)).setPartnerNetworkId("mybrand")
                    .setReceivedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setSource("coalesce-test")
                    .setPayload(Share.newBuilder().setSharerId(HUB).setInstanceId("sku-1").setPlatform("instagram")
                        .setRecipients(List.of(recipient(i % RECIPIENTS))).build())
                    .build();
                producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null,
                    share.getEventTime().toEpochMilli(), HUB, share));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                states.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.key().equals(HUB)) {
                        hubStates.add(r.value());
                    }
                });
                connectionOut.poll(Duration.ofMillis(100)).forEach(r -> {
                    connectionWrites.merge(r.key(), 1, Integer::sum);
                    connections.put(r.key(), r.value());
                });
                updates.poll(Duration.ofMillis(100)).forEach(r -> feed.add(r.value()));
                return !hubStates.isEmpty() && hubStates.get(hubStates.size() - 1).getTotalShares() == SHARES
                    && feed.stream().mapToLong(u -> u.getConnections().size()).sum() > 0
                    && connections.size() == RECIPIENTS;
            });
            final long elapsedMs = (System.nanoTime() - sent) / 1_000_000;
            // Streams commits at most once per commit interval (plus once at the start): no key more often
            final long bound = elapsedMs / COMMIT_INTERVAL_MS + 2;
            log.info("{} shares by one hub in {} ms: {} hub states, {} connection records, {} feed records (bound {})",
                SHARES, elapsedMs, hubStates.size(), connectionWrites.values().stream().mapToInt(i -> i).sum(),
                feed.size(), bound);
            assertThat(bound).as("the run is short enough to show coalescing").isLessThan(SHARES / 10);
            assertThat(hubStates).hasSizeLessThanOrEqualTo((int) bound);
            assertThat(connectionWrites.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo((int) bound));
            assertThat(feed).allSatisfy(u -> assertThat(u.getInsiderId()).isEqualTo(HUB));
            assertThat(feed).hasSizeLessThanOrEqualTo((int) bound);
            // merged, the feed still names every recipient once as added, then as updated at most once per entry
            final Set<String> added = new TreeSet<>();
            for (final NetworkUpdate update : feed) {
                for (final ConnectionChange change : update.getConnections()) {
                    assertThat(change.getChangeType()).isNotEqualTo(ChangeType.REMOVED);
                    if (change.getChangeType() == ChangeType.ADDED) {
                        assertThat(added.add(change.getTarget())).as("added once: " + change.getTarget()).isTrue();
                    }
                }
                assertThat(update.getConnections()).extracting(ConnectionChange::getTarget).doesNotHaveDuplicates();
            }
            final Set<String> expected = new TreeSet<>();
            for (int r = 0; r < RECIPIENTS; r++) {
                expected.add(recipient(r));
            }
            assertThat(added).isEqualTo(expected);
            // the last record of each connection is its state after all its shares
            for (int r = 0; r < RECIPIENTS; r++) {
                final String recipient = recipient(r);
                final ConnectionState last = connections.values().stream()
                    .filter(c -> c.getTargetId().equals(recipient)).findFirst().orElseThrow();
                assertThat(last.getLastSharedAt()).isEqualTo(start.plusMillis(SHARES - RECIPIENTS + r));
            }
        }
    }

    private static String recipient(final int n) {
        return String.format("40000000-0000-4000-8000-%012d", n);
    }

    private static Map<String, Object> settings(final KafkaBroker broker, final String prefix, final Path dir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put(GraphStreamConfig.APPLICATION_ID_CONFIG, prefix + "graph");
        settings.put(GraphStreamConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        settings.put(GraphStreamConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        settings.put(GraphStreamConfig.HTTP_PORT_CONFIG, "0");
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        return settings;
    }

    private static KafkaProducer<String, PartnerEvent> producer(final KafkaBroker broker, final Topics topics) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), topics.partnerEvents().valueSerde().serializer());
    }
}
