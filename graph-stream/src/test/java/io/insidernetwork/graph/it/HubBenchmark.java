package io.insidernetwork.graph.it;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark (not a test): does work per event grow with the size of a hub? {@code graph-stream/hub-bench.sh [hubs=3]
 * [connections=10000] [events=20000]}. On an in-process broker, graph-stream first builds {@code hubs} insiders with
 * {@code connections} outgoing and {@code connections} incoming connections each. Then it is fed alternating phases
 * of {@code events} events with the same mix of kinds (65 % shares to 1-3 recipients, 10 % signups, 25 % purchases):
 * a "small" phase whose events touch only insiders with a few connections (the baseline), and a "hub" phase whose
 * every event touches a hub (a hub shares with its recipients, its sharers share with it, its recipients sign up and
 * buy, so credits go to the hub). Each phase's rate is events over the time until every event and every internal
 * record it caused is committed. After each phase, ten single shares (by a hub, or by a small insider) measure the
 * time until the new connection is on {@code graph.connection-state.v1} (read_committed). The run order is small,
 * hub, small, hub; the second pair (warm JVM) is the result.
 *
 * <p>The phase's events are produced from this JVM while graph-stream runs: writing 20,000 events takes well under
 * a second of the tens of seconds a phase takes to drain.
 */
public final class HubBenchmark {

    private static final Logger log = LoggerFactory.getLogger(HubBenchmark.class);
    private static final String PREFIX = "hub.";
    private static final String APPLICATION = "hub-graph";
    private static final int PROBES = 10;

    private final Random random = new Random(17);
    private final int hubs;
    private final int connections;
    private Instant time = Instant.now().minus(Duration.ofDays(1));
    private long next;
    private int freshRecipients;
    private int smallSignups;
    private int hubSignups;

    private HubBenchmark(final int hubs, final int connections) {
        this.hubs = hubs;
        this.connections = connections;
    }

    public static void main(final String[] args) throws Exception {
        final int hubs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int events = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        new HubBenchmark(hubs, connections).run(events);
    }

