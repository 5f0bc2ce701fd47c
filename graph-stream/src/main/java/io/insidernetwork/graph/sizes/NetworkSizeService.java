package io.insidernetwork.graph.sizes;

import io.insidernetwork.schemas.graph.NetworkSizes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the network-sizes topic exact, on a thread of its own, apart from event processing. It reads the compacted
 * connections topic that the network processor writes (a connection present or, as a tombstone, removed; only
 * connections between two insiders count), holds the insider graph in memory ({@link NetworkSizeEngine}) and writes
 * each changed size to the compacted network-sizes topic with an idempotent producer.
 *
 * <p>Its consumer group ({@code <application id>-network-sizes}) keeps a checkpoint: its committed offsets are a
 * point before which every connection change has its sizes written. A start (or a restart after a crash or a failed
 * write) reads the connections topic from the beginning: the records before the checkpoint only rebuild the graph,
 * the ones after it are changes whose sizes are recomputed. The checkpoint moves once an expansion is drained and its
 * sizes are acknowledged by Kafka, so a crash repeats work and never loses it; the sizes are a function of the graph,
 * so a repeated write is the same value. Read with read_committed: only connections the network processor committed.
 *
 * <p>One instance of an application computes the sizes: the one that {@code active} says (graph-stream: the instance
 * running the network processor's task of partition 0). It checks every run; an instance that stops being it ends its
 * session (a handover may overlap by a run or two: the same values written twice), one that becomes it starts a
 * session from the checkpoint.
 */
public final class NetworkSizeService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkSizeService.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);
    /** How often an inactive service asks again whether it is the one to compute. */
    private static final Duration STANDBY_CHECK = Duration.ofSeconds(1);

    private final Settings settings;
    private final Serializer<NetworkSizes> serializer;
    private final BooleanSupplier active;
    private final Counter written;
    private final Counter failures;
    private final Thread thread;
    private final AtomicReference<KafkaConsumer<String, byte[]>> consumer = new AtomicReference<>();
    private volatile boolean running = true;

    /**
     * What the service reads, writes and how fast.
     *
     * @param kafka       client settings (bootstrap servers, security)
     * @param group       consumer group of the checkpoint
     * @param connections the compacted connections topic (key "source|target")
     * @param sizes       the compacted network-sizes topic
     * @param interval    time between two runs of the engine
     * @param maxPerRun   insiders recomputed per run at most
     */
    public record Settings(Map<String, Object> kafka, String group, String connections, String sizes,
                           Duration interval, int maxPerRun, Duration expansionInterval) {
        public Settings {
            kafka = Map.copyOf(kafka);
            if (interval.isNegative() || interval.isZero() || maxPerRun < 1 || expansionInterval.isNegative()) {
                throw new IllegalArgumentException("interval and maxPerRun must be positive, expansionInterval not "
                    + "negative");
            }
        }

        /** Settings with expansions as often as runs allow. */
        public Settings(final Map<String, Object> kafka, final String group, final String connections,
                        final String sizes, final Duration interval, final int maxPerRun) {
            this(kafka, group, connections, sizes, interval, maxPerRun, Duration.ZERO);
        }
    }

    private NetworkSizeService(final Settings settings, final Serializer<NetworkSizes> serializer,
                               final BooleanSupplier active, final MeterRegistry registry) {
        this.settings = settings;
        this.serializer = serializer;
        this.active = active;
        this.written = Counter.builder("graph.network.sizes.written")
            .description("Network-size records written (changed sizes)").register(registry);
        this.failures = Counter.builder("graph.network.size.failures")
            .description("Network-size sessions that failed and restarted from their checkpoint").register(registry);
        this.thread = new Thread(this::loop, "graph-network-sizes");
    }

    /**
     * Starts the service's thread; it computes while {@code active} answers true (asked every run, and every
     * {@link #STANDBY_CHECK} while it does not).
     */
    public static NetworkSizeService start(final Settings settings, final Serializer<NetworkSizes> serializer,
                                           final BooleanSupplier active, final MeterRegistry registry) {
        final NetworkSizeService service = new NetworkSizeService(settings, serializer, active, registry);
        service.thread.start();
        return service;
    }

    private void loop() {
        while (running) {
            try {
                if (!active.getAsBoolean()) {
                    // a background thread's polling interval: leadership has no event to wait on
                    Thread.sleep(STANDBY_CHECK.toMillis());
                    continue;
                }
                log.info("Network sizes: this instance computes them");
                session();
            } catch (final WakeupException e) {
                // close() woke the consumer
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final RuntimeException e) {
                if (!running) {
                    break;
                }
                failures.increment();
                log.error("Network sizes failed; restarting from the last checkpoint in {} s", RETRY_BACKOFF
                    .toSeconds(), e);
                try {
                    Thread.sleep(RETRY_BACKOFF.toMillis());
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One session: fresh clients and engine, the graph rebuilt from the beginning, then runs until closed. */
    private void session() {
        final NetworkSizeEngine engine = new NetworkSizeEngine(settings.maxPerRun(),
            settings.interval().toNanos() / 4, settings.expansionInterval().toNanos(), System::nanoTime);
        try (KafkaConsumer<String, byte[]> in = new KafkaConsumer<>(consumerSettings(), new StringDeserializer(),
                 new ByteArrayDeserializer());
             KafkaProducer<String, NetworkSizes> out = new KafkaProducer<>(producerSettings(), new StringSerializer(),
                 serializer)) {
            consumer.set(in);
            if (!running) {
                return;
            }
            final List<TopicPartition> partitions = in.partitionsFor(settings.connections()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            in.assign(partitions);
            final Map<TopicPartition, Long> checkpoint = new HashMap<>();
            in.committed(Set.copyOf(partitions)).forEach((tp, offset) -> {
                if (offset != null) {
                    checkpoint.put(tp, offset.offset());
                }
            });
            in.seekToBeginning(partitions);
            log.info("Network sizes: rebuilding the insider graph from {} (checkpoint {})", settings.connections(),
                checkpoint);
            final Map<TopicPartition, Long> committed = new HashMap<>(checkpoint);
            final AtomicReference<RuntimeException> sendFailure = new AtomicReference<>();
            Map<TopicPartition, OffsetAndMetadata> expansionStart = Map.of();
            long nextRun = System.nanoTime();
            while (running) {
                final long wait = Math.max(0, nextRun - System.nanoTime());
                for (final ConsumerRecord<String, byte[]> record : in.poll(Duration.ofNanos(wait))) {
                    apply(engine, record, checkpoint);
                }
                if (System.nanoTime() < nextRun) {
                    continue;
                }
                nextRun = System.nanoTime() + settings.interval().toNanos();
                if (!active.getAsBoolean()) {
                    log.info("Network sizes: another instance computes them now; this one stops");
                    return;
                }
                final NetworkSizeEngine.Run run = engine.run();
                if (run.expanded()) {
                    expansionStart = positions(in, partitions);
                }
                for (final NetworkSizes sizes : run.changed()) {
                    out.send(new ProducerRecord<>(settings.sizes(), null, sizes.getTimeUpdated().toEpochMilli(),
                        sizes.getInsiderId(), sizes), (metadata, e) -> {
                            if (e != null) {
                                sendFailure.compareAndSet(null, new IllegalStateException(
                                    "Writing network sizes failed", e));
                            }
                        });
                }
                written.increment(run.changed().size());
                final Map<TopicPartition, OffsetAndMetadata> done = engine.idle() ? positions(in, partitions)
                    : run.drained() ? expansionStart : Map.of();
                final Map<TopicPartition, OffsetAndMetadata> advanced = advanced(done, committed);
                if (!advanced.isEmpty()) {
                    // the checkpoint moves only past sizes Kafka acknowledged, and only forward (replaying the
                    // records before it, the positions are behind it)
                    out.flush();
                    if (sendFailure.get() != null) {
                        throw sendFailure.get();
                    }
                    in.commitSync(advanced);
                    advanced.forEach((tp, offset) -> committed.put(tp, offset.offset()));
                }
                if (sendFailure.get() != null) {
                    throw sendFailure.get();
                }
                if (run.recomputed() > 0) {
                    log.debug("Network sizes: {} recomputed, {} changed, {} pending, {} fresh", run.recomputed(),
                        run.changed().size(), engine.pendingCount(), engine.freshCount());
                }
            }
        } finally {
            consumer.set(null);
        }
    }

    private static void apply(final NetworkSizeEngine engine, final ConsumerRecord<String, byte[]> record,
                              final Map<TopicPartition, Long> checkpoint) {
        final Long before = checkpoint.get(new TopicPartition(record.topic(), record.partition()));
        engine.applyConnection(record.key(), record.value() != null, record.timestamp(),
            before == null || record.offset() >= before);
    }

    /** The offsets of {@code done} beyond what is committed. */
    private static Map<TopicPartition, OffsetAndMetadata> advanced(final Map<TopicPartition, OffsetAndMetadata> done,
                                                                   final Map<TopicPartition, Long> committed) {
        final Map<TopicPartition, OffsetAndMetadata> advanced = new HashMap<>();
        done.forEach((tp, offset) -> {
            if (offset.offset() > committed.getOrDefault(tp, -1L)) {
                advanced.put(tp, offset);
            }
        });
        return advanced;
    }

    private static Map<TopicPartition, OffsetAndMetadata> positions(final KafkaConsumer<String, byte[]> in,
                                                                    final List<TopicPartition> partitions) {
        final Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (final TopicPartition tp : partitions) {
            positions.put(tp, new OffsetAndMetadata(in.position(tp)));
        }
        return positions;
    }

    private Map<String, Object> consumerSettings() {
        final Map<String, Object> props = new HashMap<>(settings.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-consumer");
        return props;
    }

    private Map<String, Object> producerSettings() {
        final Map<String, Object> props = new HashMap<>(settings.kafka());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.group() + "-producer");
        return props;
    }

    @Override
    public void close() {
        running = false;
        final KafkaConsumer<String, byte[]> current = consumer.get();
        if (current != null) {
            current.wakeup();
        }
        try {
            // the wake-up ends a poll or commit, and a stand-by or back-off sleep ends within seconds: an interrupt
            // now would break the clients' own close (the consumer logs an ERROR when its fetcher cannot close)
            thread.join(Duration.ofSeconds(10).toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(10).toMillis());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Network sizes stopped");
    }
}
