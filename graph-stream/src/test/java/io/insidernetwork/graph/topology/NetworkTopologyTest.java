package io.insidernetwork.graph.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import io.insidernetwork.schemas.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class NetworkTopologyTest {

    private static final String A = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String B = "b1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String C = "c1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");
    private static final WeightModel WEIGHTS = new WeightModel(1.0, 3.0, 5.0, 5.0, Duration.ofDays(30));

    private final Topics topics = Topics.create("", 3, Duration.ofDays(30));

    @Test
    void shouldConnectSharerToRecipientsWhenShareArrives() {
        try (TopologyTestDriver driver = driver()) {
            input(driver).pipeInput(A, share("e1", A, T0, B, C), T0);

            final KeyValueStore<String, ConnectionState> connections = driver.getKeyValueStore(StoreNames.CONNECTIONS);
            final ConnectionState ab = connections.get(A + "|" + B);
            assertThat(ab.getWeight()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0)
                .isCloseTo(1 - Math.exp(-1.0 / 5.0), org.assertj.core.data.Offset.offset(1e-9));
            final KeyValueStore<String, InsiderState> insiders = driver.getKeyValueStore(StoreNames.INSIDERS);
            assertThat(insiders.get(A).getNetworkSize().getFirstDegree()).isEqualTo(2);
            assertThat(insiders.get(A).getTotalShares()).isEqualTo(1);
            assertThat(insiders.get(A).getJoinedDate()).isEqualTo(T0);

            final var connectionOut = driver.createOutputTopic(topics.connectionState().name(),
                Serdes.String().deserializer(), topics.connectionState().valueSerde().deserializer());
            assertThat(connectionOut.readKeyValuesToMap()).containsOnlyKeys(A + "|" + B, A + "|" + C);
            final var insiderOut = driver.createOutputTopic(topics.insiderState().name(),
                Serdes.String().deserializer(), topics.insiderState().valueSerde().deserializer());
            assertThat(insiderOut.readKeyValuesToMap()).containsOnlyKeys(A);
            final var updates = driver.createOutputTopic(topics.networkUpdates().name(),
                Serdes.String().deserializer(), topics.networkUpdates().valueSerde().deserializer());
            final NetworkUpdate update = updates.readValue();
            assertThat(update.getUpdateType()).isEqualTo(NetworkUpdateType.INSIDER_ADDED);
            assertThat(update.getConnections()).extracting(c -> c.getChangeType()).containsOnly(ChangeType.ADDED);
        }
    }

    @Test
    void shouldStrengthenConnectionWithoutNewDegreeWhenSharedAgain() {
        try (TopologyTestDriver driver = driver()) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            in.pipeInput(A, share("e1", A, T0, B), T0);
            in.pipeInput(A, share("e2", A, T0.plusSeconds(60), B), T0.plusSeconds(60));

            final ConnectionState ab = driver.<String, ConnectionState>getKeyValueStore(StoreNames.CONNECTIONS)
                .get(A + "|" + B);
            assertThat(ab.getWeight()).isGreaterThan(1 - Math.exp(-1.0 / 5.0));
            final InsiderState a = driver.<String, InsiderState>getKeyValueStore(StoreNames.INSIDERS).get(A);
            assertThat(a.getNetworkSize().getFirstDegree()).isEqualTo(1);
            assertThat(a.getTotalShares()).isEqualTo(2);
        }
    }

    @Test
    void shouldCountEventOnceWhenDeliveredTwice() {
        try (TopologyTestDriver driver = driver()) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            in.pipeInput(A, share("e1", A, T0, B), T0);
            in.pipeInput(A, share("e1", A, T0, B), T0);
            final InsiderState a = driver.<String, InsiderState>getKeyValueStore(StoreNames.INSIDERS).get(A);
            assertThat(a.getTotalShares()).isEqualTo(1);
        }
    }

    @Test
    void shouldGiveEveryInsiderDistinctSequenceWhenCreated() {
        try (TopologyTestDriver driver = driver()) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            in.pipeInput(A, share("e1", A, T0, C), T0);
            in.pipeInput(B, signup("e2", B, T0.plusSeconds(1)), T0.plusSeconds(1));
            final KeyValueStore<String, InsiderState> insiders = driver.getKeyValueStore(StoreNames.INSIDERS);
            assertThat(insiders.get(A).getSeq()).isNotEqualTo(insiders.get(B).getSeq());
            assertThat(insiders.get(B).getNetworkSize().getFirstDegree()).isZero();
        }
    }

    @Test
    void shouldSendUndecodableRecordToDeadLetterTopicWhenValueIsNotAvro() {
        try (TopologyTestDriver driver = driver()) {
            final var raw = driver.createInputTopic(topics.partnerEvents().name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
            raw.pipeInput(A, "not avro".getBytes(StandardCharsets.UTF_8), T0);
            final var dlq = driver.createOutputTopic(topics.graphDeadLetters().name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
            assertThat(dlq.readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not avro"));
            input(driver).pipeInput(A, share("e1", A, T0, B), T0);
            assertThat(driver.<String, InsiderState>getKeyValueStore(StoreNames.INSIDERS).get(A)).isNotNull();
        }
    }

    @Test
    void shouldKeepTopologyDescriptionWhenUnchanged() throws IOException {
        final String described = new NetworkTopology(topics, WEIGHTS).build(props()).describe().toString();
        final Path pinned = Path.of("src/test/resources/network-topology.txt");
        if (!Files.exists(pinned)) {
            Files.writeString(pinned, described);
        }
        assertThat(described)
            .as("topology changed: store/topic names are a contract; update %s only with a migration plan", pinned)
            .isEqualTo(Files.readString(pinned));
    }

    private TopologyTestDriver driver() {
        return new TopologyTestDriver(new NetworkTopology(topics, WEIGHTS).build(props()), props());
    }

    private TestInputTopic<String, PartnerEvent> input(final TopologyTestDriver driver) {
        return driver.createInputTopic(topics.partnerEvents().name(), Serdes.String().serializer(),
            topics.partnerEvents().valueSerde().serializer());
    }

    private Properties props() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "graph-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.graphDeadLetters().name());
        return props;
    }

    static PartnerEvent share(final String id, final String sharer, final Instant time, final String... recipients) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(time).setSource("test")
            .setPayload(Share.newBuilder().setSharerId(sharer).setInstanceId("sku-1").setPlatform("instagram")
                .setRecipients(List.of(recipients)).build())
            .build();
    }

    static PartnerEvent signup(final String id, final String insider, final Instant time) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(time).setSource("test")
            .setPayload(Signup.newBuilder().setInsiderId(insider).build())
            .build();
    }
}
