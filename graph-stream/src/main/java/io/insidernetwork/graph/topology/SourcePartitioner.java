package io.insidernetwork.graph.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions connection records ("source|target" keys) by their source, exactly as the default partitioner places
 * the source's insider record, so an insider and its outgoing connections always share a partition.
 */
public final class SourcePartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(final String topic, final String key, final V value,
                                             final int numPartitions) {
        return Optional.of(Set.of(partitionOf(sourceOf(key), numPartitions)));
    }

    /** The source insider of a connection key. */
    public static String sourceOf(final String connectionKey) {
        final int separator = connectionKey.indexOf(io.insidernetwork.graph.processor.ConnectionKeys.SEPARATOR);
        return separator < 0 ? connectionKey : connectionKey.substring(0, separator);
    }

    /** The partition of a String key under Kafka's default partitioner. */
    public static int partitionOf(final String key, final int numPartitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
