package io.insidernetwork.api.http;

import io.insidernetwork.api.query.KeyLocator;
import io.insidernetwork.api.query.StoreAccess;
import io.insidernetwork.api.query.StoreUnavailableException;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The real topology's stores in a TopologyTestDriver as one local partition, so HTTP tests run the production
 * query and rendering code. {@link #failure} makes every read throw, to test the error mapping.
 */
final class StoresFromDriver implements StoreAccess, KeyLocator {

    private final TopologyTestDriver driver;
    volatile RuntimeException failure;

    StoresFromDriver(final TopologyTestDriver driver) {
        this.driver = driver;
    }

    @Override
    public SortedSet<Integer> activePartitions() {
        check();
        return new TreeSet<>(List.of(0));
    }

    @Override
    public <K, V> ReadOnlyKeyValueStore<K, V> store(final String name, final int partition) {
        check();
        return driver.getKeyValueStore(name);
    }

    @Override
    public Location locate(final String insiderId) {
        if (failure instanceof StoreUnavailableException) {
            return new Unavailable("test");
        }
        return new Local(0);
    }

    @Override
    public List<HostInfo> peers() {
        check();
        return List.of();
    }

    @Override
    public int partitionCount() {
        return 1;
    }

    private void check() {
        final RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
