package io.insidernetwork.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.PurchaseRecord;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13's "Done when", graph-stream's part, on the real broker: the inputs of section 1 written straight to the
 * partner-event topic as a hostile producer would (ingest refuses the control-character ones at its door), then
 * ordinary events: the ordinary events are processed within seconds, every bad one is on the dead-letter topic with
 * its reason, the sums and the hub go through, and the same holds after a restart on the same state. A second test
 * injects a record that kills its stream thread again and again: /health/ready answers DOWN.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(KafkaBrokerExtension.class)
class PoisonRecordsIT {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecordsIT.class);
    private static final String SHARER = "10000000-0000-4000-8000-000000000001";
    private static final String BUYER = "10000000-0000-4000-8000-000000000002";
    private static final String OTHER_BUYER = "10000000-0000-4000-8000-000000000003";
    private static final String HUB = "10000000-0000-4000-8000-000000000004";
    private static final BigDecimal MAX = new BigDecimal("99999999999999.9999");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldSetPoisonAsideAndProcessOrdinaryEventsWithinSecondsAlsoAfterRestart(final KafkaBroker broker,
                                                                                   @TempDir final Path dir)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("poison") + ".";
        final GraphStreamConfig config = new GraphStreamConfig(settings(broker, prefix, dir));
        final Topics topics = config.topics();
        final Serializer<PartnerEvent> events = topics.partnerEvents().valueSerde().serializer();
        final Map<String, String> reasons = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer(broker);
             KafkaConsumer<String, byte[]> dlq = broker.committedReader(topics.graphDeadLetters().name(),
                 new ByteArrayDeserializer());
             KafkaConsumer<String, PurchaseRecord> purchases = broker.committedReader(topics.purchases().name(),
                 topics.purchases().valueSerde().deserializer());
             KafkaConsumer<String, InsiderState> states = broker.committedReader(topics.insiderState().name(),
                 topics.insiderState().valueSerde().deserializer())) {
            final Map<String, PurchaseRecord> published = new HashMap<>();
            final Map<String, InsiderState> latest = new HashMap<>();
            final List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            for (int run = 1; run <= 2; run++) {
                try (GraphStreamService service = GraphStreamService.start(config)) {
                    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
                    if (run == 1) {
                        sendHub(producer, topics, events, now);
                        sendSums(producer, topics, events, now);
                    }
                    sendPoison(producer, topics, events, now, "r" + run, reasons);
                    final long sent = System.nanoTime();
                    send(producer, topics, events, SHARER, share("ord-share-r" + run, SHARER, "sku-ord", now.plusSeconds(5),
                        BUYER));
                    send(producer, topics, events, BUYER, purchase("ord-buy-r" + run, BUYER, "sku-ord", "25.00",
                        now.plusSeconds(6)));
                    producer.flush();
                    final String ordinary = "ord-buy-r" + run;
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        purchases.poll(Duration.ofMillis(100)).forEach(r -> published.put(r.value().getEventId(),
                            r.value()));
                        return published.containsKey(ordinary);
                    });
                    final long millis = (System.nanoTime() - sent) / 1_000_000;
                    log.info("run {}: ordinary purchase published {} ms after it was sent", run, millis);
                    assertThat(millis).as("ordinary events processed within seconds").isLessThan(30_000);
                    assertThat(published.get(ordinary).getAttributedTo()).isEqualTo(SHARER);

                    final String suffix = "r" + run;
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        dlq.poll(Duration.ofMillis(100)).forEach(dead::add);
                        return dead.stream().filter(r -> eventId(r, topics).endsWith(suffix)).count()
                            >= reasons.keySet().stream().filter(id -> id.endsWith(suffix)).count();
                    });
                    assertThat(readiness(service)).isEqualTo(200);
                    final String metrics = get(service, "/metrics").body();
                    assertThat(metrics).contains("graph_dead_letters_total{reason=\"invalid-event\"}")
                        .contains("graph_dead_letters_total{reason=\"future-event\"}")
                        .contains("kafka_stream");
                    // the operator's figures: nothing waits once the run is processed, and every valid event of
                    // this run (29 hub shares, 4 sums, 2 ordinary in run 1; 2 ordinary in run 2) counted once
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        get(service, "/metrics").body().lines().anyMatch(l -> l.matches("graph_events_waiting 0(\\.0)?")));
                    assertThat(service.processedEvents().count()).isEqualTo(run == 1 ? 35 : 2);
                    assertThat(get(service, "/metrics").body()).contains("graph_events_processed_total")
                        .containsPattern("(?m)^graph_behind_seconds 0(\\.0)?$")
                        .containsPattern("(?m)^graph_network_size_changes_waiting \\d")
                        .containsPattern("(?m)^graph_network_size_behind_seconds \\d");
                    assertThat(service.deadLetters().count(DeadLetters.PROCESSING)).isZero();
                    assertThat(service.deadLetters().count(DeadLetters.PRODUCTION)).isZero();
                }
            }
            // every bad input exactly once, with its reason and source coordinates, across the restart
            for (final Map.Entry<String, String> expected : reasons.entrySet()) {
                final List<ConsumerRecord<String, byte[]>> matching = dead.stream()
                    .filter(r -> eventId(r, topics).equals(expected.getKey())).toList();
                assertThat(matching).as(expected.getKey()).singleElement().satisfies(r -> {
                    assertThat(header(r, NetworkProcessor.REASON_HEADER)).startsWith(expected.getValue());
                    assertThat(header(r, "__streams.errors.topic")).isEqualTo(topics.partnerEvents().name());
                    assertThat(header(r, "__streams.errors.offset")).isNotNull();
                    assertThat(r.timestamp()).isNotNegative();
                });
            }
            // the sums went through: two purchases at the maximum by one buyer, three credited to one sharer
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                states.poll(Duration.ofMillis(100)).forEach(r -> latest.put(r.key(), r.value()));
                return latest.containsKey(BUYER) && latest.containsKey(SHARER)
                    && latest.get(SHARER).getTotalGeneratedAmount().compareTo(MAX.multiply(BigDecimal.valueOf(3))
                    .add(new BigDecimal("50.00"))) == 0;
            });
            assertThat(latest.get(BUYER).getTotalPurchaseAmount())
                .isEqualByComparingTo(MAX.multiply(BigDecimal.valueOf(2)).add(new BigDecimal("50.00")));
            assertThat(latest.get(HUB).getInstancesSharedTotal()).isEqualTo(29);
            assertThat(latest.get(HUB).getDistinctRecipients()).isEqualTo(1_000);
        }
    }

    @Test
    void shouldReportNotReadyWhileAStreamThreadKeepsFailing(final KafkaBroker broker, @TempDir final Path dir)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("failing") + ".";
        final String input = prefix + "failing-input";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(input, 1, (short) 1))).all().get();
        }
        // a test-only processor that throws an Error (which no exception handler takes) on one record
        final Topology topology = new Topology();
        topology.addSource("failing-source", Serdes.String().deserializer(), Serdes.String().deserializer(), input);
        topology.addProcessor("failing-processor", () -> new Processor<String, String, Void, Void>() {
            @Override
            public void process(final Record<String, String> record) {
                if ("poison".equals(record.value())) {
                    throw new AssertionError("injected failure");
                }
            }
        }, "failing-source");
        final Map<String, Object> settings = settings(broker, prefix, dir);
        settings.put(GraphStreamConfig.READY_MAX_THREAD_FAILURES_CONFIG, "2");
        try (GraphStreamService service = GraphStreamService.start(new GraphStreamConfig(settings), topology);
             KafkaProducer<String, byte[]> producer = producer(broker)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> readiness(service) == 200);
            producer.send(new ProducerRecord<>(input, "k", "poison".getBytes(StandardCharsets.UTF_8))).get();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(service, "/health/ready").body().contains("stream threads failed and were replaced"));
            final HttpResponse<String> ready = get(service, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("DOWN");
            assertThat(get(service, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static void sendHub(final KafkaProducer<String, byte[]> producer, final Topics topics,
                                final Serializer<PartnerEvent> events, final Instant now) {
        // the hub: 29 products shared with the same 1,000 recipients (1,074,195 bytes of state before)
        final String[] recipients = new String[1_000];
        for (int r = 0; r < recipients.length; r++) {
            recipients[r] = "@recipient-" + r;
        }
        for (int p = 0; p < 29; p++) {
            send(producer, topics, events, HUB, share("hub-" + p, HUB, "product-" + p, now.plusMillis(p), recipients));
        }
    }

    private static void sendSums(final KafkaProducer<String, byte[]> producer, final Topics topics,
                                 final Serializer<PartnerEvent> events, final Instant now) {
        send(producer, topics, events, SHARER, share("sum-share", SHARER, "sku-max", now, BUYER, OTHER_BUYER));
        send(producer, topics, events, BUYER, purchase("sum-1", BUYER, "sku-max", MAX.toPlainString(),
            now.plusSeconds(1)));
        send(producer, topics, events, BUYER, purchase("sum-2", BUYER, "sku-max", MAX.toPlainString(),
            now.plusSeconds(2)));
        send(producer, topics, events, OTHER_BUYER, purchase("sum-3", OTHER_BUYER, "sku-max", MAX.toPlainString(),
            now.plusSeconds(3)));
    }

    private static void sendPoison(final KafkaProducer<String, byte[]> producer, final Topics topics,
                                   final Serializer<PartnerEvent> events, final Instant now, final String run,
                                   final Map<String, String> reasons) {
        send(producer, topics, events, BUYER, purchase("bad-instance-" + run, BUYER, "sku\u0001x", "10.00", now));
        reasons.put("bad-instance-" + run, "payload.instance_id: contains a control character (U+0001");
        final String badId = "bad\u0001id-" + run;
        send(producer, topics, events, BUYER, purchase(badId, BUYER, "sku-1", "10.00", now));
        reasons.put(badId, "event_id: contains a control character (U+0001");
        send(producer, topics, events, SHARER, share("bad-share-" + run, SHARER, "a\u0001" + "1".repeat(19), now,
            BUYER));
        reasons.put("bad-share-" + run, "payload.instance_id: contains a control character (U+0001");
        send(producer, topics, events, SHARER, share("bad-future-" + run, SHARER, "sku-1",
            Instant.now().plus(Duration.ofHours(3)), BUYER));
        reasons.put("bad-future-" + run, "event_time: ");
        // (a lone surrogate cannot cross the wire: Avro writes strings as UTF-8, which turns it into '?')
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final Topics topics,
                             final Serializer<PartnerEvent> events, final String key, final PartnerEvent event) {
        producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null, event.getReceivedAt().toEpochMilli(),
            key, events.serialize(topics.partnerEvents().name(), event)));
    }

    private static PartnerEvent share(final String id, final String sharer, final String instance, final Instant time,
                                      final String... recipients) {
        return event(id, time, Share.newBuilder().setSharerId(sharer).setInstanceId(instance).setPlatform("instagram")
            .setRecipients(List.of(recipients)).build());
    }

    private static PartnerEvent purchase(final String id, final String buyer, final String instance,
                                         final String amount, final Instant time) {
        return event(id, time, Purchase.newBuilder().setBuyerId(buyer).setOrderId("o-" + id.hashCode())
            .setInstanceId(instance).setStoreName("mybrand").setAmount(new BigDecimal(amount).setScale(4))
            .setCurrency("USD").build());
    }

    private static PartnerEvent event(final String id, final Instant time, final Object payload) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(time).setPartnerNetworkId("mybrand")
            .setReceivedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setSource("hostile-producer")
            .setPayload(payload).build();
    }

    private static String eventId(final ConsumerRecord<String, byte[]> record, final Topics topics) {
        try {
            return topics.partnerEvents().valueSerde().deserializer().deserialize("t", record.value()).getEventId();
        } catch (final RuntimeException e) {
            return "";
        }
    }

    private static String header(final ConsumerRecord<String, byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int readiness(final GraphStreamService service) throws Exception {
        return get(service, "/health/ready").statusCode();
    }

    private static HttpResponse<String> get(final GraphStreamService service, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> settings(final KafkaBroker broker, final String prefix, final Path dir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put(GraphStreamConfig.APPLICATION_ID_CONFIG, prefix + "graph");
        settings.put(GraphStreamConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        settings.put(GraphStreamConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        settings.put(GraphStreamConfig.HTTP_PORT_CONFIG, "0");
        settings.put(GraphStreamConfig.BACKLOG_INTERVAL_MS_CONFIG, "200");
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        return settings;
    }

    private static KafkaProducer<String, byte[]> producer(final KafkaBroker broker) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }


    @SuppressWarnings("unused")
    private static String reasonClass(final ConsumerRecord<String, byte[]> record) {
        return header(record, DeadLetters.REASON_HEADER);
    }
}
