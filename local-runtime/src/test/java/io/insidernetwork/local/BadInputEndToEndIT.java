package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13's "Done when", end to end through every service on a real broker: the inputs that used to stop
 * graph-stream (control characters in key parts, written straight to the partner-event topic as a hostile producer
 * would, since ingest refuses them at its door; sums past the old decimal precision, sent through ingest), ingest's
 * fuzz corpus of webhook bodies, then ordinary events. The ordinary events are in the API within seconds, the bad
 * ones on the dead-letter topic with their reason, and the same after a restart of the whole runtime.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(KafkaBrokerExtension.class)
class BadInputEndToEndIT {

    private static final Logger log = LoggerFactory.getLogger(BadInputEndToEndIT.class);
    private static final String SHARER = "20000000-0000-4000-8000-000000000001";
    private static final String BUYER = "20000000-0000-4000-8000-000000000002";
    private static final String MAX = "99999999999999.9999";
    /** Ingest's fuzz seeds: webhook bodies, good and bad (read from the ingest module, which owns them). */
    private static final Path FUZZ_CORPUS = Path.of("..", "ingest", "src", "test", "resources", "io", "insidernetwork",
        "ingest", "fuzz", "PartnerEventMapperFuzzTestInputs", "shouldMapOrRejectCleanlyWhenGivenAnyBody");

