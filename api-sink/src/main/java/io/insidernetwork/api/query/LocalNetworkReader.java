package io.insidernetwork.api.query;

import io.insidernetwork.api.query.DumpQuery.SortBy;
import io.insidernetwork.api.query.DumpQuery.SortOrder;
import io.insidernetwork.api.topology.ApiStoreNames;
import io.insidernetwork.api.topology.IndexKeys;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the stores of the partitions this instance hosts. Each partition's index is already sorted; a k-way merge
 * over them gives one order across partitions, so a page is exact however the data is spread.
 */
public final class LocalNetworkReader {

    private static final String SEPARATOR = "|";

    private final KafkaStreams streams;

    public LocalNetworkReader(final KafkaStreams streams) {
        this.streams = streams;
    }

    /** One dump page over the local partitions. */
    public DumpPage dump(final DumpQuery query) {
        try {
            final boolean joined = query.sortBy() == SortBy.JOINED_DATE;
            final int keyLength = joined ? 16 : 8;
            final boolean desc = query.order() == SortOrder.DESC;
            final Bytes cursor = query.after()
                .map(k -> joined ? IndexKeys.joined(k.value(), k.id()) : IndexKeys.seq(k.id())).orElse(null);
            final String indexStore = joined ? ApiStoreNames.BY_JOINED_DATE : ApiStoreNames.BY_SEQ;
            final Comparator<Head> byKey = Comparator.comparing(Head::key);
            final PriorityQueue<Head> heads = new PriorityQueue<>(desc ? byKey.reversed() : byKey);
            final List<KeyValueIterator<Bytes, String>> open = new ArrayList<>();
            try {
                for (final int partition : localPartitions()) {
                    final ReadOnlyKeyValueStore<Bytes, String> index = store(indexStore, partition);
                    final KeyValueIterator<Bytes, String> it = desc
                        ? index.reverseRange(IndexKeys.min(keyLength), cursor == null ? IndexKeys.max(keyLength) : cursor)
                        : index.range(cursor == null ? IndexKeys.min(keyLength) : cursor, IndexKeys.max(keyLength));
                    open.add(it);
                    advance(heads, it, partition, cursor);
                }
                final List<DumpPage.Entry> entries = new ArrayList<>();
                while (!heads.isEmpty() && entries.size() < query.limit()) {
                    final Head head = heads.poll();
                    final ReadOnlyKeyValueStore<String, InsiderState> insiders =
                        store(ApiStoreNames.INSIDERS, head.partition());
                    final InsiderState insider = insiders.get(head.insiderId());
                    if (insider != null) {
                        entries.add(new DumpPage.Entry(insider, outgoing(head.insiderId(), head.partition())));
                    }
                    advance(heads, head.iterator(), head.partition(), cursor);
                }
                return new DumpPage(entries, !heads.isEmpty());
            } finally {
                open.forEach(KeyValueIterator::close);
            }
        } catch (final InvalidStateStoreException e) {
            throw new StoreUnavailableException("stores are not queryable: " + e.getMessage(), e);
        }
    }

    private List<ConnectionState> outgoing(final String insiderId, final int partition) {
        final List<ConnectionState> out = new ArrayList<>();
        final ReadOnlyKeyValueStore<String, ConnectionState> connections =
            store(ApiStoreNames.CONNECTIONS, partition);
        try (KeyValueIterator<String, ConnectionState> it = connections.prefixScan(insiderId + SEPARATOR,
            new StringSerializer())) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    private static void advance(final PriorityQueue<Head> heads, final KeyValueIterator<Bytes, String> it,
                                final int partition, final Bytes cursor) {
        while (it.hasNext()) {
            final KeyValue<Bytes, String> next = it.next();
            // range bounds are inclusive: the cursor's own entry was on the previous page
            if (cursor == null || !next.key.equals(cursor)) {
                heads.add(new Head(next.key, next.value, partition, it));
                return;
            }
        }
    }

    /** Partitions whose active task runs on this instance. */
    SortedSet<Integer> localPartitions() {
        final SortedSet<Integer> partitions = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks()
            .forEach(task -> partitions.add(task.taskId().partition())));
        return partitions;
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> store(final String name, final int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
            .withPartition(partition));
    }

    private record Head(Bytes key, String insiderId, int partition, KeyValueIterator<Bytes, String> iterator) {
    }
}
