package io.insidernetwork.schemas.topic;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One topic of the contract: its name, layout and the serdes of its keys and values (already configured).
 *
 * @param retention how long records are kept; {@code null} keeps them forever. Ignored for compacted topics.
 */
public record TopicSpec<K, V>(String name, int partitions, Cleanup cleanup, Duration retention,
                              Serde<K> keySerde, Serde<V> valueSerde) {

    /** Cleanup policy of a topic. */
    public enum Cleanup {
        /** Old segments are deleted after the retention time, by the records' own timestamps. */
        DELETE,
        /**
         * Old segments are deleted the retention time after they were written: the broker stamps records with
         * their append time, so records carrying old timestamps are kept as long as new ones.
         */
        DELETE_BY_APPEND_TIME,
        /** The latest record per key is kept; tombstones remove keys. */
        COMPACT
    }

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 for topic " + name);
        }
    }

    /** The topic as the admin client creates it, with {@code replicationFactor} replicas. */
    public NewTopic newTopic(final short replicationFactor) {
        final String retentionMs = retention == null ? "-1" : Long.toString(retention.toMillis());
        final Map<String, String> configs = switch (cleanup) {
            case COMPACT -> Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            case DELETE -> Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, retentionMs);
            case DELETE_BY_APPEND_TIME -> Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, retentionMs,
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        };
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    /** Consumed with this topic's serdes. */
    public Consumed<K, V> consumed(final String processorName) {
        return Consumed.with(keySerde, valueSerde).withName(processorName);
    }

    /** Produced with this topic's serdes. */
    public Produced<K, V> produced(final String processorName) {
        return Produced.with(keySerde, valueSerde).withName(processorName);
    }
}
