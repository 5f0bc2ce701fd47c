package io.insidernetwork.api.query;

import io.insidernetwork.api.query.DumpQuery.Keyset;
import io.insidernetwork.api.query.DumpQuery.SortBy;
import io.insidernetwork.api.query.DumpQuery.SortOrder;
import io.insidernetwork.api.query.Dtos.DumpEntry;
import io.insidernetwork.api.query.Dtos.Edge;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.Purchase;
import io.insidernetwork.api.query.Dtos.Target;
import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.topology.ApiStoreNames;
import io.insidernetwork.api.topology.IndexKeys;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the stores of the partitions this instance hosts. Each partition's index is sorted; merging the partitions'
 * leading entries gives one order across partitions, so a page is exact however the data is spread.
 */
public final class LocalReader {

    private static final String SEPARATOR = "|";
    private static final StringSerializer KEYS = new StringSerializer();

    private final StoreAccess stores;

    public LocalReader(final StoreAccess stores) {
        this.stores = stores;
    }

    /** The partitions served here. */
    public SortedSet<Integer> partitions() {
        return stores.activePartitions();
    }

    /** One dump page over the local partitions, insiders outside {@code scope} skipped. */
    public PartialPage<DumpEntry> dump(final DumpQuery query, final NetworkScope scope) {
        return guarded(() -> {
            final SortedSet<Integer> partitions = stores.activePartitions();
            final boolean joined = query.sortBy() == SortBy.JOINED_DATE;
            final boolean desc = query.order() == SortOrder.DESC;
            final Comparator<DumpEntry> order = dumpOrder(query.sortBy(), query.order());
            final List<List<Located<DumpEntry>>> perPartition = new ArrayList<>();
            for (final int partition : partitions) {
                perPartition.add(dumpHeads(partition, query, joined, desc, scope));
            }
            final Merge.Result<Located<DumpEntry>> merged = Merge.merge(perPartition,
                Comparator.comparing(Located::value, order), query.limit());
            final List<DumpEntry> entries = merged.entries().stream()
                .map(l -> new DumpEntry(l.value().seq(), l.value().joinedDate(), l.value().insiderId(),
                    targets(l.value().insiderId(), l.partition())))
                .toList();
            return new PartialPage<>(List.copyOf(partitions), entries, merged.hasMore());
        });
    }

    /** The dump order of {@code sortBy} in {@code order}. */
    public static Comparator<DumpEntry> dumpOrder(final SortBy sortBy, final SortOrder order) {
        final Comparator<DumpEntry> asc = sortBy == SortBy.JOINED_DATE
            ? Comparator.comparingLong(DumpEntry::joinedDate).thenComparingLong(DumpEntry::seq)
            : Comparator.comparingLong(DumpEntry::seq);
        return order == SortOrder.DESC ? asc.reversed() : asc;
    }

    private List<Located<DumpEntry>> dumpHeads(final int partition, final DumpQuery query, final boolean joined,
                                               final boolean desc, final NetworkScope scope) {
        final int keyLength = joined ? 16 : 8;
        final Bytes cursor = query.after().map(k -> indexKey(joined, k)).orElse(null);
        final ReadOnlyKeyValueStore<Bytes, String> index =
            stores.store(joined ? ApiStoreNames.BY_JOINED_DATE : ApiStoreNames.BY_SEQ, partition);
        final ReadOnlyKeyValueStore<String, InsiderState> insiders = stores.store(ApiStoreNames.INSIDERS, partition);
        final List<Located<DumpEntry>> heads = new ArrayList<>();
        try (KeyValueIterator<Bytes, String> it = desc
            ? index.reverseRange(IndexKeys.min(keyLength), cursor == null ? IndexKeys.max(keyLength) : cursor)
            : index.range(cursor == null ? IndexKeys.min(keyLength) : cursor, IndexKeys.max(keyLength))) {
            // one more than a page tells the merge whether this partition has more
            while (it.hasNext() && heads.size() <= query.limit()) {
                final KeyValue<Bytes, String> next = it.next();
                if (next.key.equals(cursor)) {
                    continue;
                }
                final InsiderState insider = insiders.get(next.value);
                if (insider != null && scope.allows(insider.getNetworkId())) {
                    heads.add(new Located<>(new DumpEntry(insider.getSeq(), insider.getJoinedDate().toEpochMilli(),
                        insider.getInsiderId(), List.of()), partition));
                }
            }
        }
        return heads;
    }

