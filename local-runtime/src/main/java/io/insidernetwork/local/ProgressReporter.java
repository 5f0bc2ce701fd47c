package io.insidernetwork.local;

import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a progress line every few seconds: events ingested (and per second), events waiting (partner events
 * graph-stream has not processed yet: its consumer group's lag on the partner-events topic), how many seconds
 * behind the API's data is (now minus the acceptance time, the record timestamp, of the oldest partner event
 * graph-stream has not processed; 0 when none waits; api-sink's own materialization after graph-stream is not
 * included), and the insiders and connections of the network as counted from the change feed (exactly-once
 * output, so the counts are exact once nothing waits).
 */
final class ProgressReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final Map<String, Object> kafka;
    private final TopicSpec<String, NetworkUpdate> updates;
    private final String partnerEvents;
    private final String graphGroup;
    private final LongSupplier accepted;
    private final PrintStream out;
    private final Duration every;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong insiders = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Thread feedThread;
    private final ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "progress-print");
        t.setDaemon(true);
        return t;
    });
    private final Admin admin;
    private long lastAccepted;
    private long lastAt = System.nanoTime();

    private KafkaConsumer<byte[], byte[]> peeker;

    /** What graph-stream has not processed yet: events waiting, and the age of the oldest of them. */
    record Backlog(long eventsWaiting, Duration behind) {
    }

    ProgressReporter(final Map<String, Object> kafka, final TopicSpec<String, NetworkUpdate> updates,
                     final String partnerEvents, final String graphGroup, final LongSupplier accepted,
                     final PrintStream out, final Duration every) {
        this.kafka = kafka;
        this.updates = updates;
        this.partnerEvents = partnerEvents;
        this.graphGroup = graphGroup;
        this.accepted = accepted;
        this.out = out;
        this.every = every;
        this.feedThread = new Thread(this::countFeed, "progress-feed");
        this.admin = Admin.create(kafka);
        feedThread.setDaemon(true);
    }

    void start() {
        feedThread.start();
        printer.scheduleAtFixedRate(this::printOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void countFeed() {
        final Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, NetworkUpdate> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
            updates.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(updates.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (final ConsumerRecord<String, NetworkUpdate> record : consumer.poll(Duration.ofMillis(500))) {
                    count(record.value());
                }
            }
        } catch (final RuntimeException e) {
            if (running.get()) {
                log.warn("Progress feed stopped: {}", e.toString());
            }
        }
    }

    private void count(final NetworkUpdate update) {
        if (update == null) {
            return;
        }
        if (update.getUpdateType() == NetworkUpdateType.INSIDER_ADDED) {
            insiders.incrementAndGet();
        } else if (update.getUpdateType() == NetworkUpdateType.INSIDER_REMOVED) {
            insiders.decrementAndGet();
        }
        for (final ConnectionChange change : update.getConnections()) {
            if (change.getChangeType() == ChangeType.ADDED) {
                connections.incrementAndGet();
            } else if (change.getChangeType() == ChangeType.REMOVED) {
                connections.decrementAndGet();
            }
        }
    }

    private void printOnce() {
        final long now = accepted.getAsLong();
        final long at = System.nanoTime();
        final double rate = (now - lastAccepted) * 1e9 / Math.max(1, at - lastAt);
        lastAccepted = now;
        lastAt = at;
        final Backlog backlog = backlog();
        out.println(line(now, rate, backlog, insiders.get(), connections.get()));
        out.flush();
    }

    /** The progress line; starts with {@code progress:} so it is easy to find among the logs. */
    static String line(final long ingested, final double rate, final Backlog backlog, final long insiders,
                       final long connections) {
        final String waiting = backlog == null ? "n/a" : String.format("%,d", backlog.eventsWaiting());
        final String behind = backlog == null ? "n/a" : backlog.behind().toSeconds() + " s";
        return String.format("progress: ingested %,d events (%.0f/s) | events waiting %s | API data behind %s | "
            + "insiders %,d, connections %,d", ingested, rate, waiting, behind, insiders, connections);
    }

    /**
     * Partner events graph-stream's group has not processed (committed offsets to the ends of the partner-events
     * topic) and the age of the oldest of them; null when Kafka does not answer.
     */
    Backlog backlog() {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(graphGroup)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(partnerEvents)).allTopicNames().get(5, TimeUnit.SECONDS)
                .get(partnerEvents).partitions()
                .forEach(p -> latest.put(new TopicPartition(partnerEvents, p.partition()), OffsetSpec.latest()));
            final var ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                .all().get(5, TimeUnit.SECONDS);
            long waiting = 0;
            final Map<TopicPartition, Long> from = new HashMap<>();
            for (final TopicPartition tp : latest.keySet()) {
                final OffsetAndMetadata done = committed.get(tp);
                final long start = done == null ? beginning(tp) : done.offset();
                final long end = ends.get(tp).offset();
                if (end > start) {
                    waiting += end - start;
                    from.put(tp, start);
                }
            }
            final long oldest = oldestTimestamp(from);
            final Duration behind = oldest == Long.MAX_VALUE ? Duration.ZERO
                : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest));
            return new Backlog(waiting, behind);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            log.debug("Progress backlog unavailable: {}", e.toString());
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private long beginning(final TopicPartition tp) throws ExecutionException, InterruptedException,
        TimeoutException {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get(5, TimeUnit.SECONDS).get(tp).offset();
    }

    /** The smallest record timestamp at the given offsets (the first record at or after each); MAX if none. */
    private long oldestTimestamp(final Map<TopicPartition, Long> from) {
        if (from.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (peeker == null) {
            final Map<String, Object> settings = new HashMap<>(kafka);
            settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            peeker = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        peeker.assign(from.keySet());
        from.forEach(peeker::seek);
        final Map<TopicPartition, Long> first = new HashMap<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (first.size() < from.size() && System.nanoTime() < deadline) {
            for (final ConsumerRecord<byte[], byte[]> record : peeker.poll(Duration.ofMillis(200))) {
                first.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.timestamp());
            }
            // read only the head of each partition: pause the ones already seen
            peeker.pause(first.keySet());
        }
        peeker.resume(peeker.paused());
        return first.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        running.set(false);
        printer.shutdownNow();
        try {
            printer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (peeker != null) {
            peeker.close(Duration.ofSeconds(2));
        }
        admin.close(Duration.ofSeconds(2));
    }
}
