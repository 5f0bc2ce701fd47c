package io.insidernetwork.api.query;

import io.insidernetwork.api.topology.ApiStoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Stores and key locations from the running Kafka Streams instance. Only active tasks answer (never a standby's
 * possibly stale copy), and only while the instance is RUNNING: during a rebalance or restoration every read is
 * {@link StoreUnavailableException}, which the API answers with 503 + Retry-After.
 */
public final class StreamsBackend implements StoreAccess, KeyLocator {

    private static final Serializer<String> KEYS = new StringSerializer();

    private final AtomicReference<KafkaStreams> streams = new AtomicReference<>();
    private volatile HostInfo self;
    private final int partitionCount;
    private final String sourceTopic;

    /**
     * @param partitionCount partitions of the insider-state topic
     * @param sourceTopic    the insider-state topic (its partitions are the tasks' partitions)
     */
    public StreamsBackend(final int partitionCount, final String sourceTopic) {
        this.partitionCount = partitionCount;
        this.sourceTopic = sourceTopic;
    }

    /** Attaches the started Streams instance whose application.server is {@code self}; until then all is 503. */
    public void attach(final KafkaStreams running, final HostInfo self) {
        this.self = self;
        streams.set(running);
    }

    /** Whether the stores can answer. */
    public boolean ready() {
        final KafkaStreams s = streams.get();
        return s != null && s.state() == KafkaStreams.State.RUNNING;
    }

    private KafkaStreams running() {
        final KafkaStreams s = streams.get();
        if (s == null || s.state() != KafkaStreams.State.RUNNING) {
            throw new StoreUnavailableException("query tier is " + (s == null ? "starting" : s.state()));
        }
        return s;
    }

    @Override
    public SortedSet<Integer> activePartitions() {
        final SortedSet<Integer> partitions = new TreeSet<>();
        running().metadataForLocalThreads().forEach(thread -> thread.activeTasks()
            .forEach(task -> partitions.add(task.taskId().partition())));
        return partitions;
    }

    @Override
    public <K, V> ReadOnlyKeyValueStore<K, V> store(final String name, final int partition) {
        try {
            return running().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
                .withPartition(partition));
        } catch (final InvalidStateStoreException e) {
            throw new StoreUnavailableException("store " + name + " of partition " + partition + " is not queryable",
                e);
        }
    }

    @Override
    public Location locate(final String insiderId) {
        final KafkaStreams s = streams.get();
        if (s == null || s.state() != KafkaStreams.State.RUNNING) {
            return new Unavailable("query tier is " + (s == null ? "starting" : s.state()));
        }
        final KeyQueryMetadata md = s.queryMetadataForKey(ApiStoreNames.INSIDERS, insiderId, KEYS);
        if (md == null) {
            throw new IllegalStateException("store " + ApiStoreNames.INSIDERS + " is unknown to the topology");
        }
        if (KeyQueryMetadata.NOT_AVAILABLE.equals(md) || md.activeHost() == null) {
            return new Unavailable("no active host for the key's partition");
        }
        return self.equals(md.activeHost()) ? new Local(md.partition()) : new Remote(md.activeHost());
    }

    @Override
    public List<HostInfo> peers() {
        final List<HostInfo> others = new ArrayList<>();
        for (final StreamsMetadata md : running().metadataForAllStreamsClients()) {
            final boolean hostsActive = md.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(sourceTopic));
            if (hostsActive && !self.equals(md.hostInfo())) {
                others.add(md.hostInfo());
            }
        }
        return others;
    }

    @Override
    public int partitionCount() {
        return partitionCount;
    }
}