    // amounts past a double's precision must be read exactly
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeOrdinaryEventsWithinSecondsAndSetBadOnesAsideAlsoAfterRestart(final KafkaBroker broker,
                                                                                  @TempDir final Path dir)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("bad-input") + ".";
        final LocalOptions options = LocalOptions.forTests(dir, broker.bootstrapServers(), prefix);
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        final List<String> poisonIds = List.of("poison-instance", "poison\u0001id", "poison-share");
        final List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaProducer<String, byte[]> hostile = producer(broker);
             KafkaConsumer<String, byte[]> deadLetters = broker.committedReader(topics.graphDeadLetters().name(),
                 new ByteArrayDeserializer())) {
            for (int run = 1; run <= 2; run++) {
                try (LocalRuntime runtime = LocalRuntime.start(options)) {
                    await().atMost(Duration.ofSeconds(90)).until(runtime::ready);
                    final WebhookSigner signer = new WebhookSigner(runtime.webhookSecret());
                    final URI webhook = URI.create("http://127.0.0.1:" + runtime.ingestPort() + "/webhooks/v1/events");
                    if (run == 1) {
                        sendPoison(hostile, topics, base);
                        sendSums(signer, webhook, base);
                        sendFuzzCorpus(signer, webhook);
                    }
                    final String sharer = "20000000-0000-4000-8000-00000000010" + run;
                    final String recipient = "20000000-0000-4000-8000-00000000020" + run;
                    final long sent = System.nanoTime();
                    final HttpResponse<String> ordinary = signer.post(webhook, "ordinary-" + run, """
                        {"id":"ordinary-%d","type":"share","timestamp":"%s","network_id":"mybrand",
                         "data":{"sharer_id":"%s","instance_id":"sku-ord","platform":"tiktok","recipients":["%s"]}}
                        """.formatted(run, base.plusSeconds(60), sharer, recipient));
                    assertThat(ordinary.statusCode()).as(ordinary.body()).isEqualTo(202);
                    final URI profile = api(runtime, "/api/v1/insiders/" + sharer);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> get(profile, runtime.apiKey()).at("/data/profile/total_shares").asInt() == 1);
                    final long millis = (System.nanoTime() - sent) / 1_000_000;
                    log.info("run {}: ordinary share served by the API {} ms after ingest accepted it", run, millis);
                    assertThat(millis).as("ordinary event in the API within seconds").isLessThan(30_000);

                    final JsonNode buyer = get(api(runtime, "/api/v1/insiders/" + BUYER), runtime.apiKey());
                    assertThat(buyer.at("/data/profile/total_purchase_amount").decimalValue())
                        .as("two purchases at the maximum amount, summed past the old 18-digit precision")
                        .isEqualByComparingTo(new BigDecimal(MAX).multiply(BigDecimal.valueOf(2)));

                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        deadLetters.poll(Duration.ofMillis(100)).forEach(dead::add);
                        return poisonIds.stream().allMatch(id -> dead.stream().anyMatch(r -> hasEventId(r, id, topics)));
                    });
                }
            }
            // each poison record was set aside exactly once (not again after the restart), with the field at fault
            deadLetters.poll(Duration.ofSeconds(2)).forEach(dead::add);
            for (final String id : poisonIds) {
                assertThat(dead.stream().filter(r -> hasEventId(r, id, topics)).toList()).as(id).singleElement()
                    .satisfies(r -> assertThat(header(r, NetworkProcessor.REASON_HEADER))
                        .containsAnyOf("payload.instance_id: contains a control character",
                            "event_id: contains a control character"));
            }
        }
    }

    /** Control characters in key parts: written to the topic directly, as ingest refuses them. */
    private static void sendPoison(final KafkaProducer<String, byte[]> producer, final Topics topics,
                                   final Instant time) throws Exception {
        final String topic = topics.partnerEvents().name();
        final List<PartnerEvent> events = List.of(
            event("poison-instance", time, purchase(BUYER, "sku\u0001x", "10.00")),
            event("poison\u0001id", time, purchase(BUYER, "sku-1", "10.00")),
            event("poison-share", time, Share.newBuilder().setSharerId(SHARER)
                .setInstanceId("a\u0001" + "1".repeat(19)).setPlatform("instagram").setRecipients(List.of(BUYER))
                .build()));
        for (final PartnerEvent event : events) {
            final String key = event.getPayload() instanceof Share share ? share.getSharerId() : BUYER;
            producer.send(new ProducerRecord<>(topic, key, topics.partnerEvents().valueSerde().serializer()
                .serialize(topic, event))).get();
        }
    }

    /** Two purchases at the documented maximum by one buyer, credited to one sharer: both totals exceed 18 digits. */
    private static void sendSums(final WebhookSigner signer, final URI webhook, final Instant time) throws Exception {
        final String body = """
            {"events":[
             {"id":"sum-share","type":"share","timestamp":"%s","network_id":"mybrand",
              "data":{"sharer_id":"%s","instance_id":"sku-max","platform":"instagram","recipients":["%s"]}},
             {"id":"sum-1","type":"purchase","timestamp":"%s","network_id":"mybrand",
              "data":{"buyer_id":"%s","order_id":"o-1","instance_id":"sku-max","store_name":"shop","amount":"%s","currency":"EUR"}},
             {"id":"sum-2","type":"purchase","timestamp":"%s","network_id":"mybrand",
              "data":{"buyer_id":"%s","order_id":"o-2","instance_id":"sku-max","store_name":"shop","amount":"%s","currency":"EUR"}}]}
            """.formatted(time, SHARER, BUYER, time.plusSeconds(1), BUYER, MAX, time.plusSeconds(2), BUYER, MAX);
        final HttpResponse<String> answer = signer.post(webhook, "sums", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    /** Every seed of ingest's webhook-body fuzzer that is text: accepted or refused, never a 5xx. */
    private static void sendFuzzCorpus(final WebhookSigner signer, final URI webhook) throws Exception {
        int accepted = 0;
        int refused = 0;
        try (Stream<Path> seeds = Files.list(FUZZ_CORPUS)) {
            for (final Path seed : seeds.sorted().toList()) {
                final Optional<String> text = utf8(Files.readAllBytes(seed));
                if (text.isEmpty()) {
                    continue; // invalid UTF-8 cannot be signed as text here; ingest's own ITs cover it
                }
                final HttpResponse<String> answer = signer.post(webhook, "fuzz-" + seed.getFileName(), text.get());
                assertThat(answer.statusCode()).as(seed.getFileName() + ": " + answer.body()).isLessThan(500);
                if (answer.statusCode() == 202) {
                    accepted++;
                } else {
                    refused++;
                }
            }
        }
        log.info("fuzz corpus: {} bodies accepted, {} refused", accepted, refused);
        assertThat(accepted).as("the corpus holds good events too").isPositive();
        assertThat(refused).as("the corpus holds bad bodies too").isPositive();
    }

    private static Optional<String> utf8(final byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (final CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static Purchase purchase(final String buyer, final String instance, final String amount) {
        return Purchase.newBuilder().setBuyerId(buyer).setOrderId("o-" + instance.hashCode()).setInstanceId(instance)
            .setStoreName("mybrand").setAmount(new BigDecimal(amount).setScale(4)).setCurrency("USD").build();
    }

    private static PartnerEvent event(final String id, final Instant time, final Object payload) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setSource("hostile-producer")
            .setPayload(payload).build();
    }

    private static boolean hasEventId(final ConsumerRecord<String, byte[]> record, final String id,
                                      final Topics topics) {
        try {
            return id.equals(topics.partnerEvents().valueSerde().deserializer().deserialize("t", record.value())
                .getEventId());
        } catch (final RuntimeException e) {
            return false;
        }
    }

    private static String header(final ConsumerRecord<String, byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static URI api(final LocalRuntime runtime, final String path) {
        return URI.create("http://127.0.0.1:" + runtime.apiPort() + path);
    }

    private JsonNode get(final URI uri, final String apiKey) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("X-API-Key", apiKey)
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private static KafkaProducer<String, byte[]> producer(final KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

}
