package io.insidernetwork.api.topology;

import static io.insidernetwork.api.Fixtures.edge;
import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static io.insidernetwork.api.Fixtures.purchase;
import static io.insidernetwork.api.Fixtures.sizes;
import static io.insidernetwork.api.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterializeTopologyTest {

    private static final Instant NOW = Instant.parse("2025-07-20T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(30);
    private final Topics topics = Topics.create("", 1, RETENTION);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver(final Clock clock) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "materialize-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(new MaterializeTopology(topics, RETENTION, clock).build(), props, NOW);
    }

    private <V> TestInputTopic<String, V> input(final TopologyTestDriver driver,
                                                final io.insidernetwork.schemas.topic.TopicSpec<String, V> spec) {
        return driver.createInputTopic(spec.name(), new StringSerializer(), spec.valueSerde().serializer());
    }

    private static <K, V> List<V> values(final KeyValueStore<K, V> store) {
        final List<V> out = new ArrayList<>();
        try (KeyValueIterator<K, V> it = store.all()) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    @Test
    void shouldMoveIndexKeysWhenJoinedDateChangesAndDropThemOnTombstone() {
        try (TopologyTestDriver driver = driver(Clock.fixed(NOW, ZoneOffset.UTC))) {
            final TestInputTopic<String, InsiderState> insiders = input(driver, topics.insiderState());
            insiders.pipeInput(id(1), insider(id(1), "brand-a", 1024, Instant.parse("2025-01-02T00:00:00Z")), NOW);
            // a late signup moves the joined date earlier: the old index key must go
            insiders.pipeInput(id(1), insider(id(1), "brand-a", 1024, Instant.parse("2025-01-01T00:00:00Z")), NOW);
            final KeyValueStore<Bytes, String> byJoined = driver.getKeyValueStore(ApiStoreNames.BY_JOINED_DATE);
            assertThat(byJoined.get(IndexKeys.joined(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli(), 1024)))
                .isEqualTo(id(1));
            assertThat(values(byJoined)).hasSize(1);
            insiders.pipeInput(id(1), null, NOW);
            assertThat(values(byJoined)).isEmpty();
            assertThat(values(driver.<Bytes, String>getKeyValueStore(ApiStoreNames.BY_SEQ))).isEmpty();
            assertThat(driver.getKeyValueStore(ApiStoreNames.INSIDERS).get(id(1))).isNull();
        }
    }

    @Test
    void shouldKeepConnectionsAndPurchasesByKeyWhenPipedAndRemoveThemOnTombstone() {
        try (TopologyTestDriver driver = driver(Clock.fixed(NOW, ZoneOffset.UTC))) {
            final TestInputTopic<String, ConnectionState> connections = input(driver, topics.connectionState());
            final TestInputTopic<String, PurchaseRecord> purchases = input(driver, topics.purchases());
            connections.pipeInput(id(1) + "|" + id(2), edge(id(1), id(2), 0.5, NOW), NOW);
            connections.pipeInput(id(1) + "|" + id(3), edge(id(1), id(3), 0.5, NOW), NOW);
            connections.pipeInput(id(1) + "|" + id(3), null, NOW);
            final PurchaseRecord p = purchase(id(1), 1, "brand-a", "store", NOW, "10");
            purchases.pipeInput(id(1) + "|" + p.getEventId(), p, NOW);
            final KeyValueStore<String, ConnectionState> edges = driver.getKeyValueStore(ApiStoreNames.CONNECTIONS);
            assertThat(values(edges)).extracting(ConnectionState::getTargetId).containsExactly(id(2));
            assertThat(driver.<String, PurchaseRecord>getKeyValueStore(ApiStoreNames.PURCHASES)
                .get(id(1) + "|evt-1").getOrderId()).isEqualTo("order-1");
        }
    }

    @Test
    void shouldIndexUpdatesByTimeAndExpireThemAfterRetention() {
        final MovableClock clock = new MovableClock(NOW); // the change-feed expiry reads it
        try (TopologyTestDriver driver = driver(clock)) {
            final TestInputTopic<String, NetworkUpdate> updates = input(driver, topics.networkUpdates());
            // input order differs from time order: the index sorts by updated_at
            updates.pipeInput(id(2), update(id(2), "brand-a", NOW.minus(Duration.ofDays(1)), id(3)), NOW);
            updates.pipeInput(id(1), update(id(1), "brand-a", NOW.minus(Duration.ofDays(20)), id(3)), NOW);
            updates.pipeInput(id(3), update(id(3), "brand-a", NOW.minus(Duration.ofDays(40)), id(3)), NOW);
            final KeyValueStore<Bytes, NetworkUpdate> index = driver.getKeyValueStore(ApiStoreNames.UPDATES_BY_TIME);
            assertThat(values(index)).extracting(NetworkUpdate::getInsiderId).containsExactly(id(1), id(2));
            clock.set(NOW.plus(Duration.ofDays(15)));
            driver.advanceWallClockTime(Duration.ofMinutes(1));
            assertThat(values(index)).extracting(NetworkUpdate::getInsiderId).containsExactly(id(2));
        }
    }

    @Test
    void shouldKeepSizesAndIndexInsiderUpdatedEntryWhenCountsChange() {
        try (TopologyTestDriver driver = driver(Clock.fixed(NOW, ZoneOffset.UTC))) {
            final TestInputTopic<String, InsiderState> insiders = input(driver, topics.insiderState());
            final TestInputTopic<String, NetworkSizes> sizes = input(driver, topics.networkSizes());
            final Instant t1 = NOW.minus(Duration.ofDays(2));
            // before the insider is materialized: kept, but no feed entry (its INSIDER_ADDED comes with it)
            sizes.pipeInput(id(1), sizes(id(1), 1, 0, 0, t1), NOW);
            insiders.pipeInput(id(1), insider(id(1), "brand-a", 1024, Instant.parse("2025-01-01T00:00:00Z")), NOW);
            final KeyValueStore<String, NetworkSizes> store = driver.getKeyValueStore(ApiStoreNames.NETWORK_SIZES);
            final KeyValueStore<Bytes, NetworkUpdate> index = driver.getKeyValueStore(ApiStoreNames.UPDATES_BY_TIME);
            assertThat(store.get(id(1)).getFirstDegree()).isEqualTo(1);
            assertThat(values(index)).isEmpty();
            final Instant t2 = t1.plusSeconds(60);
            sizes.pipeInput(id(1), sizes(id(1), 2, 1, 0, t2), NOW); // offset 1 of the sizes topic
            // the same counts at a later time: the count's time_updated stays t2, no second entry
            sizes.pipeInput(id(1), sizes(id(1), 2, 1, 0, t2.plusSeconds(60)), NOW);
            assertThat(store.get(id(1)).getTimeUpdated()).isEqualTo(t2);
            final NetworkUpdate entry = index.get(IndexKeys.update(t2.toEpochMilli(), id(1), IndexKeys.sizesOffset(1)));
            assertThat(entry).isNotNull();
            assertThat(entry.getUpdateType()).isEqualTo(NetworkUpdateType.INSIDER_UPDATED);
            assertThat(entry.getNetworkId()).isEqualTo("brand-a");
            assertThat(entry.getJoinedDate()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
            assertThat(entry.getUpdatedAt()).isEqualTo(t2);
            assertThat(entry.getConnections()).isEmpty();
            // an entry of the change-feed topic at the same time, insider and offset is a different key
            input(driver, topics.networkUpdates()).pipeInput(id(1), update(id(1), "brand-a", t2, id(2)), NOW);
            assertThat(values(index)).hasSize(2);
            // a change older than the feed's retention is kept in the store but not indexed
            sizes.pipeInput(id(1), sizes(id(1), 5, 1, 0, NOW.minus(Duration.ofDays(40))), NOW);
            assertThat(store.get(id(1)).getFirstDegree()).isEqualTo(5);
            assertThat(values(index)).hasSize(2);
            sizes.pipeInput(id(1), null, NOW);
            assertThat(store.get(id(1))).isNull();
        }
    }

    @Test
    void shouldMatchCheckedInDescriptionWhenTopologyIsBuilt() throws Exception {
        final String described = new MaterializeTopology(topics, RETENTION, Clock.systemUTC()).build().describe()
            .toString();
        final Path golden = Path.of("src/test/resources/materialize-topology.txt");
        if (!Files.exists(golden)) {
            Files.writeString(golden, described);
        }
        assertThat(described).as("a changed description means a state migration").isEqualTo(Files.readString(golden));
    }
}
