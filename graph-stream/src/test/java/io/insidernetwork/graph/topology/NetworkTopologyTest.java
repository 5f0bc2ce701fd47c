package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.topology.GraphFixtures.PARAMETERS;
import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.insider;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.purchase;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.share;
import static io.insidernetwork.graph.topology.GraphFixtures.shareOf;
import static io.insidernetwork.graph.topology.GraphFixtures.signup;
import static io.insidernetwork.graph.topology.GraphFixtures.topics;
import static io.insidernetwork.graph.topology.GraphFixtures.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.graph.topology.GraphFixtures.SizesTopic;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizeUpdate;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.graph.TargetStatus;
import io.insidernetwork.schemas.partner.PartnerEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class NetworkTopologyTest {

    /** One-hour half-life and a 0.05 removal threshold: a single share decays away after about two hours. */
    private static final GraphParameters FAST_DECAY = new GraphParameters(
        new io.insidernetwork.graph.logic.WeightModel(1.0, 3.0, 5.0, 5.0, Duration.ofHours(1)), 0.5, 0.05, 3.0,
        Duration.ofDays(1), Duration.ofDays(7), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(50));

    private static final String A = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String B = "b1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String C = "c1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String D = "d1b2c3d4-e5f6-7890-1234-567890abcdef";

    @Test
    void shouldConnectSharerToRecipientsWhenShareArrives() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final SizesTopic sizes = new SizesTopic(driver);
            pipe(input(driver), A, share("e1", A, T0, B, C, "@handle"));
            settle(driver, PARAMETERS);

            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            final ConnectionState ab = connections.get(A + "|" + B);
            assertThat(ab.getWeight()).isCloseTo(1 - Math.exp(-1.0 / 5.0), within(1e-9));
            assertThat(ab.getSignupStatus()).isEqualTo(SignupStatus.INVITED);
            assertThat(ab.getPlatformStrengths()).containsOnlyKeys("instagram");
            assertThat(connections.get(A + "|@handle").getSignupStatus()).isEqualTo(SignupStatus.ANONYMOUS);
            final InsiderState a = insider(driver, A);
            // the handle is a connection but not an insider: network sizes count insiders only
            assertThat(sizes.first(A)).isEqualTo(2);
            assertThat(a.getTotalShares()).isEqualTo(1);
            assertThat(a.getJoinedDate()).isEqualTo(T0);
            assertThat(a.getLastSharedWithPartner().getInstanceId()).isEqualTo("sku-1");
            assertThat(insider(driver, B).getSignupStatus()).isEqualTo(SignupStatus.INVITED);

            assertThat(sizes.connectionRecords()).extracting(TestRecord::key).containsExactlyInAnyOrder(
                A + "|" + B, A + "|" + C, A + "|@handle");
            final var updates = driver.createOutputTopic(topics().networkUpdates().name(),
                Serdes.String().deserializer(), topics().networkUpdates().valueSerde().deserializer());
            final NetworkUpdate update = updates.readValue();
            assertThat(update.getUpdateType()).isEqualTo(NetworkUpdateType.INSIDER_ADDED);
            assertThat(update.getConnections()).extracting(c -> c.getChangeType()).containsOnly(ChangeType.ADDED);
        }
    }

    @Test
    void shouldCountSecondAndThirdDegreeWhenChainAndShortcutExist() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final SizesTopic sizes = new SizesTopic(driver);
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, share("e2", B, T0.plusSeconds(1), C));
            pipe(in, C, share("e3", C, T0.plusSeconds(2), D, A));
            settle(driver, PARAMETERS);
            assertThat(sizes.of(A)).containsExactly(1L, 1L, 1L);
            assertThat(sizes.of(C)).containsExactly(2L, 1L, 0L);

            pipe(in, A, share("e4", A, T0.plusSeconds(3), C));
            settle(driver, PARAMETERS);
            assertThat(sizes.of(A)).containsExactly(2L, 1L, 0L);
            assertThat(sizes.of(B)).containsExactly(1L, 2L, 0L);
        }
    }

    @Test
    void shouldStrengthenConnectionWithoutNewDegreeWhenSharedAgain() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final SizesTopic sizes = new SizesTopic(driver);
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, A, shareOf("e2", A, "sku-1", "tiktok", T0.plusSeconds(60), B));
            settle(driver, PARAMETERS);
            final ConnectionState ab = driver.<String, ConnectionState>getKeyValueStore(StoreNames.CONNECTIONS)
                .get(A + "|" + B);
            assertThat(ab.getWeight()).isGreaterThan(1 - Math.exp(-1.0 / 5.0));
            assertThat(ab.getPlatformStrengths()).containsOnlyKeys("instagram", "tiktok");
            assertThat(sizes.first(A)).isEqualTo(1);
            assertThat(insider(driver, A).getTotalShares()).isEqualTo(2);
        }
    }

    @Test
    void shouldCountEventOnceWhenDeliveredTwice() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, A, share("e1", A, T0, B));
            assertThat(insider(driver, A).getTotalShares()).isEqualTo(1);
        }
    }

    @Test
    void shouldForgetEventIdWhenOlderThanDedupeRetention() {
        final GraphParameters shortMemory = new GraphParameters(GraphFixtures.WEIGHTS, 0.5, 0.01, 3.0,
            Duration.ofDays(30), Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(50));
        try (TopologyTestDriver driver = driver(shortMemory)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, A, share("e1", A, T0, B));
            // stream time moves 2 minutes on: the purge runs and e1 is forgotten, so a redelivery now applies again
            pipe(in, A, share("e2", A, T0.plusSeconds(120), C));
            assertThat(driver.<String, Long>getKeyValueStore(StoreNames.SEEN_EVENTS).get("e1")).isNull();
            pipe(in, A, share("e1", A, T0, B));
            assertThat(insider(driver, A).getTotalShares()).isEqualTo(3);
        }
    }

    @Test
    void shouldCreditSharerWhenRecipientBuysSharedInstanceInWindow() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, purchase("p1", B, "sku-1", "120.50", T0.plusSeconds(10)));
            pipe(in, B, purchase("p2", B, "sku-other", "9", T0.plusSeconds(20)));
            settle(driver, PARAMETERS);

            final InsiderState a = insider(driver, A);
            assertThat(a.getTotalGeneratedAmount()).isEqualByComparingTo("120.50");
            assertThat(a.getUserValue()).isEqualByComparingTo("120.50");
            assertThat(a.getConversionRate()).isEqualTo(1.0);
            final InsiderState b = insider(driver, B);
            assertThat(b.getTotalPurchaseAmount()).isEqualByComparingTo("129.50");
            assertThat(b.getInstancesPurchased()).hasSize(2);
            final Map<String, PurchaseRecord> purchases = GraphFixtures.latestPurchases(driver);
            assertThat(purchases.get(B + "|p1").getAttributedTo()).isEqualTo(A);
            assertThat(purchases.get(B + "|p1").getSpendingRange()).isEqualTo("$100-$250");
            assertThat(purchases.get(B + "|p2").getAttributedTo()).isNull();
            final ConnectionState ab = driver.<String, ConnectionState>getKeyValueStore(StoreNames.CONNECTIONS)
                .get(A + "|" + B);
            assertThat(ab.getScore()).isCloseTo(6.0, within(1e-3));
            assertThat(ab.getTotalGenerated()).isEqualByComparingTo(BigDecimal.ZERO);
        }
    }

    @Test
    void shouldWaitLongerBeforeCreditingWhileCommandsArriveLate() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            // a command sent long ago (behind a backlog): shares still in flight may take as long
            final var commands = driver.createInputTopic(topics().graphCommands().name(),
                Serdes.String().serializer(), topics().graphCommands().valueSerde().serializer());
            final var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            headers.add("graph.sent-ms", java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0L).array());
            commands.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(C,
                new GraphCommand(T0, new NetworkSizeUpdate(C, 1L, 0L, 0L)), headers, T0));
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, purchase("p1", B, "sku-1", "10", T0.plusSeconds(10)));
            settle(driver, PARAMETERS);
            assertThat(GraphFixtures.latestPurchases(driver)).as("not credited after the configured wait").isEmpty();
            driver.advanceWallClockTime(Duration.ofSeconds(61));
            assertThat(GraphFixtures.latestPurchases(driver).get(B + "|p1").getAttributedTo()).isEqualTo(A);
        }
    }

    @Test
    void shouldCreditLateShareWhenItArrivesAfterThePurchase() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            // out of order: the purchase at T0+10s is delivered before the share at T0 that led to it
            pipe(in, B, purchase("p1", B, "sku-1", "50", T0.plusSeconds(10)));
            pipe(in, A, share("e1", A, T0, B));
            settle(driver, PARAMETERS);
            assertThat(insider(driver, A).getTotalGeneratedAmount()).isEqualByComparingTo("50");
            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isEqualTo(A);
        }
    }

    @Test
    void shouldMoveCreditToLatestShareWhenLaterShareArrivesAfterThePurchase() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, purchase("p1", B, "sku-1", "50", T0.plusSeconds(10)));
            settle(driver, PARAMETERS);
            assertThat(insider(driver, A).getTotalGeneratedAmount()).isEqualByComparingTo("50");
            // C's share at T0+5s is the last touch before the purchase, but it is delivered after it
            pipe(in, C, share("e2", C, T0.plusSeconds(5), B));
            settle(driver, PARAMETERS);

            final InsiderState a = insider(driver, A);
            assertThat(a.getTotalGeneratedAmount()).isEqualByComparingTo("0");
            assertThat(a.getConversionRate()).isZero();
            assertThat(insider(driver, C).getTotalGeneratedAmount()).isEqualByComparingTo("50");
            assertThat(insider(driver, C).getConversionRate()).isEqualTo(1.0);
            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isEqualTo(C);
            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            // A keeps its share's point, the purchase's points moved to C
            assertThat(connections.get(A + "|" + B).getScore()).isCloseTo(1.0, within(1e-4));
            assertThat(connections.get(C + "|" + B).getScore()).isCloseTo(6.0, within(1e-3));

            // an earlier share arriving even later changes nothing: C's share is still the latest
            pipe(in, D, share("e3", D, T0.plusSeconds(1), B));
            settle(driver, PARAMETERS);
            assertThat(insider(driver, D).getTotalGeneratedAmount()).isEqualByComparingTo("0");
            assertThat(insider(driver, C).getTotalGeneratedAmount()).isEqualByComparingTo("50");
        }
    }

    @Test
    void shouldCreditLatestShareBeforePurchaseWhenShareAfterItAndShareOutsideWindowExist() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final Duration window = PARAMETERS.attributionWindow();
            // A's share is one millisecond too old, D's is after the purchase: C's (exactly at the window's start)
            // is the latest share within the window before it
            pipe(in, A, share("e1", A, T0.minus(window).minusMillis(1), B));
            pipe(in, C, share("e2", C, T0.minus(window), B));
            pipe(in, D, share("e3", D, T0.plusMillis(1), B));
            pipe(in, B, purchase("p1", B, "sku-1", "40", T0));
            settle(driver, PARAMETERS);
            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isEqualTo(C);
            assertThat(insider(driver, C).getTotalGeneratedAmount()).isEqualByComparingTo("40");
            assertThat(insider(driver, A).getTotalGeneratedAmount()).isEqualByComparingTo("0");
            assertThat(insider(driver, D).getTotalGeneratedAmount()).isEqualByComparingTo("0");
        }
    }

    @Test
    void shouldKeepSeenEventsWithinRetentionWhenManyEventsArrive() {
        final GraphParameters shortMemory = new GraphParameters(GraphFixtures.WEIGHTS, 0.5, 0.01, 3.0,
            Duration.ofDays(30), Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(100),
            Duration.ofMillis(50));
        try (TopologyTestDriver driver = driver(shortMemory)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final int events = 3_000;
            for (int i = 0; i < events; i++) {
                final String sharer = GraphFixtures.uuid(i % 50);
                pipe(in, sharer, share("e" + i, sharer, T0.plusMillis(100L * i), B));
            }
            final long streamTime = T0.plusMillis(100L * (events - 1)).toEpochMilli();

            // the walk keeps pace: what is left is the last minute of ids, and at most a few scans' worth older
            final KeyValueStore<String, Long> seen = driver.getKeyValueStore(StoreNames.SEEN_EVENTS);
            final List<Long> applied = new ArrayList<>();
            try (var all = seen.all()) {
                all.forEachRemaining(kv -> applied.add(kv.value));
            }
            assertThat(applied).allSatisfy(time -> assertThat(time)
                .isGreaterThan(streamTime - Duration.ofMinutes(1).plusSeconds(10).toMillis()));
            assertThat(applied).hasSizeGreaterThanOrEqualTo(600).hasSizeLessThan(800);
            assertThat(seen.get("e" + (events - 1))).isNotNull();
        }
    }

    @Test
    void shouldForgetShareEntriesWhenOlderThanDedupeRetentionAndWindow() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            final Duration horizon = PARAMETERS.dedupeRetention().plus(PARAMETERS.attributionWindow());
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, C, share("e2", C, T0.plus(horizon), B));
            // stream time is exactly the horizon after A's share: it is kept (the cutoff is exclusive)
            assertThat(touchEntries(index, B)).hasSize(4);
            pipe(in, D, share("e3", D, T0.plus(horizon).plusMillis(1), B));
            // A's share can no longer be the latest touch of any fact the app still accepts: both its entries go
            assertThat(touchEntries(index, B)).hasSize(4).noneMatch(key -> key.endsWith(A) || key.contains(A + "\u0001"));
            // a purchase within the window of the remaining shares is credited as before
            pipe(in, B, purchase("p1", B, "sku-1", "5", T0.plus(horizon).plusSeconds(1)));
            settle(driver, PARAMETERS);
            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isEqualTo(D);
        }
    }

    private static List<String> touchEntries(final KeyValueStore<String, String> index, final String recipient) {
        final List<String> keys = new ArrayList<>();
        for (final String kind : List.of("it", "ia")) {
            try (var all = index.prefixScan(kind + "\u0001" + recipient, Serdes.String().serializer())) {
                all.forEachRemaining(kv -> keys.add(kv.key));
            }
        }
        return keys;
    }

    @Test
    void shouldCreditShareOfLegacyIndexLayoutWhenStoreWasWrittenByOlderVersion() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            // a share entry as versions before the time-ordered layout wrote it: in|recipient|instance|sharer|time
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            final String sep = "\u0001";
            index.put("in" + sep + B + sep + "sku-1" + sep + A + sep + String.format("%019d", T0.toEpochMilli()), "");
            index.put("in" + sep + B + sep + "" + sep + C + sep + String.format("%019d", T0.toEpochMilli()), "");
            // entries of the retired status broadcast: the sharers of B, and B's status waiting to be sent
            index.put("is" + sep + B + sep + D, "");
            index.put("sx" + sep + B, "");
            // an entry of the retired dedupe purge schedule: se|time|eventId
            index.put("se" + sep + String.format("%019d", T0.toEpochMilli()) + sep + "e0", "");
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, B, purchase("p1", B, "sku-1", "25", T0.plusSeconds(10)));
            settle(driver, PARAMETERS);

            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isEqualTo(A);
            assertThat(insider(driver, A).getTotalGeneratedAmount()).isEqualByComparingTo("25");
            try (var legacy = index.prefixScan("in" + sep, Serdes.String().serializer())) {
                assertThat(legacy.hasNext()).isFalse();
            }
            // the referral-link entry (no instance) is no touch: C gets no credit
            assertThat(insider(driver, C)).isNull();
            for (final String retired : List.of("is" + sep, "sx" + sep, "se" + sep)) {
                try (var left = index.prefixScan(retired, Serdes.String().serializer())) {
                    assertThat(left.hasNext()).as(retired).isFalse();
                }
            }
        }
    }

    @Test
    void shouldSettlePurchaseOnTimeWhenLateSharesKeepArriving() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, B, purchase("p1", B, "sku-1", "10", T0.plusSeconds(100)));
            final Duration third = PARAMETERS.attributionSettle().dividedBy(3);
            // a late share every third of the settle period, for longer than it: the purchase is credited by then
            for (int i = 0; i < 5; i++) {
                pipe(in, GraphFixtures.uuid(100 + i), share("late-" + i, GraphFixtures.uuid(100 + i),
                    T0.plusSeconds(i), B));
                driver.advanceWallClockTime(third);
            }
            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isNotNull();
            // and once quiet, the credit ends with the latest share
            settle(driver, PARAMETERS);
            assertThat(published(driver, B + "|p1")
                .getAttributedTo()).isEqualTo(GraphFixtures.uuid(104));
            assertThat(insider(driver, GraphFixtures.uuid(104)).getTotalGeneratedAmount()).isEqualByComparingTo("10");
            assertThat(insider(driver, GraphFixtures.uuid(100)).getTotalGeneratedAmount()).isEqualByComparingTo("0");
        }
    }

    @Test
    void shouldCreditSignupToLatestShareOnlyWhateverTheArrivalOrder() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, signup("s1", B, null, null, T0.plusSeconds(10)));
            settle(driver, PARAMETERS);
            assertThat(insider(driver, A).getConversionRate()).isEqualTo(1.0);
            pipe(in, C, shareOf("e2", C, "sku-2", "instagram", T0.plusSeconds(5), B));
            settle(driver, PARAMETERS);

            assertThat(insider(driver, A).getInstancesShared()).allSatisfy(s -> assertThat(s.getSignup()).isEmpty());
            assertThat(insider(driver, A).getConversionRate()).isZero();
            assertThat(insider(driver, C).getInstancesShared()).anySatisfy(s -> {
                assertThat(s.getInstanceId()).isEqualTo("sku-2");
                assertThat(s.getSignup()).containsExactly(B);
            });
            assertThat(insider(driver, C).getConversionRate()).isEqualTo(1.0);
            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            assertThat(connections.get(A + "|" + B).getScore()).isCloseTo(1.0, within(1e-4));
            assertThat(connections.get(C + "|" + B).getScore()).isCloseTo(4.0, within(1e-3));
            // B's signup is B's own status: the connection keeps the status it was created with
            assertThat(connections.get(A + "|" + B).getSignupStatus()).isEqualTo(SignupStatus.INVITED);
            assertThat(insider(driver, B).getSignupStatus()).isEqualTo(SignupStatus.SIGNED_UP);
        }
    }

    @Test
    void shouldConnectReferrerWithoutCopyingTargetFiguresWhenReferredInsiderSignsUp() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final SizesTopic sizes = new SizesTopic(driver);
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e0", A, T0, C));
            pipe(in, B, signup("s1", B, A, null, T0.plusSeconds(5)));
            pipe(in, B, share("e1", B, T0.plusSeconds(6), D));
            pipe(in, D, purchase("p1", D, "sku-1", "10", T0.plusSeconds(7)));
            settle(driver, PARAMETERS);
            final ConnectionState ab = driver.<String, ConnectionState>getKeyValueStore(StoreNames.CONNECTIONS)
                .get(A + "|" + B);
            // the connection holds its own facts; B's status and figures are B's record, joined where read
            assertThat(ab.getSignupStatus()).isEqualTo(SignupStatus.INVITED);
            assertThat(ab.getTotalGenerated()).isEqualByComparingTo("0");
            assertThat(ab.getPartnerConversionRate()).isZero();
            assertThat(ab.getConversionRateUpdated()).isNull();
            final InsiderState b = insider(driver, B);
            assertThat(b.getSignupStatus()).isEqualTo(SignupStatus.SIGNED_UP);
            assertThat(b.getTotalGeneratedAmount()).isEqualByComparingTo("10");
            assertThat(b.getConversionRate()).isEqualTo(1.0);
            assertThat(insider(driver, A).getInstancesShared()).anySatisfy(s -> assertThat(s.getSignup())
                .containsExactly(B));
            assertThat(sizes.of(A)).containsExactly(2L, 1L, 0L);
        }
    }

    @Test
    void shouldLeaveNetworkSizesToTheSizeServiceAndSendNoSizeOrStatusCommands() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final SizesTopic computed = new SizesTopic(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, share("e2", B, T0.plusSeconds(1), C));
            pipe(in, C, signup("s1", C, T0.plusSeconds(2)));
            pipe(in, C, purchase("p1", C, "sku-1", "12", T0.plusSeconds(3)));
            settle(driver, PARAMETERS);

            // the topology writes no sizes: the size service computes them from the connections it wrote, one record
            // per insider whose sizes changed, dated by the change behind them
            final var sizes = driver.createOutputTopic(topics().networkSizes().name(), Serdes.String().deserializer(),
                topics().networkSizes().valueSerde().deserializer());
            assertThat(sizes.readKeyValuesToList()).isEmpty();
            assertThat(computed.latest(A)).isEqualTo(new NetworkSizes(A, 1L, 1L, 0L, T0));
            assertThat(computed.latest(B)).isEqualTo(new NetworkSizes(B, 1L, 0L, 0L, T0.plusSeconds(1)));
            assertThat(computed.latest(C)).isNull();
            // the commands between tasks are the shares' and credits' only: nothing copies sizes or statuses
            final var commands = driver.createOutputTopic(topics().graphCommands().name(),
                Serdes.String().deserializer(), topics().graphCommands().valueSerde().deserializer());
            assertThat(commands.readValuesToList()).extracting(c -> c.getPayload().getClass().getSimpleName())
                .contains("InboundShare", "Attribution")
                .doesNotContain("NetworkSizeUpdate", "TargetStatus");
            // an insider state's network_size stays as created; its change feed has no entry for sizes
            assertThat(sizes(insider(driver, A))).containsExactly(0L, 0L, 0L);
            final var updates = driver.createOutputTopic(topics().networkUpdates().name(),
                Serdes.String().deserializer(), topics().networkUpdates().valueSerde().deserializer());
            assertThat(updates.readKeyValuesToList()).filteredOn(kv -> kv.key.equals(A))
                .extracting(kv -> kv.value.getUpdateType()).containsExactly(NetworkUpdateType.INSIDER_ADDED);
            final ConnectionState bc = driver.<String, ConnectionState>getKeyValueStore(StoreNames.CONNECTIONS)
                .get(B + "|" + C);
            assertThat(bc.getSignupStatus()).isEqualTo(SignupStatus.INVITED);
            assertThat(bc.getTotalGenerated()).isEqualByComparingTo("0");
        }
    }

    @Test
    void shouldDropRetiredCommandsWithoutTouchingStoresOrOutputs() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, B, signup("s1", B, T0.plusSeconds(1)));
            settle(driver, PARAMETERS);
            final List<String> outputs = List.of(topics().insiderState().name(), topics().connectionState().name(),
                topics().networkUpdates().name(), topics().graphCommands().name(), topics().networkSizes().name(),
                topics().purchases().name(), topics().graphDeadLetters().name());
            outputs.forEach(topic -> driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList());
            final List<String> stores = List.of(StoreNames.INSIDERS, StoreNames.CONNECTIONS, StoreNames.INDEX,
                StoreNames.SEQUENCES, StoreNames.SEEN_EVENTS);
            final List<List<String>> before = stores.stream().map(store -> contents(driver, store)).toList();

            // as a version that copied sizes and statuses left them in the commands topic
            final var commands = driver.createInputTopic(topics().graphCommands().name(),
                Serdes.String().serializer(), topics().graphCommands().valueSerde().serializer());
            commands.pipeInput(A, new GraphCommand(T0.plusSeconds(2), new NetworkSizeUpdate(A, 5L, 6L, 7L)),
                T0.plusSeconds(2));
            commands.pipeInput(A, new GraphCommand(T0.plusSeconds(2), new TargetStatus(A, B, true, 0.5,
                new BigDecimal("10.0000"), T0.plusSeconds(2))), T0.plusSeconds(2));

            assertThat(stores.stream().map(store -> contents(driver, store)).toList()).isEqualTo(before);
            for (final String topic : outputs) {
                assertThat(driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList()).as(topic).isEmpty();
            }
            assertThat(sizes(insider(driver, A))).containsExactly(0L, 0L, 0L);
            assertThat(driver.<String, ConnectionState>getKeyValueStore(StoreNames.CONNECTIONS).get(A + "|" + B)
                .getSignupStatus()).isEqualTo(SignupStatus.INVITED);
        }
    }

    /** Every entry of {@code store} as "key=value" text, in key order. */
    private static List<String> contents(final TopologyTestDriver driver, final String store) {
        final List<String> entries = new ArrayList<>();
        try (var all = driver.<String, Object>getKeyValueStore(store).all()) {
            all.forEachRemaining(kv -> entries.add(kv.key + "=" + kv.value));
        }
        return entries;
    }

    @Test
    void shouldRateConversionsOfSharesInOtherPartnerNetworksApart() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, D));
            // A belongs to mybrand (its first event); two recipients in another partner's network
            pipe(in, A, PartnerEvent.newBuilder(share("e2", A, T0.plusSeconds(1), B, C))
                .setPartnerNetworkId("otherbrand").build());
            settle(driver, PARAMETERS);
            assertThat(insider(driver, A).getCrossPartnerConversionRate()).isZero();
            assertThat(insider(driver, A).getCrossPartnerUpdated()).isEqualTo(T0.plusSeconds(1));

            pipe(in, B, signup("s1", B, T0.plusSeconds(2)));
            pipe(in, D, signup("s2", D, T0.plusSeconds(3)));
            settle(driver, PARAMETERS);
            final InsiderState a = insider(driver, A);
            assertThat(a.getConversionRate()).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(a.getCrossPartnerConversionRate()).isEqualTo(0.5);
            assertThat(a.getCrossPartnerUpdated()).isEqualTo(T0.plusSeconds(2));
        }
    }

    @Test
    void shouldMergeAnonymousVisitorIntoInsiderWhenVisitorSignsUp() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final SizesTopic sizes = new SizesTopic(driver);
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, visit("v1", A, "fp-1", T0));
            settle(driver, PARAMETERS);
            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            assertThat(connections.get(A + "|fp-1").getSignupStatus()).isEqualTo(SignupStatus.ANONYMOUS);
            assertThat(sizes.first(A)).isZero();

            pipe(in, B, signup("s1", B, null, "fp-1", T0.plusSeconds(30)));
            settle(driver, PARAMETERS);
            assertThat(connections.get(A + "|fp-1")).isNull();
            final ConnectionState ab = connections.get(A + "|" + B);
            // an insider's connection, created as INVITED; B's signup is B's own record
            assertThat(ab.getSignupStatus()).isEqualTo(SignupStatus.INVITED);
            assertThat(ab.getPlatformStrengths()).containsOnlyKeys("tiktok");
            assertThat(ab.getFirstConnected()).isEqualTo(T0);
            assertThat(sizes.first(A)).isEqualTo(1);
            final var updates = driver.createOutputTopic(topics().networkUpdates().name(),
                Serdes.String().deserializer(), topics().networkUpdates().valueSerde().deserializer());
            assertThat(updates.readValuesToList()).flatExtracting(NetworkUpdate::getConnections)
                .anySatisfy(c -> {
                    assertThat(c.getTarget()).isEqualTo("fp-1");
                    assertThat(c.getChangeType()).isEqualTo(ChangeType.REMOVED);
                });
        }
    }

    @Test
    void shouldRemoveConnectionWhenWeightDecaysBelowThreshold() {
        final GraphParameters fast = FAST_DECAY;
        try (TopologyTestDriver driver = driver(fast)) {
            final SizesTopic sizes = new SizesTopic(driver);
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, B));
            pipe(in, A, share("e2", A, T0.plusSeconds(3600), C));
            settle(driver, fast);
            assertThat(sizes.first(A)).isEqualTo(2);
            // one share (score 1) falls below weight 0.05 (score 0.256) after about 1.97 half-lives
            pipe(in, D, share("e3", D, T0.plusSeconds(2 * 3600), A));
            settle(driver, fast);
            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            assertThat(connections.get(A + "|" + B)).isNull();
            assertThat(connections.get(A + "|" + C)).isNotNull();
            assertThat(sizes.first(A)).isEqualTo(1);
            assertThat(sizes.of(D)).containsExactly(1L, 1L, 0L);
        }
    }

    @Test
    void shouldKeepConnectionSharedAgainPastItsFirstExpiryWithoutWritingScheduleEntriesForTheUpdate() {
        final GraphParameters fast = FAST_DECAY;
        try (TopologyTestDriver driver = driver(fast)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            final String ab = A + "|" + B;
            // first share: expiry after about 1.97 half-lives; a second one at 1.5 h pushes it to about 3.9 h
            pipe(in, A, share("e1", A, T0, B));
            final List<String> created = scheduleEntries(index, ab);
            assertThat(created).hasSize(1);
            pipe(in, A, share("e2", A, T0.plusSeconds(5400), B));
            assertThat(scheduleEntries(index, ab)).as("an update that pushes the expiry out writes no entry")
                .isEqualTo(created);
            // past the first expiry: the scan finds the connection alive and schedules it at its current expiry
            pipe(in, D, share("e3", D, T0.plusSeconds(9000), C));
            assertThat(connections.get(ab)).isNotNull();
            assertThat(scheduleEntries(index, ab)).hasSize(1).doesNotContainAnyElementsOf(created);
            // past the current expiry it goes
            pipe(in, D, share("e4", D, T0.plusSeconds(6 * 3600), C));
            assertThat(connections.get(ab)).isNull();
            assertThat(scheduleEntries(index, ab)).isEmpty();
        }
    }

    @Test
    void shouldRemoveConnectionOfLateEventWhenItHadExpiredBeforeTheLastScan() {
        final GraphParameters fast = FAST_DECAY;
        try (TopologyTestDriver driver = driver(fast)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            pipe(in, D, share("e1", D, T0.plusSeconds(6 * 3600), C));
            // late: its connection expired (about 2 h after T0) before the scan that just ran through T0 + 6 h
            pipe(in, A, share("e2", A, T0, B));
            assertThat(connections.get(A + "|" + B)).isNotNull();
            assertThat(scheduleEntries(index(driver), A + "|" + B)).hasSize(1);
            // the next scan still visits it, though it seeks past everything the previous scan covered
            pipe(in, D, share("e3", D, T0.plusSeconds(6 * 3600 + 1), C));
            assertThat(connections.get(A + "|" + B)).isNull();
            assertThat(scheduleEntries(index(driver), A + "|" + B)).isEmpty();
            assertThat(connections.get(D + "|" + C)).isNotNull();
        }
    }

    private static KeyValueStore<String, String> index(final TopologyTestDriver driver) {
        return driver.getKeyValueStore(StoreNames.INDEX);
    }

    /** The decay-schedule entries of connection {@code key} ("dx" index family). */
    private static List<String> scheduleEntries(final KeyValueStore<String, String> index, final String key) {
        final List<String> entries = new java.util.ArrayList<>();
        try (var all = index.prefixScan("dx\u0001", new org.apache.kafka.common.serialization.StringSerializer())) {
            all.forEachRemaining(kv -> {
                if (key.equals(kv.value)) {
                    entries.add(kv.key);
                }
            });
        }
        return entries;
    }

    @Test
    void shouldGiveEveryInsiderDistinctSequenceWhenCreated() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0, C));
            pipe(in, B, signup("e2", B, T0.plusSeconds(1)));
            assertThat(insider(driver, A).getSeq()).isNotEqualTo(insider(driver, B).getSeq());
            assertThat(insider(driver, B).getSignupStatus()).isEqualTo(SignupStatus.SIGNED_UP);
        }
    }

    @Test
    void shouldMoveJoinedDateEarlierWhenOlderSignupArrivesLate() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, A, share("e1", A, T0.plusSeconds(100), B));
            pipe(in, A, signup("s1", A, T0));
            assertThat(insider(driver, A).getJoinedDate()).isEqualTo(T0);
        }
    }

    @Test
    void shouldSendUndecodableRecordToDeadLetterTopicWhenValueIsNotAvro() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final var raw = driver.createInputTopic(topics().partnerEvents().name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
            raw.pipeInput(A, "not avro".getBytes(StandardCharsets.UTF_8), T0);
            final var dlq = driver.createOutputTopic(topics().graphDeadLetters().name(),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            assertThat(dlq.readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not avro"));
            pipe(input(driver), A, share("e1", A, T0, B));
            assertThat(insider(driver, A)).isNotNull();
        }
    }

    @Test
    void shouldDeadLetterWithReasonWhenEventIsKeyedByAnotherInsider() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, B, share("e1", A, T0, B));
            pipe(in, A, share("e2", "not-a-uuid", T0, B));
            pipe(in, A, share("e3", A, T0, B));
            final var dlq = driver.createOutputTopic(topics().graphDeadLetters().name(),
                Serdes.String().deserializer(), topics().partnerEvents().valueSerde().deserializer());
            final var records = dlq.readRecordsToList();
            assertThat(records).hasSize(2);
            assertThat(new String(records.get(0).headers().lastHeader(NetworkProcessor.REASON_HEADER).value(),
                StandardCharsets.UTF_8)).contains("key").contains("payload.sharer_id");
            assertThat(new String(records.get(1).headers().lastHeader(NetworkProcessor.REASON_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("payload.sharer_id: not a UUID");
            assertThat(records.get(0).value().getEventId()).isEqualTo("e1");
            assertThat(insider(driver, A).getTotalShares()).isEqualTo(1);
            assertThat(driver.metrics().entrySet()).anySatisfy(m -> {
                assertThat(m.getKey().name()).isEqualTo("dead-letter-total");
                assertThat((Double) m.getValue().metricValue()).isEqualTo(2.0);
            });
        }
    }

    @Test
    void shouldKeepTopologyDescriptionWhenUnchanged() throws IOException {
        final String described = new NetworkTopology(topics(), PARAMETERS).build(GraphFixtures.props()).describe()
            .toString();
        final Path pinned = Path.of("src/test/resources/network-topology.txt");
        assertThat(described)
            .as("topology changed: store/topic names are a contract; update %s only with a migration plan", pinned)
            .isEqualTo(Files.readString(pinned));
    }

    /** The latest record of {@code key} on the purchases topic (read so far by {@link #purchasesRead}). */
    private final Map<String, PurchaseRecord> purchasesRead = new HashMap<>();

    private PurchaseRecord published(final TopologyTestDriver driver, final String key) {
        purchasesRead.putAll(GraphFixtures.latestPurchases(driver));
        return purchasesRead.get(key);
    }

    /** The network_size an insider state carries (not maintained: as created). */
    private static List<Long> sizes(final InsiderState state) {
        return List.of(state.getNetworkSize().getFirstDegree(), state.getNetworkSize().getSecondDegree(),
            state.getNetworkSize().getThirdDegree());
    }
}
