package io.insidernetwork.graph.it;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the graph-stream benchmarks share: settings, a bulk producer, drain detection and figures. */
final class BenchSupport {

    private static final Logger log = LoggerFactory.getLogger(BenchSupport.class);

    private BenchSupport() {
    }

    /**
     * graph-stream's settings for a benchmark run; {@code -Dgraph.*} and {@code -Dkafka.*} system properties override
     * them, so variants need no rebuild ({@code -Dgraph.commit.interval.ms=500}, ...).
     */
    static Map<String, Object> graphSettings(final EmbeddedKafkaBroker broker, final String prefix,
                                             final String applicationId, final Path stateDir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put(GraphStreamConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(GraphStreamConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(GraphStreamConfig.HTTP_PORT_CONFIG, 0);
        System.getProperties().stringPropertyNames().stream()
            .filter(k -> k.startsWith("graph.") || k.startsWith("kafka."))
            .forEach(k -> settings.put(k, System.getProperty(k)));
        return settings;
    }

    /** A producer for bulk loads: acks=all, lz4, a short linger. */
    static <V> KafkaProducer<String, V> producer(final EmbeddedKafkaBroker broker, final Serializer<V> values) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // the bulk load right after topic creation hit leader moves; duplicates do not matter to a throughput run
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    /**
     * Waits until {@code group}'s committed offsets are at the end of every partition of {@code topics} (a
     * transaction marker aside) in three consecutive samples, half a second apart.
     */
    static void awaitDrained(final EmbeddedKafkaBroker broker, final String group, final List<String> topics)
        throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
            int quietRounds = 0;
            int rounds = 0;
            while (quietRounds < 3) {
                // a benchmark's sampling interval, not a test wait: committed offsets are read twice a second
                Thread.sleep(500);
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
                final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                long lag = 0;
                for (final var e : admin.listOffsets(latest).all().get().entrySet()) {
                    final OffsetAndMetadata c = committed.get(e.getKey());
                    // end offsets include transaction markers: a lag of at most one marker per partition is drained
                    lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()) - 1);
                }
                quietRounds = lag == 0 ? quietRounds + 1 : 0;
                if (++rounds % 20 == 0) {
                    log.info("{} behind on {}: {} records", group, topics, lag);
                }
            }
        }
    }

    /**
     * Samples the summed end offsets of {@code topic} every {@code interval} until they stay put for {@code quiet};
     * returns the {@link System#nanoTime} at which they last grew (a writer that has no end of its own, such as the
     * network-size task, is done then).
     */
    static long lastGrowth(final EmbeddedKafkaBroker broker, final String topic, final Duration quiet,
                           final Duration interval) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long last = -1;
            long grew = System.nanoTime();
            while (System.nanoTime() - grew < quiet.toNanos()) {
                final long total = admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(r -> r.offset()).sum();
                if (total != last) {
                    last = total;
                    grew = System.nanoTime();
                }
                // a benchmark's sampling interval, not a test wait: there is no condition to wait on but silence
                Thread.sleep(interval.toMillis());
            }
            return grew;
        }
    }

    /** Reads every committed record of {@code topic} from its beginning to its current end into {@code each}. */
    static <K, V> void readAll(final EmbeddedKafkaBroker broker, final String topic, final Deserializer<K> keys,
                               final Deserializer<V> values, final Consumer<ConsumerRecord<K, V>> each) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /**
     * Prints one of the benchmark's figures as a plain {@code RESULT name=value} line on standard output: the
     * benchmark's own output, which scripts read, apart from the log.
     */
    static void result(final String name, final Object value) {
        System.out.println("RESULT " + name + "=" + value);
    }

    /** The {@code p}-th percentile (0..100, nearest rank) of {@code values}. */
    static long percentile(final List<Long> values, final double p) {
        final long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        final int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double seconds(final long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static double round(final double value) {
        return Math.round(value * 100) / 100.0;
    }

    static String sorted(final List<Long> values) {
        return Arrays.toString(values.stream().mapToLong(Long::longValue).sorted().toArray());
    }
}
