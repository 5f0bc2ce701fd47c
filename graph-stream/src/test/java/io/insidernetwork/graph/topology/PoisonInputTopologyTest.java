package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.topology.GraphFixtures.PARAMETERS;
import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.event;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.insider;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.purchase;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.shareOf;
import static io.insidernetwork.graph.topology.GraphFixtures.topics;
import static io.insidernetwork.graph.topology.GraphFixtures.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.EventValidator;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InboundShare;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.partner.PartnerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The inputs of issue 13 section 1: each goes aside with its reason, and ordinary events behind it are applied. */
class PoisonInputTopologyTest {

    private static final String SHARER = uuid(1);
    private static final String BUYER = uuid(2);
    private static final String OTHER_BUYER = uuid(3);
    private static final String MAX_AMOUNT = "99999999999999.9999";

    @Test
    void shouldDeadLetterPurchaseWhenInstanceIdHasControlCharacterAndKeepProcessing() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, BUYER, purchase("p-bad", BUYER, "sku\u0001x", "10.00", T0));
            pipe(in, BUYER, purchase("p-ok", BUYER, "sku-1", "5.00", T0.plusSeconds(1)));
            settle(driver, PARAMETERS);

            assertThat(reasons(driver)).containsExactly(
                "payload.instance_id: contains a control character (U+0001 at index 3)");
            assertThat(purchaseRecords(driver)).extracting(PurchaseRecord::getEventId).containsExactly("p-ok");
            assertThat(insider(driver, BUYER).getTotalPurchaseAmount()).isEqualByComparingTo("5.00");
        }
    }

    @Test
    void shouldDeadLetterPurchaseWhenEventIdHasControlCharacter() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, BUYER, purchase("p\u0001bad", BUYER, "sku-1", "10.00", T0));
            pipe(in, BUYER, purchase("p-ok", BUYER, "sku-1", "5.00", T0.plusSeconds(1)));
            settle(driver, PARAMETERS);

            assertThat(reasons(driver)).containsExactly(
                "event_id: contains a control character (U+0001 at index 1)");
            assertThat(purchaseRecords(driver)).extracting(PurchaseRecord::getEventId).containsExactly("p-ok");
        }
    }

    @Test
    void shouldNotCreditPhantomInsiderWhenShareInstanceIdSmugglesKeyParts() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final String smuggled = "a\u00011738592220000";
            pipe(in, SHARER, shareOf("s-bad", SHARER, smuggled + "000000", "instagram", T0, BUYER));
            pipe(in, SHARER, shareOf("s-ok", SHARER, "sku-1", "instagram", T0.plusSeconds(1), BUYER));
            pipe(in, BUYER, purchase("p-1", BUYER, "sku-1", "5.00", T0.plusSeconds(2)));
            settle(driver, PARAMETERS);
            settle(driver, PARAMETERS);

            assertThat(reasons(driver)).singleElement().asString().startsWith("payload.instance_id: contains a "
                + "control character (U+0001");
            final List<String> insiders = new ArrayList<>();
            try (KeyValueIterator<String, InsiderState> all = driver.<String, InsiderState>getKeyValueStore(
                StoreNames.INSIDERS).all()) {
                all.forEachRemaining(kv -> insiders.add(kv.key));
            }
            assertThat(insiders).containsExactlyInAnyOrder(SHARER, BUYER);
            assertThat(insiders).allMatch(EventValidator::isInsiderId);
            assertThat(purchaseRecords(driver)).singleElement()
                .satisfies(p -> assertThat(p.getAttributedTo()).isEqualTo(SHARER));
            assertThat(insider(driver, SHARER).getTotalGeneratedAmount()).isEqualByComparingTo("5.00");
        }
    }

    @Test
    void shouldDropIndexEntryWhenItDoesNotParseInsteadOfFailingTheSettlePunctuation() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, BUYER, purchase("p-ok", BUYER, "sku-1", "5.00", T0));
            // what an older version wrote for purchase instance "sku\u0001x": pu|buyer|sku|x|time|event
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            final String badKey = "pu\u0001" + BUYER + "\u0001sku\u0001x\u0001" + "0".repeat(6) + T0.toEpochMilli()
                + "\u0001p-old";
            index.put(badKey, "p0\u0001false\u0001");
            index.put("pq\u0001" + "0".repeat(6) + T0.toEpochMilli() + "\u0001" + badKey, badKey);
            settle(driver, PARAMETERS);
            pipe(in, BUYER, purchase("p-next", BUYER, "sku-1", "5.00", T0.plusSeconds(1)));
            settle(driver, PARAMETERS);

            assertThat(index.get(badKey)).isNull();
            assertThat(purchaseRecords(driver)).extracting(PurchaseRecord::getEventId)
                .containsExactly("p-ok", "p-next");
        }
    }

    @Test
    void shouldSumAndEncodeWhenOneBuyerBuysTwiceAtTheMaximumAmount() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, BUYER, purchase("p-1", BUYER, "sku-1", MAX_AMOUNT, T0));
            pipe(in, BUYER, purchase("p-2", BUYER, "sku-1", MAX_AMOUNT, T0.plusSeconds(1)));
            settle(driver, PARAMETERS);

            assertThat(reasons(driver)).isEmpty();
            assertThat(insider(driver, BUYER).getTotalPurchaseAmount())
                .isEqualByComparingTo("199999999999999.9998");
            assertThat(lastInsiderStateOnTopic(driver, BUYER).getUserValue())
                .isEqualByComparingTo("199999999999999.9998");
        }
    }

    @Test
    void shouldSumAndEncodeWhenTwoBuyersAtTheMaximumAreCreditedToOneSharer() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, SHARER, shareOf("s-1", SHARER, "sku-1", "instagram", T0, BUYER, OTHER_BUYER));
            pipe(in, BUYER, purchase("p-1", BUYER, "sku-1", MAX_AMOUNT, T0.plusSeconds(1)));
            pipe(in, OTHER_BUYER, purchase("p-2", OTHER_BUYER, "sku-1", MAX_AMOUNT, T0.plusSeconds(2)));
            settle(driver, PARAMETERS);
            settle(driver, PARAMETERS);

            assertThat(reasons(driver)).isEmpty();
            assertThat(insider(driver, SHARER).getTotalGeneratedAmount())
                .isEqualByComparingTo("199999999999999.9998");
            assertThat(lastInsiderStateOnTopic(driver, SHARER).getTotalGeneratedAmount())
                .isEqualByComparingTo("199999999999999.9998");
        }
    }

    @Test
    void shouldDeadLetterEventWhenDatedFarInTheFutureWithoutAdvancingStreamTime() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, SHARER, shareOf("s-1", SHARER, "sku-1", "instagram", T0, BUYER));
            final Instant future = Instant.now().plusSeconds(3 * 3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            pipe(in, SHARER, shareOf("s-future", SHARER, "sku-1", "instagram", future, BUYER));
            pipe(in, SHARER, shareOf("s-2", SHARER, "sku-2", "instagram", T0.plusSeconds(60), BUYER));

            assertThat(reasons(driver)).singleElement().asString().startsWith("event_time: " + future)
                .contains("after the wall clock");
            // the future event would have decayed the connection away (months of stream time) had it counted
            assertThat(driver.getKeyValueStore(StoreNames.CONNECTIONS).get(SHARER + "|" + BUYER)).isNotNull();
            assertThat(insider(driver, SHARER).getTotalShares()).isEqualTo(2);
        }
    }

    @Test
    void shouldDeadLetterCommandWhenApplyingItThrowsAndContinue() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final var commands = driver.createInputTopic(topics().graphCommands().name(),
                Serdes.String().serializer(), topics().graphCommands().valueSerde().serializer());
            // written straight to the command topic (not by graph-stream): a key part with a control character
            commands.pipeInput(BUYER, new GraphCommand(T0, new InboundShare(SHARER, BUYER, "sku\u0001x", "mybrand",
                true)), T0);
            pipe(input(driver), BUYER, purchase("p-ok", BUYER, "sku-1", "5.00", T0.plusSeconds(1)));
            settle(driver, PARAMETERS);

            final List<TestRecord<byte[], byte[]>> dead = deadLetters(driver);
            assertThat(dead).singleElement().satisfies(r -> {
                assertThat(header(r.headers().lastHeader("__streams.errors.exception")))
                    .isEqualTo(IllegalArgumentException.class.getName());
                assertThat(header(r.headers().lastHeader("__streams.errors.topic")))
                    .isEqualTo(topics().graphCommands().name());
                assertThat(header(r.headers().lastHeader("__streams.errors.offset"))).isEqualTo("0");
                assertThat(header(r.headers().lastHeader(DeadLetters.REASON_HEADER)))
                    .isEqualTo("processing-error");
                assertThat(r.timestamp()).isGreaterThanOrEqualTo(0);
            });
            assertThat(purchaseRecords(driver)).extracting(PurchaseRecord::getEventId).containsExactly("p-ok");
        }
    }

    @Test
    void shouldDeadLetterShareWhenItHasMoreRecipientsThanIngestAccepts() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final String[] recipients = new String[EventValidator.MAX_RECIPIENTS + 1];
            for (int i = 0; i < recipients.length; i++) {
                recipients[i] = "@r" + i;
            }
            pipe(input(driver), SHARER, shareOf("s-1", SHARER, "sku-1", "instagram", T0, recipients));
            pipe(input(driver), SHARER, event("s-2", T0, io.insidernetwork.schemas.partner.Share.newBuilder()
                .setSharerId(SHARER).setInstanceId("x".repeat(EventValidator.MAX_TEXT + 1)).setPlatform("tiktok")
                .setRecipients(List.of("@a")).build()));
            assertThat(reasons(driver)).containsExactly("payload.recipients: more than 1000",
                "payload.instance_id: longer than 512 characters");
        }
    }

    static List<String> reasons(final TopologyTestDriver driver) {
        return deadLetters(driver).stream().map(r -> header(r.headers().lastHeader(NetworkProcessor.REASON_HEADER)))
            .toList();
    }

    static List<TestRecord<byte[], byte[]>> deadLetters(final TopologyTestDriver driver) {
        return driver.createOutputTopic(topics().graphDeadLetters().name(), Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer()).readRecordsToList();
    }

    private static String header(final Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<PurchaseRecord> purchaseRecords(final TopologyTestDriver driver) {
        return driver.createOutputTopic(topics().purchases().name(), Serdes.String().deserializer(),
            topics().purchases().valueSerde().deserializer()).readValuesToList();
    }

    private static InsiderState lastInsiderStateOnTopic(final TopologyTestDriver driver, final String id) {
        InsiderState last = null;
        for (final KeyValue<String, InsiderState> kv : driver.createOutputTopic(topics().insiderState().name(),
            Serdes.String().deserializer(), topics().insiderState().valueSerde().deserializer())
            .readKeyValuesToList()) {
            if (kv.key.equals(id)) {
                last = kv.value;
            }
        }
        return last;
    }

}
