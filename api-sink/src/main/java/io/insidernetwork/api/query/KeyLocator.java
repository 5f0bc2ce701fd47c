package io.insidernetwork.api.query;

import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/** Where an insider's data lives, and which instances host the network's partitions. */
public interface KeyLocator {

    /** Where {@code insiderId} lives; never null. */
    Location locate(String insiderId);

    /** The other instances hosting active partitions; throws {@link StoreUnavailableException} while rebalancing. */
    List<HostInfo> peers();

    /** The number of partitions of the network topics. */
    int partitionCount();

    /** Outcome of a lookup. */
    sealed interface Location permits Local, Remote, Unavailable {
    }

    /** Served by this instance from {@code partition}. */
    record Local(int partition) implements Location {
    }

    /** Served by the instance at {@code host}. */
    record Remote(HostInfo host) implements Location {
    }

    /** No instance can serve it now (rebalance, restoration). */
    record Unavailable(String reason) implements Location {
    }
}
