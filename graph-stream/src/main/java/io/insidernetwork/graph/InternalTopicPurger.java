package io.insidernetwork.graph;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the records of graph-stream's internal topics (commands, insider-graph changes, InsightIQ facts) below the
 * offsets the application has committed, as Kafka Streams does for its own repartition topics. Those topics keep
 * records without a time limit: their records carry event times, and a time retention would delete the records of
 * a backfill (events older than the retention) before they were read. Committed offsets only move when a
 * transaction with the records' effects committed, so nothing unprocessed is deleted. Every instance runs one; the
 * deletes are idempotent.
 */
final class InternalTopicPurger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InternalTopicPurger.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final String groupId;
    private final Set<String> topics;
    private final Map<TopicPartition, Long> purged = new HashMap<>();
    private final ScheduledExecutorService scheduler;

    private InternalTopicPurger(final Admin admin, final String groupId, final Set<String> topics) {
        this.admin = admin;
        this.groupId = groupId;
        this.topics = Set.copyOf(topics);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "graph-stream-internal-purger");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Purges {@code topics} every {@code interval}, with a client made from {@code adminSettings}. */
    static InternalTopicPurger start(final Map<String, Object> adminSettings, final String groupId,
                                     final Set<String> topics, final Duration interval) {
        final InternalTopicPurger purger = new InternalTopicPurger(Admin.create(adminSettings), groupId, topics);
        purger.scheduler.scheduleWithFixedDelay(purger::purgeQuietly, interval.toMillis(), interval.toMillis(),
            TimeUnit.MILLISECONDS);
        return purger;
    }

    /** Deletes the records below the committed offsets that were not deleted yet. */
    private void purge() throws InterruptedException, ExecutionException, TimeoutException {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        final Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null && topics.contains(partition.topic())
                && offset.offset() > purged.getOrDefault(partition, 0L)) {
                deletes.put(partition, RecordsToDelete.beforeOffset(offset.offset()));
            }
        });
        if (deletes.isEmpty()) {
            return;
        }
        admin.deleteRecords(deletes).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        deletes.forEach((partition, delete) -> purged.put(partition, delete.beforeOffset()));
        log.debug("Purged internal records below {}", deletes);
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            // the next run tries again; records are only kept longer meanwhile
            log.warn("Cannot purge internal topics of group {}: {}", groupId, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
