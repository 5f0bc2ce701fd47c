package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network processor's stores and the writes that keep its outputs in step with them: an insider saved is
 * forwarded with its change-feed entry, a connection put or removed is forwarded (and scheduled for decay), a
 * purchase record is forwarded, a command goes to the task owning its key. Every concern of the processor
 * ({@link LastTouchAttribution}, {@link ExactTotals}, {@link Visitors}, {@link DecayScan},
 * {@link LegacyIndexUpgrades}) writes through this class, so the outputs always mirror the stores.
 */
final class NetworkStores {

    /** Connection changes per network-updates record: 100 x (512 characters x 3 bytes) stays far under 1 MB. */
    static final int CHANGES_PER_UPDATE = 100;
    /** Decoded states kept per task: hubs and recently active insiders are read far more often than the rest. */
    private static final int INSIDER_CACHE = 10_000;
    private static final int CONNECTION_CACHE = 20_000;
    private static final String NEXT_SEQ_KEY = "next";
    /** Sequence numbers are counter * SEQ_STRIDE + partition: unique across tasks without coordination. */
    private static final long SEQ_STRIDE = 1024;
    private static final Logger log = LoggerFactory.getLogger(NetworkStores.class);

    private final ProcessorContext<String, SpecificRecord> context;
    private final GraphParameters parameters;
    final StateCache<InsiderState> insiders;
    final StateCache<ConnectionState> connections;
    final KeyValueStore<String, Long> seenEvents;
    final KeyValueStore<String, PurchaseRecord> purchases;
    /** The string-keyed secondary indexes, one key family each ({@link IndexKeys}). */
    final KeyValueStore<String, String> index;
    private final KeyValueStore<String, Long> sequences;
    private final Sensor deadLetters;
    private final DeadLetters deadLetterCounter;
    /**
     * Stream time through which the decay scan has visited (and deleted) the schedule; entries are keyed after it
     * ({@link #scheduleDecay}), so a scan seeks past it instead of stepping over the tombstones RocksDB keeps of the
     * deleted entries until a compaction. Held in memory: a new processor scans from the schedule's start once.
     */
    private long decayScannedThrough = Long.MIN_VALUE;

    NetworkStores(final ProcessorContext<String, SpecificRecord> context, final GraphParameters parameters,
                  final Sensor deadLetters, final DeadLetters deadLetterCounter) {
        this.context = context;
        this.parameters = parameters;
        this.insiders = new StateCache<>(context.getStateStore(StoreNames.INSIDERS), INSIDER_CACHE);
        this.connections = new StateCache<>(context.getStateStore(StoreNames.CONNECTIONS), CONNECTION_CACHE);
        this.seenEvents = context.getStateStore(StoreNames.SEEN_EVENTS);
        this.sequences = context.getStateStore(StoreNames.SEQUENCES);
        this.purchases = context.getStateStore(StoreNames.PURCHASES);
        this.index = context.getStateStore(StoreNames.INDEX);
        this.deadLetters = deadLetters;
        this.deadLetterCounter = deadLetterCounter;
    }

    /** Drops the decoded-state caches: after a failure, states changed in place may not have been written back. */
    void clearCaches() {
        insiders.clear();
        connections.clear();
    }

    void save(final LoadedInsider insider, final List<ConnectionChange> changes, final Instant time) {
        final InsiderState state = insider.state();
        insiders.put(state.getInsiderId(), state);
        context.forward(new Record<String, SpecificRecord>(state.getInsiderId(), state, time.toEpochMilli()),
            NetworkProcessor.INSIDER_SINK);
        final NetworkUpdateType type = insider.created() ? NetworkUpdateType.INSIDER_ADDED
            : changes.isEmpty() ? NetworkUpdateType.INSIDER_UPDATED : NetworkUpdateType.CONNECTIONS_UPDATED;
        forwardUpdate(state, type, changes, time);
    }

