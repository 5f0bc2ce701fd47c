package io.insidernetwork.graph.topology;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.graph.sizes.NetworkSizeEngine;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.ReferralVisit;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import io.insidernetwork.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** Events, parameters and drivers shared by the topology tests. */
final class GraphFixtures {

    static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");
    static final WeightModel WEIGHTS = new WeightModel(1.0, 3.0, 5.0, 5.0, Duration.ofDays(30));
    static final GraphParameters PARAMETERS = GraphParameters.defaults(WEIGHTS);

    private GraphFixtures() {
    }

    static Topics topics() {
        return Topics.create("", 3, Duration.ofDays(30));
    }

    static Properties props() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "graph-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        final DeadLetters deadLetters = new DeadLetters(new SimpleMeterRegistry());
        deadLetters.reporting().applyTo(props, topics().graphDeadLetters().name());
        props.put(DeadLetters.CONFIG_KEY, deadLetters);
        return props;
    }

    static TopologyTestDriver driver(final GraphParameters parameters) {
        return new TopologyTestDriver(new NetworkTopology(topics(), parameters).build(props()), props(), T0);
    }

    static TestInputTopic<String, PartnerEvent> input(final TopologyTestDriver driver) {
        return driver.createInputTopic(topics().partnerEvents().name(), Serdes.String().serializer(),
            topics().partnerEvents().valueSerde().serializer());
    }

    /** Pipes {@code event} keyed by the insider it is about, with its event time as record time. */
    static void pipe(final TestInputTopic<String, PartnerEvent> in, final String key, final PartnerEvent event) {
        in.pipeInput(key, event, event.getEventTime());
    }

    /** Lets pending attributions settle (a wall-clock punctuation; they may change connections). */
    static void settle(final TopologyTestDriver driver, final GraphParameters parameters) {
        driver.advanceWallClockTime(parameters.attributionSettle());
    }

    /** The purchase records written to the purchases topic since the last read, the latest per key. */
    static Map<String, PurchaseRecord> latestPurchases(final TopologyTestDriver driver) {
        final Map<String, PurchaseRecord> latest = new HashMap<>();
        driver.createOutputTopic(topics().purchases().name(), Serdes.String().deserializer(),
            topics().purchases().valueSerde().deserializer()).readKeyValuesToList()
            .forEach(kv -> latest.put(kv.key, kv.value));
        return latest;
    }

    static InsiderState insider(final TopologyTestDriver driver, final String id) {
        return driver.<String, InsiderState>getKeyValueStore(StoreNames.INSIDERS).get(id);
    }

    static PartnerEvent share(final String id, final String sharer, final Instant time, final String... recipients) {
        return shareOf(id, sharer, "sku-1", "instagram", time, recipients);
    }

    static PartnerEvent shareOf(final String id, final String sharer, final String instance, final String platform,
                                final Instant time, final String... recipients) {
        return event(id, time, Share.newBuilder().setSharerId(sharer).setInstanceId(instance).setPlatform(platform)
            .setRecipients(List.of(recipients)).build());
    }

    static PartnerEvent signup(final String id, final String insider, final Instant time) {
        return signup(id, insider, null, null, time);
    }

    static PartnerEvent signup(final String id, final String insider, final String referrer,
                               final String fingerprint, final Instant time) {
        return event(id, time, Signup.newBuilder().setInsiderId(insider).setReferrerInsiderId(referrer)
            .setVisitorFingerprint(fingerprint).build());
    }

    static PartnerEvent visit(final String id, final String referrer, final String fingerprint, final Instant time) {
        return event(id, time, ReferralVisit.newBuilder().setReferringInsiderId(referrer)
            .setVisitorFingerprint(fingerprint).setPlatform("tiktok").build());
    }

    static PartnerEvent purchase(final String id, final String buyer, final String instance, final String amount,
                                 final Instant time) {
        return event(id, time, Purchase.newBuilder().setBuyerId(buyer).setOrderId("o-" + id).setInstanceId(instance)
            .setStoreName("mybrand").setStoreCategory("shoes").setAmount(new BigDecimal(amount).setScale(4))
            .setCurrency("USD").build());
    }

    static PartnerEvent event(final String id, final Instant time, final Object payload) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(time).setSource("test").setPayload(payload).build();
    }

    /**
     * The network sizes as the network-size service computes them from the connections topic: reads the connection
     * records the topology wrote, applies them to a {@link NetworkSizeEngine} without budgets and keeps the latest
     * sizes per insider, as the compacted sizes topic would. Create it before the connection records it should see
     * are read elsewhere (every reader of a driver's topic consumes the same records); a test that also checks the
     * connection records reads them through {@link #connectionRecords}.
     */
    static final class SizesTopic {

        private final TestOutputTopic<String, ConnectionState> connections;
        private final NetworkSizeEngine engine = new NetworkSizeEngine(Integer.MAX_VALUE, Long.MAX_VALUE,
            System::nanoTime);
        private final Map<String, NetworkSizes> latest = new HashMap<>();
        private final List<TestRecord<String, ConnectionState>> unread = new ArrayList<>();

        SizesTopic(final TopologyTestDriver driver) {
            connections = driver.createOutputTopic(topics().connectionState().name(), Serdes.String().deserializer(),
                topics().connectionState().valueSerde().deserializer());
        }

        /** The latest sizes record of {@code insider}; null when none was written. */
        NetworkSizes latest(final String insider) {
            pull();
            while (!engine.idle()) {
                engine.run().changed().forEach(sizes -> latest.put(sizes.getInsiderId(), sizes));
            }
            return latest.get(insider);
        }

        /** The connection records the topology wrote since the last call. */
        List<TestRecord<String, ConnectionState>> connectionRecords() {
            pull();
            final List<TestRecord<String, ConnectionState>> records = List.copyOf(unread);
            unread.clear();
            return records;
        }

        private void pull() {
            for (final TestRecord<String, ConnectionState> r : connections.readRecordsToList()) {
                unread.add(r);
                engine.applyConnection(r.key(), r.value() != null, r.timestamp(), true);
            }
        }

        /** The latest first, second and third degree of {@code insider}; zeros when none was written. */
        List<Long> of(final String insider) {
            final NetworkSizes sizes = latest(insider);
            return sizes == null ? List.of(0L, 0L, 0L)
                : List.of(sizes.getFirstDegree(), sizes.getSecondDegree(), sizes.getThirdDegree());
        }

        /** The latest first degree of {@code insider}. */
        long first(final String insider) {
            return of(insider).get(0);
        }
    }

    /** A UUID-shaped insider id for a small number. */
    static String uuid(final int n) {
        return String.format("%08x-0000-4000-8000-000000000000", n);
    }
}
