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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a progress line every few seconds: events ingested/s, graph-stream's consumer lag, and the insiders and
 * connections of the network as counted from the change feed (exactly-once output, so the counts are exact once
 * the lag is zero).
 */
final class ProgressReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final Map<String, Object> kafka;
    private final TopicSpec<String, NetworkUpdate> updates;
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

    ProgressReporter(final Map<String, Object> kafka, final TopicSpec<String, NetworkUpdate> updates,
                     final String graphGroup, final LongSupplier accepted, final PrintStream out,
                     final Duration every) {
        this.kafka = kafka;
        this.updates = updates;
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
        out.printf("progress: ingested %,d events (%.0f/s), graph lag %s, insiders %,d, connections %,d%n",
            now, rate, lag(admin), insiders.get(), connections.get());
        out.flush();
    }

    private String lag(final Admin admin) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(graphGroup)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            final var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            long lag = 0;
            for (final TopicPartition tp : committed.keySet()) {
                if (!tp.topic().contains("-repartition") && committed.get(tp) != null) {
                    lag += Math.max(0, ends.get(tp).offset() - committed.get(tp).offset());
                }
            }
            return String.format("%,d", lag);
        } catch (final ExecutionException | TimeoutException e) {
            return "n/a";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }

    @Override
    public void close() {
        running.set(false);
        printer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
