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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network processor's stores and the writes that keep its outputs in step with them: the insiders and connections
 * stores are emitted to their topics when their record caches flush, at the latest at each commit
 * ({@link CacheFlushEmitter}), an insider with its merged change-feed entry; a connection put is scheduled for decay;
 * a purchase record is forwarded; a command goes to the task owning its key. Every concern of the processor
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
    /**
     * Change-feed entries noted since their insider was last emitted. Every insider with an entry here is dirty in
     * the insiders' record cache ({@link #noteUpdate}), so the entry is emitted and removed at the next flush, which
     * is at the latest the next commit: it never outlives a commit.
     */
    private final Map<String, PendingFeedEntry> pendingFeed = new HashMap<>();

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
        CacheFlushEmitter.register(context, context.getStateStore(StoreNames.CONNECTIONS),
            NetworkProcessor.CONNECTION_SINK, (key, deleted, timestamp) -> { });
        CacheFlushEmitter.register(context, context.getStateStore(StoreNames.INSIDERS), NetworkProcessor.INSIDER_SINK,
            this::emitFeed);
    }

    /** Drops the decoded-state caches: after a failure, states changed in place may not have been written back. */
    void clearCaches() {
        insiders.clear();
        connections.clear();
    }

    /**
     * Stores {@code insider} and notes its change-feed entry; both are emitted when the insiders' record cache is
     * flushed ({@link CacheFlushEmitter}): once per commit however often the insider changed.
     */
    void save(final LoadedInsider insider, final List<ConnectionChange> changes, final Instant time) {
        final InsiderState state = insider.state();
        final NetworkUpdateType type = insider.created() ? NetworkUpdateType.INSIDER_ADDED
            : changes.isEmpty() ? NetworkUpdateType.INSIDER_UPDATED : NetworkUpdateType.CONNECTIONS_UPDATED;
        noteUpdate(state, type, changes, time);
    }

    /**
     * Notes a change-feed entry of {@code insider} (merged with the others of this emission interval,
     * {@link PendingFeedEntry}) and writes the insider, so that its cache entry is flushed, and the entry emitted with
     * it, at the next commit.
     */
    void noteUpdate(final InsiderState insider, final NetworkUpdateType type, final List<ConnectionChange> changes,
                    final Instant time) {
        pendingFeed.computeIfAbsent(insider.getInsiderId(), PendingFeedEntry::new).note(insider, type, changes, time);
        insiders.put(insider.getInsiderId(), insider);
    }

    /**
     * Forwards the change-feed entry of an insider whose state was just emitted: one record per
     * {@link #CHANGES_PER_UPDATE} connection changes (a share may have 1,000 recipients with 512-character handles,
     * more than a Kafka record holds in one).
     */
    private void emitFeed(final String insiderId, final boolean deleted, final long timestamp) {
        final PendingFeedEntry entry = pendingFeed.remove(insiderId);
        if (entry == null || deleted) {
            return;
        }
        for (final NetworkUpdate update : entry.toUpdates(CHANGES_PER_UPDATE)) {
            context.forward(new Record<String, SpecificRecord>(insiderId, update, update.getUpdatedAt().toEpochMilli()),
                NetworkProcessor.UPDATES_SINK);
        }
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
    void putConnection(final String key, final double expiredBefore, final ConnectionState after) {
        final double expiry = expiry(after);
        if (expiredBefore < 0 || expiry < expiredBefore) {
            scheduleDecay(expiry, key);
        }
        connections.put(key, after);
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

    /**
     * Deletes a connection (its tombstone is emitted at the next flush); its schedule entries go when the decay scan
     * reaches them.
     */
    ConnectionChange removeConnection(final String key, final ConnectionState connection) {
        connections.delete(key);
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