    /**
     * Forwards the change-feed entry of {@code insider}: one record per {@link #CHANGES_PER_UPDATE} connection changes
     * (a share may have 1,000 recipients with 512-character handles, more than a Kafka record holds in one).
     */
    void forwardUpdate(final InsiderState insider, final NetworkUpdateType type,
                               final List<ConnectionChange> changes, final Instant time) {
        int from = 0;
        do {
            final int to = Math.min(changes.size(), from + CHANGES_PER_UPDATE);
            final NetworkUpdate update = NetworkUpdate.newBuilder()
                .setInsiderId(insider.getInsiderId())
                .setNetworkId(insider.getNetworkId())
                .setUpdateType(type)
                .setJoinedDate(insider.getJoinedDate())
                .setUpdatedAt(time)
                .setConnections(from == 0 && to == changes.size() ? changes : changes.subList(from, to))
                .build();
            context.forward(new Record<String, SpecificRecord>(insider.getInsiderId(), update,
                time.toEpochMilli()), NetworkProcessor.UPDATES_SINK);
            from = to;
        } while (from < changes.size());
    }

    double expiry(final ConnectionState connection) {
        return parameters.expiryMillis(connection.getScore(), connection.getScoreTime().toEpochMilli());
    }

    /**
     * Stores and forwards a connection. Its decay schedule is kept lazily: every connection has a schedule entry at
     * or before its expiry, and the decay scan re-schedules one that has not expired when it gets there. So only a
     * new connection, or one whose expiry moved earlier (a retracted credit), writes an entry; the many updates that
     * only push the expiry out write none (they used to delete and write one each).
     *
     * @param expiredBefore the connection's expiry before this change, or -1 for a new connection
     */
    void putConnection(final String key, final double expiredBefore, final ConnectionState after,
                               final Instant time) {
        final double expiry = expiry(after);
        if (expiredBefore < 0 || expiry < expiredBefore) {
            scheduleDecay(expiry, key);
        }
        connections.put(key, after);
        context.forward(new Record<String, SpecificRecord>(key, after, time.toEpochMilli()),
            NetworkProcessor.CONNECTION_SINK);
    }

    /**
     * Schedules connection {@code key} for the decay scan at {@code expiry}, or just after the scan's last bound when
     * that is later (a late event can create a connection that has expired already: the next scan removes it).
     */
    void scheduleDecay(final double expiry, final String key) {
        index.put(IndexKeys.decay(Math.max((long) expiry, decayScannedThrough + 1), key), key);
    }

    long decayScannedThrough() {
        return decayScannedThrough;
    }

    void decayScanned(final long streamTime) {
        decayScannedThrough = Math.max(decayScannedThrough, streamTime);
    }

    /** Deletes and forwards a connection; its schedule entries go when the decay scan reaches them. */
    ConnectionChange removeConnection(final String key, final ConnectionState connection,
                                              final Instant time) {
        connections.delete(key);
        context.forward(new Record<String, SpecificRecord>(key, null, time.toEpochMilli()),
            NetworkProcessor.CONNECTION_SINK);
        return new ConnectionChange(connection.getTargetId(), connection.getWeight(), ChangeType.REMOVED);
    }

    /**
     * Forwards a purchase record with its credit ({@code attributed_to}). The store keeps the record as received: the
     * credit is in its slot ({@code pu}), so a settlement writes the topic only, not the store and its changelog.
     */
    void publishPurchase(final PurchaseRecord record) {
        final String key = record.getInsiderId() + ConnectionKeys.SEPARATOR + record.getEventId();
        context.forward(new Record<String, SpecificRecord>(key, record, record.getTimestamp().toEpochMilli()),
            NetworkProcessor.PURCHASE_SINK);
    }

    /** Sends a command to the task owning {@code key}, with the wall-clock time it was sent ({@link CommandDelay}). */
    void command(final String key, final Instant time, final SpecificRecord payload) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(CommandDelay.SENT_HEADER, CommandDelay.sentAt(context.currentSystemTimeMs()));
        context.forward(new Record<String, SpecificRecord>(key, new GraphCommand(time, payload), time.toEpochMilli(),
            headers), NetworkProcessor.COMMAND_SINK);
    }

    /** An index entry that does not parse (written before key parts were checked): logged, counted, dropped. */
    void malformed(final String key, final RuntimeException e) {
        log.warn("Dropped index entry {} that does not parse: {}", key.replace(IndexKeys.SEP, "\\u0001"),
            e.toString());
        deadLetters.record();
        deadLetterCounter.record(DeadLetters.MALFORMED_INDEX_ENTRY);
    }

    long nextCounter(final String key) {
        final Long next = sequences.get(key);
        final long counter = next == null ? 1 : next;
        sequences.put(key, counter + 1);
        return counter;
    }

    long nextSeq() {
        return nextCounter(NEXT_SEQ_KEY) * SEQ_STRIDE + context.taskId().partition();
    }
}
