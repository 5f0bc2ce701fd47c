package io.insidernetwork.local;

import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.streams.ConsumerBacklog;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
    private final ConsumerBacklog backlog;
    private final List<String> partnerEvents;
    private long lastAccepted;
    private long lastAt = System.nanoTime();

    ProgressReporter(final Map<String, Object> kafka, final TopicSpec<String, NetworkUpdate> updates,
                     final String partnerEvents, final String graphGroup, final LongSupplier accepted,
                     final PrintStream out, final Duration every) {
        this.kafka = kafka;
        this.updates = updates;
        this.accepted = accepted;
        this.out = out;
        this.every = every;
        this.feedThread = new Thread(this::countFeed, "progress-feed");
        this.backlog = new ConsumerBacklog(kafka, graphGroup);
        this.partnerEvents = List.of(partnerEvents);
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
        out.println(line(now, rate, backlog(), insiders.get(), connections.get()));
        out.flush();
    }

    /** The progress line; starts with {@code progress:} so it is easy to find among the logs. */
    static String line(final long ingested, final double rate, final ConsumerBacklog.Backlog backlog,
                       final long insiders,
                       final long connections) {
        final String waiting = backlog == null ? "n/a" : String.format("%,d", backlog.waiting());
        final String behind = backlog == null ? "n/a" : backlog.behind().toSeconds() + " s";
        return String.format("progress: ingested %,d events (%.0f/s) | events waiting %s | API data behind %s | "
            + "insiders %,d, connections %,d", ingested, rate, waiting, behind, insiders, connections);
    }

    /** Partner events graph-stream's group has not processed and the age of the oldest; null when unknown. */
    ConsumerBacklog.Backlog backlog() {
        return backlog.measure(partnerEvents).orElse(null);
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
        backlog.close();
    }
}
