package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.it.InsightIqRecords.account;
import static io.insidernetwork.graph.it.InsightIqRecords.content;
import static io.insidernetwork.graph.it.InsightIqRecords.disconnected;
import static io.insidernetwork.graph.it.InsightIqRecords.profile;
import static io.insidernetwork.graph.it.InsightIqRecords.user;
import static io.insidernetwork.graph.topology.GraphFixtures.PARAMETERS;
import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.insider;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.shareOf;
import static io.insidernetwork.graph.topology.GraphFixtures.topics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.graph.topology.GraphFixtures.SizesTopic;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The InsightIQ sub-topologies and their effect on the network processor's connections and insiders. */
class InsightIqTopologyTest {

    private static final String A = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String B = "b1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String C = "c1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String D = "d1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String USER = "11111111-aaaa-4000-8000-000000000001";
    private static final String ACCOUNT = "22222222-bbbb-4000-8000-000000000002";
    private static final String PROFILE = "33333333-cccc-4000-8000-000000000003";
    private static final String CONTENT = "44444444-dddd-4000-8000-000000000004";
    private static final String CONTENT_2 = "55555555-eeee-4000-8000-000000000005";
    private static final double K = 3.0;
    private static final double ALPHA = 10.0;

    @Test
    void shouldRaiseStrengthOfActivePlatformOnlyWhenSharerHasEngagement() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, shareOf("e1", A, "sku-1", "instagram", T0, B, C));
            pipe(in, A, shareOf("e2", A, "sku-1", "tiktok", T0.plusSeconds(1), C));
            final TestOutputTopic<String, ConnectionState> connectionOut = connectionOut(driver);
            final TestOutputTopic<String, NetworkUpdate> updates = updates(driver);
            connectionOut.readRecordsToList();
            updates.readRecordsToList();

            // 30 interactions over 1000 followers: e = 10 × 30 / 1000 = 0.3
            mapAccount(driver, T0.plusSeconds(10), 10, 20, 1000L);

            final ConnectionState ab = connection(driver, A, B);
            assertThat(ab.getPlatformStrengths().get("instagram")).isCloseTo(strength(1, 0.3), within(1e-9));
            assertThat(ab.getPlatformActivity()).containsExactly(Map.entry("instagram", 1L));
            final ConnectionState ac = connection(driver, A, C);
            assertThat(ac.getPlatformStrengths().get("instagram")).isCloseTo(strength(1, 0.3), within(1e-9));
            assertThat(ac.getPlatformStrengths().get("tiktok")).isCloseTo(strength(1, 0.0), within(1e-9));
            assertThat(connectionOut.readKeyValuesToMap()).containsOnlyKeys(A + "|" + B, A + "|" + C);
            final List<NetworkUpdate> feed = updates.readValuesToList();
            assertThat(feed).last().satisfies(u -> {
                assertThat(u.getUpdateType()).isEqualTo(NetworkUpdateType.CONNECTIONS_UPDATED);
                assertThat(u.getConnections()).extracting(ConnectionChange::getTarget).containsExactlyInAnyOrder(B, C);
                assertThat(u.getConnections()).extracting(ConnectionChange::getChangeType)
                    .containsOnly(ChangeType.UPDATED);
            });

            pipe(in, A, shareOf("e3", A, "sku-1", "Instagram", T0.plusSeconds(20), D));
            assertThat(connection(driver, A, D).getPlatformStrengths().get("instagram"))
                .isCloseTo(strength(1, 0.3), within(1e-9));
        }
    }

    @Test
    void shouldMapContentLaterWhenItArrivesBeforeItsAccountAndUser() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            pipe(input(driver), A, shareOf("e1", A, "sku-1", "instagram", T0, B));
            final Instant t = T0.plusSeconds(10);
            // out of order: content, then profile, then account; the user (the insider id) comes last
            rawInput(driver, topics().contents()).pipeInput(CONTENT,
                content(CONTENT, ACCOUNT, USER, "Instagram", 10L, 20L, t), t);
            rawInput(driver, topics().profiles()).pipeInput(PROFILE,
                profile(PROFILE, ACCOUNT, USER, "Instagram", 1000L, t), t);
            rawInput(driver, topics().accounts()).pipeInput(ACCOUNT,
                account(ACCOUNT, USER, "Instagram", "CONNECTED", t), t);
            assertThat(connection(driver, A, B).getPlatformStrengths().get("instagram"))
                .isCloseTo(strength(1, 0.0), within(1e-9));

            rawInput(driver, topics().users()).pipeInput(USER, user(USER, A, T0.minus(Duration.ofDays(1))), t);
            assertThat(connection(driver, A, B).getPlatformStrengths().get("instagram"))
                .isCloseTo(strength(1, 0.3), within(1e-9));
        }
    }

    @Test
    void shouldCountLatestValueOnceWhenContentIsUpdatedTwiceOrRedelivered() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            pipe(input(driver), A, shareOf("e1", A, "sku-1", "instagram", T0, B));
            mapAccount(driver, T0.plusSeconds(10), 10, 20, 1000L);
            final TestInputTopic<String, io.insidernetwork.schemas.insightiq.InsightIqContent> contents =
                rawInput(driver, topics().contents());
            final Instant later = T0.plusSeconds(60);
            contents.pipeInput(CONTENT, content(CONTENT, ACCOUNT, USER, "Instagram", 20L, 40L, later), later);
            // the older snapshot delivered again (poller and webhook fetcher both publish): ignored
            contents.pipeInput(CONTENT, content(CONTENT, ACCOUNT, USER, "Instagram", 10L, 20L,
                T0.plusSeconds(10)), later);
            contents.pipeInput(CONTENT, content(CONTENT, ACCOUNT, USER, "Instagram", 20L, 40L, later), later);
            contents.pipeInput(CONTENT_2, content(CONTENT_2, ACCOUNT, USER, "Instagram", null, 30L, later), later);

            // (20 + 40) + 30 = 90 interactions, not 30 + 60 + 30
            assertThat(connection(driver, A, B).getPlatformStrengths().get("instagram"))
                .isCloseTo(strength(1, ALPHA * 90 / 1000), within(1e-9));
        }
    }

    @Test
    void shouldRemoveOnlyPlatformConnectionsAndShrinkNetworkWhenAccountDisconnects() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final SizesTopic sizes = new SizesTopic(driver);
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, shareOf("e1", A, "sku-1", "instagram", T0, B, C));
            pipe(in, A, shareOf("e2", A, "sku-1", "tiktok", T0.plusSeconds(1), C, D));
            mapAccount(driver, T0.plusSeconds(10), 10, 20, 1000L);
            settle(driver, PARAMETERS);
            assertThat(sizes.first(A)).isEqualTo(3);
            final TestOutputTopic<String, NetworkUpdate> updates = updates(driver);
            sizes.connectionRecords();
            updates.readRecordsToList();

            final Instant gone = T0.plus(Duration.ofHours(1));
            rawInput(driver, topics().accountDisconnects()).pipeInput(ACCOUNT, disconnected(ACCOUNT, gone), gone);
            settle(driver, PARAMETERS);

            assertThat(connection(driver, A, B)).isNull();
            assertThat(connection(driver, A, C).getPlatformStrengths()).containsOnlyKeys("tiktok");
            assertThat(connection(driver, A, C).getPlatformActivity()).containsOnlyKeys("tiktok");
            assertThat(connection(driver, A, D).getPlatformStrengths()).containsOnlyKeys("tiktok");
            final List<TestRecord<String, ConnectionState>> written = sizes.connectionRecords();
            assertThat(written).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(A + "|" + B);
                assertThat(r.value()).isNull();
            });
            assertThat(updates.readValuesToList()).flatExtracting(NetworkUpdate::getConnections)
                .extracting(c -> c.getTarget() + ":" + c.getChangeType())
                .contains(B + ":" + ChangeType.REMOVED, C + ":" + ChangeType.UPDATED)
                .doesNotContain(D + ":" + ChangeType.REMOVED, D + ":" + ChangeType.UPDATED);
            // the tombstone keeps network sizes exact
            assertThat(sizes.first(A)).isEqualTo(2);

            // a later share on the platform rebuilds the connection, now without the dropped engagement
            pipe(in, A, shareOf("e3", A, "sku-2", "instagram", gone.plusSeconds(60), B));
            settle(driver, PARAMETERS);
            assertThat(connection(driver, A, B).getPlatformStrengths().get("instagram"))
                .isCloseTo(strength(1, 0.0), within(1e-9));
            assertThat(sizes.first(A)).isEqualTo(3);
        }
    }

    @Test
    void shouldTreatAccountAsDisconnectedWhenStatusIsNotConnected() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            pipe(input(driver), A, shareOf("e1", A, "sku-1", "instagram", T0, B));
            mapAccount(driver, T0.plusSeconds(10), 10, 20, 1000L);
            final Instant later = T0.plusSeconds(100);
            rawInput(driver, topics().accounts()).pipeInput(ACCOUNT,
                account(ACCOUNT, USER, "Instagram", "NOT_CONNECTED", later), later);
            assertThat(connection(driver, A, B)).isNull();
        }
    }

    @Test
    void shouldKeepEngagementWhenSessionExpired() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            pipe(input(driver), A, shareOf("e1", A, "sku-1", "instagram", T0, B));
            mapAccount(driver, T0.plusSeconds(10), 10, 20, 1000L);
            final Instant later = T0.plusSeconds(100);
            rawInput(driver, topics().accounts()).pipeInput(ACCOUNT,
                account(ACCOUNT, USER, "Instagram", "SESSION_EXPIRED", later), later);
            assertThat(connection(driver, A, B).getPlatformStrengths().get("instagram"))
                .isCloseTo(strength(1, 0.3), within(1e-9));
        }
    }

    @Test
    void shouldMoveJoinedDateToInsightIqRegistrationWhenItIsEarlier() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final Instant registered = T0.minus(Duration.ofDays(30));
            pipe(input(driver), A, shareOf("e1", A, "sku-1", "instagram", T0, B));
            rawInput(driver, topics().users()).pipeInput(USER, user(USER, A, registered), T0);
            assertThat(insider(driver, A).getJoinedDate()).isEqualTo(registered);

            // a user whose insider is not known yet: the date waits for the insider's first event
            final String other = "99999999-aaaa-4000-8000-000000000009";
            rawInput(driver, topics().users()).pipeInput(other, user(other, C, registered), T0);
            pipe(input(driver), C, shareOf("e2", C, "sku-1", "instagram", T0.plusSeconds(5), D));
            assertThat(insider(driver, C).getJoinedDate()).isEqualTo(registered);
        }
    }

    @Test
    void shouldDeadLetterUserWithReasonWhenExternalIdIsNotAnInsiderId() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, InsightIqUser> users = rawInput(driver, topics().users());
            users.pipeInput(USER, user(USER, "customer-42", T0), T0);
            final var dlq = driver.createOutputTopic(topics().graphDeadLetters().name(),
                Serdes.String().deserializer(), topics().users().valueSerde().deserializer());
            final var records = dlq.readRecordsToList();
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.value().getExternalId()).isEqualTo("customer-42");
                assertThat(new String(r.headers().lastHeader(NetworkProcessor.REASON_HEADER).value(),
                    StandardCharsets.UTF_8)).isEqualTo("external_id: not an insider UUID");
            });
            assertThat(driver.metrics().entrySet()).anySatisfy(m -> {
                assertThat(m.getKey().name()).isEqualTo("dead-letter-total");
                assertThat(m.getKey().tags()).containsValue("insightiq-router");
                assertThat((Double) m.getValue().metricValue()).isEqualTo(1.0);
            });
        }
    }

    private static void mapAccount(final TopologyTestDriver driver, final Instant t, final long shares,
                                   final long comments, final Long followers) {
        rawInput(driver, topics().users()).pipeInput(USER, user(USER, A, T0.minus(Duration.ofDays(1))), t);
        rawInput(driver, topics().accounts()).pipeInput(ACCOUNT,
            account(ACCOUNT, USER, "Instagram", "CONNECTED", t), t);
        rawInput(driver, topics().profiles()).pipeInput(PROFILE,
            profile(PROFILE, ACCOUNT, USER, "Instagram", followers, t), t);
        rawInput(driver, topics().contents()).pipeInput(CONTENT,
            content(CONTENT, ACCOUNT, USER, "Instagram", shares, comments, t), t);
    }

    private static double strength(final long shares, final double engagement) {
        return 1 - Math.exp(-(shares + engagement) / K);
    }

    private static <V> TestInputTopic<String, V> rawInput(final TopologyTestDriver driver,
                                                          final TopicSpec<String, V> topic) {
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    private static ConnectionState connection(final TopologyTestDriver driver, final String source,
                                              final String target) {
        final KeyValueStore<String, ConnectionState> store = driver.getKeyValueStore(StoreNames.CONNECTIONS);
        return store.get(source + "|" + target);
    }

    private static TestOutputTopic<String, ConnectionState> connectionOut(final TopologyTestDriver driver) {
        return driver.createOutputTopic(topics().connectionState().name(), Serdes.String().deserializer(),
            topics().connectionState().valueSerde().deserializer());
    }

    private static TestOutputTopic<String, NetworkUpdate> updates(final TopologyTestDriver driver) {
        return driver.createOutputTopic(topics().networkUpdates().name(), Serdes.String().deserializer(),
            topics().networkUpdates().valueSerde().deserializer());
    }
}
