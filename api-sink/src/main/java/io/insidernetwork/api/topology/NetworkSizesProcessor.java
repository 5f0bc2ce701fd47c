package io.insidernetwork.api.topology;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Materializes graph-stream's network sizes (co-partitioned with the insiders) into their own store; a tombstone
 * deletes; a record repeating the stored counts is dropped. When a record changes an insider's counts and the
 * insider is materialized, the change feed gets an INSIDER_UPDATED entry at the record's time_updated, with the insider's network and joined date. Its key carries
 * the sizes record's offset tagged by {@link IndexKeys#sizesOffset}, so it never collides with an entry of the
 * change-feed topic.
 */
public final class NetworkSizesProcessor implements Processor<String, NetworkSizes, Void, Void> {

    private final Duration retention;
    private final Clock clock;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, NetworkSizes> sizes;
    private KeyValueStore<String, InsiderState> insiders;
    private KeyValueStore<Bytes, NetworkUpdate> updates;

    /**
     * @param retention how long change-feed entries stay indexed (older entries are not added)
     * @param clock     wall clock of the retention horizon
     */
    public NetworkSizesProcessor(final Duration retention, final Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        sizes = context.getStateStore(ApiStoreNames.NETWORK_SIZES);
        insiders = context.getStateStore(ApiStoreNames.INSIDERS);
        updates = context.getStateStore(ApiStoreNames.UPDATES_BY_TIME);
    }

    @Override
    public void process(final Record<String, NetworkSizes> record) {
        final String id = record.key();
        if (id == null) {
            return;
        }
        final NetworkSizes after = record.value();
        if (after == null) {
            sizes.delete(id);
            return;
        }
        final NetworkSizes before = sizes.get(id);
        if (before != null && sameCounts(before, after)) {
            // the counts' time_updated is when a count last changed: a repeat keeps the earlier record
            return;
        }
        sizes.put(id, after);
        if (before != null || !countsAreZero(after)) {
            feedEntry(id, after);
        }
    }

    private void feedEntry(final String id, final NetworkSizes after) {
        final InsiderState insider = insiders.get(id);
        // an insider not materialized yet has its INSIDER_ADDED entry still to come
        if (insider == null || after.getTimeUpdated().isBefore(clock.instant().minus(retention))) {
            return;
        }
        final long offset = IndexKeys.sizesOffset(context.recordMetadata().map(m -> m.offset()).orElse(0L));
        final NetworkUpdate update = NetworkUpdate.newBuilder()
            .setInsiderId(id)
            .setNetworkId(insider.getNetworkId())
            .setUpdateType(NetworkUpdateType.INSIDER_UPDATED)
            .setJoinedDate(insider.getJoinedDate())
            .setUpdatedAt(after.getTimeUpdated())
            .setConnections(List.of())
            .build();
        updates.put(IndexKeys.update(after.getTimeUpdated().toEpochMilli(), id, offset), update);
    }

    private static boolean sameCounts(final NetworkSizes a, final NetworkSizes b) {
        return a.getFirstDegree() == b.getFirstDegree() && a.getSecondDegree() == b.getSecondDegree()
            && a.getThirdDegree() == b.getThirdDegree();
    }

    // an insider without a sizes record reads as all zeros: a first record of zeros changes nothing
    private static boolean countsAreZero(final NetworkSizes s) {
        return s.getFirstDegree() == 0 && s.getSecondDegree() == 0 && s.getThirdDegree() == 0;
    }
}