    private static Bytes indexKey(final boolean joined, final Keyset keyset) {
        return joined ? IndexKeys.joined(keyset.value(), keyset.id()) : IndexKeys.seq(keyset.id());
    }

    private List<Target> targets(final String insiderId, final int partition) {
        return outgoing(insiderId, partition).stream().map(c -> new Target(c.getTargetId(), c.getWeight(),
            c.getFirstConnected().toEpochMilli(), c.getTimeUpdated().toEpochMilli())).toList();
    }

    /** One page of the change feed over the local partitions, entries outside {@code scope} skipped. */
    public PartialPage<UpdateEntry> updates(final UpdatesQuery query, final NetworkScope scope) {
        return guarded(() -> {
            final SortedSet<Integer> partitions = stores.activePartitions();
            final List<List<UpdateEntry>> perPartition = new ArrayList<>();
            for (final int partition : partitions) {
                perPartition.add(updateHeads(partition, query, scope));
            }
            final Comparator<UpdateEntry> order = query.backward() ? UpdateEntry.ORDER.reversed() : UpdateEntry.ORDER;
            final Merge.Result<UpdateEntry> merged = Merge.merge(perPartition, order, query.limit());
            return new PartialPage<>(List.copyOf(partitions), merged.entries(), merged.hasMore());
        });
    }

    private List<UpdateEntry> updateHeads(final int partition, final UpdatesQuery query, final NetworkScope scope) {
        final ReadOnlyKeyValueStore<Bytes, NetworkUpdate> index =
            stores.store(ApiStoreNames.UPDATES_BY_TIME, partition);
        final Bytes floor = IndexKeys.updateFloor(query.since());
        final Bytes cursor = query.position().map(LocalReader::updateKey).orElse(null);
        final List<UpdateEntry> heads = new ArrayList<>();
        try (KeyValueIterator<Bytes, NetworkUpdate> it = query.backward()
            ? index.reverseRange(floor, cursor == null ? IndexKeys.updateCeiling() : cursor)
            : index.range(cursor == null ? floor : cursor, IndexKeys.updateCeiling())) {
            while (it.hasNext() && heads.size() <= query.limit()) {
                final KeyValue<Bytes, NetworkUpdate> next = it.next();
                if (next.key.equals(cursor) || IndexKeys.updatedAt(next.key) < query.since()) {
                    continue;
                }
                if (scope.allows(next.value.getNetworkId())) {
                    heads.add(UpdateEntry.of(next.value, IndexKeys.updateOffset(next.key)));
                }
            }
        }
        return heads;
    }