    private void run(final int events) throws Exception {
        final Path dir = Files.createTempDirectory("hub-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("broker")).start()) {
            final Topics topics = Topics.create(PREFIX, 3, Duration.ofDays(30));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
                TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
            }
            final Map<String, Object> settings = BenchSupport.graphSettings(broker, PREFIX, APPLICATION,
                dir.resolve("graph-state"));
            log.info("graph-stream settings: {}", settings);
            final List<String> drained = List.of(topics.partnerEvents().name(), topics.graphCommands().name());
            try (GraphStreamService graph = GraphStreamService.start(new GraphStreamConfig(settings));
                 KafkaProducer<String, PartnerEvent> producer = BenchSupport.producer(broker,
                     topics.partnerEvents().valueSerde().serializer());
                 KafkaConsumer<String, ConnectionState> connectionFeed = connectionConsumer(broker, topics)) {
                long started = System.nanoTime();
                final int setup = send(producer, topics, hubs * (connections / 10 + connections), this::setupEvent);
                BenchSupport.awaitDrained(broker, APPLICATION, drained);
                log.info("RESULT setup: {} hubs with {} outgoing and {} incoming connections each, {} events in {} s",
                    hubs, connections, connections, setup, BenchSupport.round(BenchSupport.seconds(started)));
                final double[] rates = new double[4];
                for (int round = 0; round < 4; round++) {
                    final boolean hubPhase = round % 2 == 1;
                    started = System.nanoTime();
                    send(producer, topics, events, hubPhase ? this::hubEvent : this::smallEvent);
                    BenchSupport.awaitDrained(broker, APPLICATION, drained);
                    rates[round] = events / BenchSupport.seconds(started);
                    final List<Long> probes = probes(producer, topics, connectionFeed, hubPhase);
                    log.info("RESULT phase {} ({}): {} events/s; share -> connection published: p50 {} ms, p90 {} "
                            + "ms, all {}", round + 1, hubPhase ? "hub" : "small", Math.round(rates[round]),
                        BenchSupport.percentile(probes, 50), BenchSupport.percentile(probes, 90),
                        BenchSupport.sorted(probes));
                    if (round >= 2) {
                        final String phase = hubPhase ? "hub" : "small";
                        BenchSupport.result(phase + "_events_per_s", Math.round(rates[round]));
                        BenchSupport.result(phase + "_share_p50_ms", BenchSupport.percentile(probes, 50));
                        BenchSupport.result(phase + "_share_p90_ms", BenchSupport.percentile(probes, 90));
                    }
                }
                BenchSupport.result("hub_to_small_rate", String.format(java.util.Locale.ROOT, "%.2f",
                    rates[3] / rates[2]));
            }
        } finally {
            Utils.delete(dir.toFile());
        }
    }

    // ------------------------------------------------------------------ events

    /** Hub {@code h}'s outgoing connections first (ten recipients a share), then its incoming ones. */
    private PartnerEvent setupEvent(final int i) {
        final int perHub = connections / 10 + connections;
        final int h = i / perHub;
        final int k = i % perHub;
        if (k < connections / 10) {
            final List<String> to = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                to.add(hubRecipient(h, k * 10 + r));
            }
            return share(hub(h), to);
        }
        return share(hubSharer(h, k - connections / 10), List.of(hub(h)));
    }

    /** An event touching only small insiders (a pool of fresh ids with a few connections each). */
    private PartnerEvent smallEvent(final int i) {
        final int kind = random.nextInt(100);
        if (kind < 65) {
            final List<String> to = new ArrayList<>();
            for (int r = 0; r <= random.nextInt(3); r++) {
                to.add(small(random.nextInt(50_000)));
            }
            return share(small(random.nextInt(50_000)), to);
        }
        if (kind < 75) {
            return signup(small(smallSignups++));
        }
        return purchase(small(random.nextInt(50_000)));
    }

    /** An event touching a hub: its shares, shares to it, and its recipients' signups and purchases. */
    private PartnerEvent hubEvent(final int i) {
        final int h = random.nextInt(hubs);
        final int kind = random.nextInt(100);
        if (kind < 65) {
            if (random.nextBoolean()) {
                final List<String> to = new ArrayList<>();
                for (int r = 0; r <= random.nextInt(3); r++) {
                    to.add(hubRecipient(h, random.nextInt(connections)));
                }
                return share(hub(h), to);
            }
            return share(hubSharer(h, random.nextInt(connections)), List.of(hub(h)));
        }
        if (kind < 75) {
            return signup(hubRecipient(h, hubSignups++ % connections));
        }
        return purchase(hubRecipient(h, random.nextInt(connections)));
    }

    private PartnerEvent share(final String sharer, final List<String> recipients) {
        return event(Share.newBuilder().setSharerId(sharer).setInstanceId("sku-" + random.nextInt(3))
            .setPlatform(random.nextBoolean() ? "instagram" : "tiktok").setRecipients(recipients).build());
    }

    private PartnerEvent signup(final String who) {
        return event(Signup.newBuilder().setInsiderId(who).build());
    }

    private PartnerEvent purchase(final String buyer) {
        return event(Purchase.newBuilder().setBuyerId(buyer).setOrderId("o-" + next)
            .setInstanceId("sku-" + random.nextInt(3)).setStoreName("mybrand")
            .setAmount(BigDecimal.valueOf(100 + random.nextInt(20_000), 2).setScale(4)).setCurrency("USD").build());
    }

    private PartnerEvent event(final Object payload) {
        // event time moves on by 1-100 ms an event, starting a day ago: the whole run stays in the past
        time = time.plusMillis(1 + random.nextInt(100));
        return PartnerEvent.newBuilder().setEventId("hub-ev-" + next++).setEventTime(time)
            .setPartnerNetworkId("mybrand").setReceivedAt(time).setSource("bench").setPayload(payload).build();
    }

    private static String hub(final int h) {
        return String.format("00000000-0000-4000-8000-%012x", h);
    }

    private static String hubRecipient(final int h, final int r) {
        return String.format("10000000-%04x-4000-8000-%012x", h, r);
    }

    private static String hubSharer(final int h, final int s) {
        return String.format("20000000-%04x-4000-8000-%012x", h, s);
    }

    private static String small(final int n) {
        return String.format("30000000-0000-4000-8000-%012x", n);
    }

    private String freshRecipient() {
        return String.format("40000000-0000-4000-8000-%012x", freshRecipients++);
    }

    private int send(final KafkaProducer<String, PartnerEvent> producer, final Topics topics, final int count,
                     final IntFunction<PartnerEvent> events) {
        for (int i = 0; i < count; i++) {
            final PartnerEvent event = events.apply(i);
            producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null,
                event.getEventTime().toEpochMilli(), EventGenerator.keyOf(event), event));
        }
        producer.flush();
        return count;
    }

    // ------------------------------------------------------------------ latency probes

    /** Ten shares, one at a time, each to a fresh recipient: ms until the new connection is published. */
    private List<Long> probes(final KafkaProducer<String, PartnerEvent> producer, final Topics topics,
                              final KafkaConsumer<String, ConnectionState> feed, final boolean hubPhase)
        throws Exception {
        final List<Long> latencies = new ArrayList<>();
        // skip what the phase published: each probe looks for its own connection only
        feed.seekToEnd(feed.assignment());
        feed.assignment().forEach(feed::position);
        for (int i = 0; i < PROBES; i++) {
            final String sharer = hubPhase ? hub(i % hubs) : small(random.nextInt(50_000));
            final String recipient = freshRecipient();
            final String key = sharer + "|" + recipient;
            final PartnerEvent event = share(sharer, List.of(recipient));
            final long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null,
                event.getEventTime().toEpochMilli(), sharer, event)).get();
            boolean seen = false;
            while (!seen && System.nanoTime() - sent < Duration.ofSeconds(60).toNanos()) {
                for (final var r : feed.poll(Duration.ofMillis(10))) {
                    seen |= key.equals(r.key());
                }
            }
            if (!seen) {
                throw new IllegalStateException("connection " + key + " not published within 60 s");
            }
            latencies.add((System.nanoTime() - sent) / 1_000_000);
        }
        return latencies;
    }

    /** Reads the connection topic (assigned, not subscribed: no group join delay). */
    private static KafkaConsumer<String, ConnectionState> connectionConsumer(final EmbeddedKafkaBroker broker,
                                                                            final Topics topics) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final KafkaConsumer<String, ConnectionState> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            topics.connectionState().valueSerde().deserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topics.connectionState().name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        return consumer;
    }
}
