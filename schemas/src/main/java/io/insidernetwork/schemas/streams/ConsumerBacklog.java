package io.insidernetwork.schemas.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a consumer group has not processed yet on some topics: the records between its committed offsets and the
 * ends of the partitions (read_committed, so transaction markers do not count), and how old the oldest of them is
 * (now minus its record timestamp; zero when none waits). One instance serves any number of topic sets of the group
 * with one admin client, and reads the head record of each lagging partition with one consumer of its own, outside any
 * group. Not thread-safe: one caller at a time.
 */
public final class ConsumerBacklog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerBacklog.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final Map<String, Object> kafka;
    private final String group;
    private final Admin admin;
    private KafkaConsumer<byte[], byte[]> peeker;

    /** Records waiting, and the age of the oldest of them. */
    public record Backlog(long waiting, Duration behind) {
    }

    /**
     * @param kafka client settings (bootstrap servers, security)
     * @param group the consumer group (a Kafka Streams application id)
     */
    public ConsumerBacklog(final Map<String, Object> kafka, final String group) {
        this.kafka = Map.copyOf(kafka);
        this.group = group;
        this.admin = Admin.create(this.kafka);
    }

    /** The group's backlog on {@code topics} now; empty when Kafka does not answer in time. */
    public Optional<Backlog> measure(final List<String> topics) {
        return measure(group, topics);
    }

    /**
     * Another group's backlog on {@code topics} now (an application's second consumer group), with the same
     * clients; empty when Kafka does not answer in time.
     */
    public Optional<Backlog> measure(final String group, final List<String> topics) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()
                .forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
                    OffsetSpec.latest())));
            final var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
            return Optional.of(new Backlog(waiting, behind));
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            log.debug("Backlog of {} unavailable: {}", group, e.toString());
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private long beginning(final TopicPartition tp) throws ExecutionException, InterruptedException,
        TimeoutException {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .get(tp).offset();
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
        if (peeker != null) {
            peeker.close(Duration.ofSeconds(2));
        }
        admin.close(Duration.ofSeconds(2));
    }
}