    /**
     * Totals and leaderboards of the in-scope partner networks over the local partitions: one pass over each
     * partition's insiders (with a point read of each one's network sizes) and connections, and the newest in-scope
     * change-feed entry (read backwards from the end of the time index).
     */
    public NetworkSummary summary(final NetworkScope scope, final int top) {
        return guarded(() -> {
            final SortedSet<Integer> partitions = stores.activePartitions();
            final Map<String, NetworkSummary.Builder> networks = new TreeMap<>();
            Long newest = null;
            for (final int partition : partitions) {
                final ReadOnlyKeyValueStore<String, InsiderState> insiders =
                    stores.store(ApiStoreNames.INSIDERS, partition);
                final ReadOnlyKeyValueStore<String, NetworkSizes> sizes =
                    stores.store(ApiStoreNames.NETWORK_SIZES, partition);
                try (KeyValueIterator<String, InsiderState> it = insiders.all()) {
                    while (it.hasNext()) {
                        final InsiderState s = it.next().value;
                        if (s != null && scope.allows(s.getNetworkId())) {
                            final NetworkSizes size = sizes.get(s.getInsiderId());
                            networks.computeIfAbsent(s.getNetworkId(), NetworkSummary.Builder::new).insider(
                                new NetworkSummary.Leader(s.getInsiderId(), s.getTotalGeneratedAmount(),
                                    size == null ? 0 : size.getFirstDegree()),
                                s.getTotalShares(), s.getInstancesPurchasedTotal());
                        }
                    }
                }
                final ReadOnlyKeyValueStore<String, ConnectionState> connections =
                    stores.store(ApiStoreNames.CONNECTIONS, partition);
                try (KeyValueIterator<String, ConnectionState> it = connections.all()) {
                    while (it.hasNext()) {
                        final ConnectionState c = it.next().value;
                        if (c != null && scope.allows(c.getNetworkId())) {
                            networks.computeIfAbsent(c.getNetworkId(), NetworkSummary.Builder::new).connection();
                        }
                    }
                }
                final ReadOnlyKeyValueStore<Bytes, NetworkUpdate> index =
                    stores.store(ApiStoreNames.UPDATES_BY_TIME, partition);
                try (KeyValueIterator<Bytes, NetworkUpdate> it = index.reverseAll()) {
                    while (it.hasNext()) {
                        final KeyValue<Bytes, NetworkUpdate> next = it.next();
                        if (scope.allows(next.value.getNetworkId())) {
                            final long at = IndexKeys.updatedAt(next.key);
                            newest = newest == null ? at : Math.max(newest, at);
                            break;
                        }
                    }
                }
            }
            return new NetworkSummary(List.copyOf(partitions),
                networks.values().stream().map(b -> b.finish(top)).toList(), newest);
        });
    }

    private static Bytes updateKey(final UpdatePosition p) {
        return IndexKeys.update(p.updatedAt(), p.insiderId(), p.offset());
    }

    /** The insider, read from {@code partition}. */
    public Optional<InsiderState> insider(final String insiderId, final int partition) {
        return guarded(() -> Optional.ofNullable(
            stores.<String, InsiderState>store(ApiStoreNames.INSIDERS, partition).get(insiderId)));
    }

    /** The insider's network sizes, read from {@code partition}; empty before its first sizes record. */
    public Optional<NetworkSizes> networkSizes(final String insiderId, final int partition) {
        return guarded(() -> Optional.ofNullable(
            stores.<String, NetworkSizes>store(ApiStoreNames.NETWORK_SIZES, partition).get(insiderId)));
    }

    /** Outgoing connections of {@code insiderId}, read from {@code partition}. */
    public List<Edge> edges(final String insiderId, final int partition) {
        return guarded(() -> outgoing(insiderId, partition).stream().map(Edge::of).toList());
    }

    /** Purchases of {@code insiderId}, read from {@code partition}, in no particular order. */
    public List<Purchase> purchases(final String insiderId, final int partition) {
        return guarded(() -> {
            final List<Purchase> out = new ArrayList<>();
            final ReadOnlyKeyValueStore<String, PurchaseRecord> store =
                stores.store(ApiStoreNames.PURCHASES, partition);
            try (KeyValueIterator<String, PurchaseRecord> it = store.prefixScan(insiderId + SEPARATOR, KEYS)) {
                it.forEachRemaining(kv -> out.add(Purchase.of(kv.value)));
            }
            return out;
        });
    }

    private List<ConnectionState> outgoing(final String insiderId, final int partition) {
        final List<ConnectionState> out = new ArrayList<>();
        final ReadOnlyKeyValueStore<String, ConnectionState> connections =
            stores.store(ApiStoreNames.CONNECTIONS, partition);
        try (KeyValueIterator<String, ConnectionState> it = connections.prefixScan(insiderId + SEPARATOR, KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    private static <T> T guarded(final java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (final InvalidStateStoreException e) {
            throw new StoreUnavailableException("stores are not queryable: " + e.getMessage(), e);
        }
    }

    private record Located<T>(T value, int partition) {
    }
}
