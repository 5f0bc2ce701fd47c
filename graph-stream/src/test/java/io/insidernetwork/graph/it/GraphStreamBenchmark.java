package io.insidernetwork.graph.it;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark (not a test): {@code graph-stream/bench.sh [insiders] [events]}. On an in-process broker it produces a
 * power-law event stream, runs a plain {@code groupByKey().count()} exactly-once topology over it (the baseline),
 * then graph-stream over the same events, and reports events/s of both, the latency from a hub's share to its
 * network sizes on their topic, records written per event and state bytes per connection.
 */
public final class GraphStreamBenchmark {

    private static final Logger log = LoggerFactory.getLogger(GraphStreamBenchmark.class);

    private GraphStreamBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int insiders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int events = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        final Path dir = Files.createTempDirectory("graph-bench");
        try {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("broker")).start()) {
                final Topics topics = Topics.create("bench.", 3, Duration.ofDays(30));
                final Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers());
                try (Admin a = Admin.create(admin)) {
                    TopicAdmin.ensureTopics(a, topics.all(), (short) 1, Duration.ofSeconds(30));
                }
                final EventGenerator generator = new EventGenerator(7, insiders, Instant.parse("2025-01-01T00:00:00Z"));
                final Set<String> connections = new HashSet<>();
                long started = System.nanoTime();
                try (KafkaProducer<String, PartnerEvent> producer = producer(broker, topics)) {
                    for (int i = 0; i < events; i++) {
                        final PartnerEvent event = generator.next();
                        if (event.getPayload() instanceof Share share) {
                            share.getRecipients().forEach(r -> connections.add(share.getSharerId() + "|" + r));
                        }
                        producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null,
                            event.getEventTime().toEpochMilli(), EventGenerator.keyOf(event), event));
                    }
                    producer.flush();
                }
                final double produceSeconds = BenchSupport.seconds(started);
                log.info("RESULT produce: {} events in {} s = {} events/s ({} connections)", events,
                    BenchSupport.round(produceSeconds), Math.round(events / produceSeconds), connections.size());

                final double baseline = runBaseline(broker, topics, dir, events);
                log.info("RESULT baseline groupByKey().count() EOS: {} events/s", Math.round(events / baseline));

                final Path state = dir.resolve("graph-state");
                final Map<String, Object> settings = BenchSupport.graphSettings(broker, "bench.", "bench-graph",
                    state);
                // internal records are kept for the whole run, so that the command mix can be read afterwards
                settings.put(GraphStreamConfig.INTERNAL_PURGE_INTERVAL_MS_CONFIG, "3600000");
                log.info("graph-stream settings: {}", settings);
                started = System.nanoTime();
                try (GraphStreamService graph = GraphStreamService.start(new GraphStreamConfig(settings))) {
                    BenchSupport.awaitDrained(broker, "bench-graph", List.of(topics.partnerEvents().name()));
                    final double eventSeconds = BenchSupport.seconds(started);
                    log.info("RESULT graph-stream: every partner event read after {} s = {} events/s", BenchSupport.round(eventSeconds),
                        Math.round(events / eventSeconds));
                    BenchSupport.awaitDrained(broker, "bench-graph", List.of(topics.partnerEvents().name(),
                        topics.graphCommands().name()));
                    log.info("RESULT graph-stream: commands drained after {} s",
                        BenchSupport.round(BenchSupport.seconds(started)));
                    // the sizes are written by the network-size service from the connections: drained once its
                    // checkpoint is at the end of the connections and the sizes topic stops growing, as of the last
                    // record written
                    BenchSupport.awaitDrained(broker, "bench-graph-network-sizes",
                        List.of(topics.connectionState().name()));
                    log.info("RESULT network sizes: checkpoint at the end of the connections after {} s",
                        BenchSupport.round(BenchSupport.seconds(started)));
                    final long sizesWritten = BenchSupport.lastGrowth(broker, topics.networkSizes().name(),
                        Duration.ofSeconds(2), Duration.ofMillis(500));
                    final double graphSeconds = Math.max(BenchSupport.seconds(started), (sizesWritten - started) / 1e9);
                    log.info("RESULT graph-stream, drained (commands and network sizes too): {} events in {} s = {} events/s ({}x baseline)", events,
                        BenchSupport.round(graphSeconds), Math.round(events / graphSeconds), BenchSupport.round(baseline / graphSeconds));
                    streamsMetrics(graph);
                    final long written = recordsWritten(broker, topics);
                    commandMix(broker, topics, events);
                    indexFamilies(broker, events);
                    final long stateBytes = bytes(state);
                    stateByStore(state, connections.size());
                    // the figures, one plain line each (before the hub latency run adds its own events)
                    BenchSupport.result("drained_events_per_s", Math.round(events / graphSeconds));
                    BenchSupport.result("baseline_events_per_s", Math.round(events / baseline));
                    BenchSupport.result("records_written_per_event",
                        String.format(java.util.Locale.ROOT, "%.2f", (double) written / events));
                    BenchSupport.result("state_bytes_per_connection", stateBytes / Math.max(1, connections.size()));
                    hubLatency(broker, topics, generator);
                    log.info("RESULT state dir {} MB = {} bytes per connection; heap used {} MB", stateBytes >> 20,
                        stateBytes / Math.max(1, connections.size()),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
                }
            }
        } finally {
            // a run leaves gigabytes of broker logs and state behind
            Utils.delete(dir.toFile());
        }
    }

    private static double runBaseline(final EmbeddedKafkaBroker broker, final Topics topics, final Path dir,
                                      final int events) throws Exception {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.partnerEvents().name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                .withName("baseline-source"))
            .groupByKey(Grouped.<String, byte[]>as("baseline-group").withKeySerde(Serdes.String())
                .withValueSerde(Serdes.ByteArray()))
            .count(Materialized.<String, Long, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes,
                byte[]>>as("baseline-counts").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        final Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-baseline");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("baseline-state").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        final long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(props), props)) {
            streams.start();
            BenchSupport.awaitDrained(broker, "bench-baseline", List.of(topics.partnerEvents().name()));
            return BenchSupport.seconds(started);
        }
    }

    private static void hubLatency(final EmbeddedKafkaBroker broker, final Topics topics,
                                   final EventGenerator generator) throws Exception {
        // the biggest recipient hub shares with a new insider: the hub's first degree grows by one, and every
        // insider within two reverse steps of the hub (most of the graph) is recomputed before the run is drained
        final String hub = EventGenerator.insider(0);
        final List<Long> latencies = new ArrayList<>();
        try (KafkaProducer<String, PartnerEvent> producer = producer(broker, topics);
             KafkaConsumer<String, NetworkSizes> sizes = consumer(broker, topics)) {
            // assigned, not subscribed: no group join delay, and the hub's current size is read from the start
            final List<TopicPartition> partitions = sizes.partitionsFor(topics.networkSizes().name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            sizes.assign(partitions);
            sizes.seekToBeginning(partitions);
            long first = -1;
            final long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < until) {
                final var batch = sizes.poll(Duration.ofMillis(200));
                if (batch.isEmpty() && first >= 0) {
                    break;
                }
                for (final var r : batch) {
                    if (r.key().equals(hub)) {
                        first = r.value().getFirstDegree();
                    }
                }
            }
            for (int i = 0; i < 10; i++) {
                final String newcomer = String.format("ffff%04x-0000-4000-8000-000000000000", i);
                // event (and record) time right after the generated stream: a wall-clock time would move stream time
                // months on and let the decay scan remove most connections in the middle of the measurement
                final Instant now = generator.lastTime().plusSeconds(1 + i);
                final PartnerEvent event = PartnerEvent.newBuilder().setEventId("lat-" + i).setEventTime(now)
                    .setPartnerNetworkId("mybrand").setReceivedAt(now).setSource("bench")
                    .setPayload(Share.newBuilder().setSharerId(hub).setInstanceId("sku-0")
                        .setPlatform("instagram").setRecipients(List.of(newcomer)).build()).build();
                final long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topics.partnerEvents().name(), null, now.toEpochMilli(), hub,
                    event)).get();
                boolean seen = false;
                while (!seen && System.nanoTime() - sent < Duration.ofSeconds(30).toNanos()) {
                    for (final var r : sizes.poll(Duration.ofMillis(20))) {
                        if (r.key().equals(hub) && r.value().getFirstDegree() > first) {
                            first = r.value().getFirstDegree();
                            seen = true;
                        }
                    }
                }
                latencies.add((System.nanoTime() - sent) / 1_000_000);
            }
        }
        final long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        log.info("RESULT hub shares -> hub's network sizes written (read_committed) {}: p50 {} ms, p90 {} ms, "
            + "max {} ms (10 samples: {})", hub, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
            sorted[sorted.length - 1], Arrays.toString(sorted));
    }

    /** Where the stream threads spent their time, and commit / punctuation latencies. */
    private static void streamsMetrics(final GraphStreamService graph) {
        final Set<String> wanted = Set.of("process-ratio", "punctuate-ratio", "poll-ratio", "commit-ratio",
            "commit-latency-avg", "commit-latency-max", "punctuate-latency-avg", "punctuate-latency-max",
            "process-latency-avg", "process-rate", "commit-rate", "insiders-recomputed-total",
            "insiders-pending-total");
        graph.metrics().forEach((name, metric) -> {
            final Object value = metric.metricValue();
            final boolean idle = value instanceof Double d && (d.isNaN() || d == 0.0);
            if (wanted.contains(name.name()) && !name.group().contains("node") && !idle) {
                log.info("RESULT metric {} {} {} = {}", name.group(), name.name(),
                    name.tags().getOrDefault("task-id", name.tags().getOrDefault("thread-id", "")),
                    metric.metricValue());
            }
        });
    }

    /**
     * Writes to the network processor's index store per event, by key family (the key's first two characters,
     * {@code IndexKeys}), puts and deletes apart: what its changelog carries.
     */
    private static void indexFamilies(final EmbeddedKafkaBroker broker, final int events) {
        final Map<String, long[]> byFamily = new java.util.TreeMap<>();
        BenchSupport.readAll(broker, "bench-graph-graph-index-changelog", new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(), r -> {
                final String family = r.key().length() < 2 ? r.key() : r.key().substring(0, 2);
                byFamily.computeIfAbsent(family, f -> new long[2])[r.value() == null ? 1 : 0]++;
            });
        final StringBuilder line = new StringBuilder();
        byFamily.forEach((family, n) -> line.append(String.format(java.util.Locale.ROOT, " %s %.2f/%.2f;", family,
            (double) n[0] / events, (double) n[1] / events)));
        log.info("RESULT index writes per event by key family (puts/deletes):{}", line);
    }

    /** The internal commands by payload type, per input event (committed records only). */
    private static void commandMix(final EmbeddedKafkaBroker broker, final Topics topics, final int events) {
        final Map<String, Long> byType = new java.util.TreeMap<>();
        BenchSupport.readAll(broker, topics.graphCommands().name(), new StringDeserializer(),
            topics.graphCommands().valueSerde().deserializer(),
            r -> byType.merge(r.value().getPayload().getClass().getSimpleName(), 1L, Long::sum));
        final StringBuilder line = new StringBuilder();
        byType.forEach((type, n) -> line.append(String.format(" %s %.2f;", type, (double) n / events)));
        log.info("RESULT commands per event:{}", line);
    }

    /**
     * Every record graph-stream wrote to Kafka, commit markers included: the end offsets of all topics but its input
     * (partner events), the baseline's topics and the broker's own ({@code __consumer_offsets},
     * {@code __transaction_state}) — outputs, internal topics, changelogs.
     */
    private static long recordsWritten(final EmbeddedKafkaBroker broker, final Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
            final List<String> written = admin.listTopics().names().get().stream()
                .filter(t -> !t.startsWith("__") && !t.startsWith("bench-baseline")
                    && !t.equals(topics.partnerEvents().name()))
                .sorted().toList();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(written).allTopicNames().get().values().forEach(d -> d.partitions()
                .forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            final Map<String, Long> perTopic = new java.util.TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, r) -> perTopic.merge(tp.topic(), r.offset(),
                Long::sum));
            log.info("RESULT records written per topic incl. commit markers: {}", perTopic);
            return perTopic.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaProducer<String, PartnerEvent> producer(final EmbeddedKafkaBroker broker,
                                                                final Topics topics) {
        return BenchSupport.producer(broker, topics.partnerEvents().valueSerde().serializer());
    }

    private static KafkaConsumer<String, NetworkSizes> consumer(final EmbeddedKafkaBroker broker,
                                                                final Topics topics) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency");
        return new KafkaConsumer<>(props, new StringDeserializer(), topics.networkSizes().valueSerde()
            .deserializer());
    }

    /**
     * The state directory's bytes per store (a file's store is the directory under a task's {@code rocksdb/}; other
     * files count as "other"), per connection.
     */
    private static void stateByStore(final Path dir, final int connections) throws IOException {
        final Map<String, Long> byStore = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                final Path relative = dir.relativize(p);
                String store = "other";
                for (int i = 0; i + 1 < relative.getNameCount(); i++) {
                    if (relative.getName(i).toString().equals("rocksdb")) {
                        store = relative.getName(i + 1).toString();
                        break;
                    }
                }
                byStore.merge(store, p.toFile().length(), Long::sum);
            });
        }
        final StringBuilder line = new StringBuilder();
        byStore.forEach((store, n) -> line.append(' ').append(store).append(' ').append(n / Math.max(1, connections))
            .append(';'));
        log.info("RESULT state bytes per connection by store:{}", line);
    }

    private static long bytes(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

}
