package io.insidernetwork.api.topology;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Materializes graph-stream's outputs (co-partitioned by insider) into queryable stores and keeps the sort indexes in
 * step; a tombstone removes the entry and its index keys. Change-feed entries are indexed by time and expire after
 * the feed's retention, checked once a minute of wall-clock time.
 */
public final class MaterializeProcessor implements Processor<String, SpecificRecord, Void, Void> {

    private static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);

    private enum Kind { INSIDERS, CONNECTIONS, PURCHASES, UPDATES }

    private final Kind kind;
    private final Duration retention;
    private final Clock clock;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, InsiderState> insiders;
    private KeyValueStore<String, ConnectionState> connections;
    private KeyValueStore<Bytes, String> byJoined;
    private KeyValueStore<Bytes, String> bySeq;
    private KeyValueStore<String, PurchaseRecord> purchases;
    private KeyValueStore<Bytes, NetworkUpdate> updates;

    private MaterializeProcessor(final Kind kind, final Duration retention, final Clock clock) {
        this.kind = kind;
        this.retention = retention;
        this.clock = clock;
    }

    /** The processor for the insider-state source. */
    public static MaterializeProcessor forInsiders() {
        return new MaterializeProcessor(Kind.INSIDERS, null, null);
    }

    /** The processor for the connection-state source. */
    public static MaterializeProcessor forConnections() {
        return new MaterializeProcessor(Kind.CONNECTIONS, null, null);
    }

    /** The processor for the purchases source. */
    public static MaterializeProcessor forPurchases() {
        return new MaterializeProcessor(Kind.PURCHASES, null, null);
    }

    /** The processor indexing the change feed, expiring entries older than {@code retention}. */
    public static MaterializeProcessor forUpdates(final Duration retention, final Clock clock) {
        return new MaterializeProcessor(Kind.UPDATES, retention, clock);
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        insiders = context.getStateStore(ApiStoreNames.INSIDERS);
        connections = context.getStateStore(ApiStoreNames.CONNECTIONS);
        byJoined = context.getStateStore(ApiStoreNames.BY_JOINED_DATE);
        bySeq = context.getStateStore(ApiStoreNames.BY_SEQ);
        purchases = context.getStateStore(ApiStoreNames.PURCHASES);
        updates = context.getStateStore(ApiStoreNames.UPDATES_BY_TIME);
        if (kind == Kind.UPDATES) {
            context.schedule(EXPIRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> expireUpdates());
        }
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        if (record.key() == null) {
            return;
        }
        switch (kind) {
            case INSIDERS -> insider(record.key(), (InsiderState) record.value());
            case CONNECTIONS -> upsert(connections, record.key(), (ConnectionState) record.value());
            case PURCHASES -> upsert(purchases, record.key(), (PurchaseRecord) record.value());
            case UPDATES -> update((NetworkUpdate) record.value());
            default -> throw new IllegalStateException("unknown source " + kind);
        }
    }

    private void insider(final String id, final InsiderState after) {
        final InsiderState before = insiders.get(id);
        if (before != null) {
            byJoined.delete(IndexKeys.joined(before.getJoinedDate().toEpochMilli(), before.getSeq()));
            bySeq.delete(IndexKeys.seq(before.getSeq()));
        }
        if (after == null) {
            insiders.delete(id);
            return;
        }
        insiders.put(id, after);
        byJoined.put(IndexKeys.joined(after.getJoinedDate().toEpochMilli(), after.getSeq()), id);
        bySeq.put(IndexKeys.seq(after.getSeq()), id);
    }

    private void update(final NetworkUpdate update) {
        // the change feed is append-only: a null value carries nothing to index
        if (update == null || update.getUpdatedAt().isBefore(clock.instant().minus(retention))) {
            return;
        }
        final long offset = context.recordMetadata().map(m -> m.offset()).orElse(0L);
        updates.put(IndexKeys.update(update.getUpdatedAt().toEpochMilli(), update.getInsiderId(), offset), update);
    }

    private void expireUpdates() {
        final long horizon = clock.instant().minus(retention).toEpochMilli();
        final List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, NetworkUpdate> it = updates.range(IndexKeys.updateFloor(Long.MIN_VALUE),
            IndexKeys.updateFloor(horizon))) {
            it.forEachRemaining(kv -> {
                if (IndexKeys.updatedAt(kv.key) < horizon) {
                    expired.add(kv.key);
                }
            });
        }
        expired.forEach(updates::delete);
    }

    private static <V> void upsert(final KeyValueStore<String, V> store, final String key, final V value) {
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, value);
        }
    }
}
