package io.insidernetwork.api.query;

import java.util.SortedSet;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The stores of the partitions whose active task runs on this instance. */
public interface StoreAccess {

    /** Partitions whose active task runs here; throws {@link StoreUnavailableException} while rebalancing. */
    SortedSet<Integer> activePartitions();

    /** The store {@code name} of {@code partition}; throws {@link StoreUnavailableException} when not queryable. */
    <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition);
}
