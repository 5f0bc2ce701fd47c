package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-time scan (every {@code graph.decay.scan.interval.ms}): removes the connections whose weight decayed
 * below the threshold, visiting only the due entries of the time-ordered decay schedule ({@code dx}), and forgets
 * event ids applied longer ago than the dedupe retention (an incremental walk over the seen-events store).
 */
final class DecayScan {

    private static final Logger log = LoggerFactory.getLogger(DecayScan.class);
    /** Seen-event entries the purge visits per event id stored since the previous scan. */
    private static final int PURGE_VISITS_PER_EVENT = 2;
    /** Seen-event entries the purge visits per scan at least. */
    private static final int PURGE_MIN_VISITS = 1_000;

    private final GraphParameters parameters;
    private final NetworkStores stores;
    private final StateCache<InsiderState> insiders;
    private final StateCache<ConnectionState> connections;
    private final KeyValueStore<String, Long> seenEvents;
    private final KeyValueStore<String, String> index;
    /** Where the purge walk goes on (inclusive; visited again, harmless), or null for the store's beginning. */
    private String purgeCursor;
    private long storedSinceScan;

    DecayScan(final GraphParameters parameters, final NetworkStores stores) {
        this.parameters = parameters;
        this.stores = stores;
        this.insiders = stores.insiders;
        this.connections = stores.connections;
        this.seenEvents = stores.seenEvents;
        this.index = stores.index;
    }

    void removeDecayed(final long streamTime) {
        forgetOldEvents(streamTime);
        final List<KeyValue<String, String>> due = new ArrayList<>();
        final long scannedThrough = stores.decayScannedThrough();
        if (streamTime <= scannedThrough) {
            return;
        }
        // from after the previous scan's bound: see NetworkStores#scheduleDecay
        final String from = scannedThrough == Long.MIN_VALUE ? IndexKeys.decayPrefix()
            : IndexKeys.decay(scannedThrough + 1, "");
        try (KeyValueIterator<String, String> all = index.range(from, IndexKeys.decay(streamTime, "\uffff"))) {
            all.forEachRemaining(due::add);
        }
        stores.decayScanned(streamTime);
        final Map<String, List<ConnectionChange>> removedBySource = new LinkedHashMap<>();
        final Instant time = Instant.ofEpochMilli(streamTime);
        for (final KeyValue<String, String> entry : due) {
            final String key = entry.value;
            final ConnectionState connection = connections.get(key);
            index.delete(entry.key);
            if (connection == null) {
                continue;
            }
            if (stores.expiry(connection) <= streamTime) {
                connection.setWeight(parameters.weights().weight(parameters.weights()
                    .valueAt(new WeightModel.Score(connection.getScore(),
                        connection.getScoreTime()), time)));
                removedBySource.computeIfAbsent(connection.getSourceId(), s -> new ArrayList<>())
                    .add(stores.removeConnection(key, connection));
            } else {
                stores.scheduleDecay(stores.expiry(connection), key);
            }
        }
        removedBySource.forEach((source, changes) -> {
            final InsiderState state = insiders.get(source);
            if (state != null) {
                stores.noteUpdate(state, NetworkUpdateType.CONNECTIONS_UPDATED, changes, time);
            }
        });
        if (!removedBySource.isEmpty()) {
            log.info("Removed {} decayed connections of {} insiders at stream time {}",
                removedBySource.values().stream().mapToInt(List::size).sum(), removedBySource.size(), time);
        }
    }

    /** Counts one event id stored: the purge visits {@value #PURGE_VISITS_PER_EVENT} entries for each. */
    void eventStored() {
        storedSinceScan++;
    }

    /**
     * Purges event ids applied more than the dedupe retention ago (stream time): an incremental walk over the store in
     * key order, from where the last scan stopped, visiting {@value #PURGE_VISITS_PER_EVENT} entries per event id
     * stored since then (at least {@value #PURGE_MIN_VISITS}), so the walk keeps pace with the store's growth at a
     * cost of a few reads per event and no write (a time-ordered purge index cost a put and a changelog record per
     * event). An id is forgotten at the latest one walk after its retention. A key-value store with this purge rather
     * than a window store: a window store's changelog is also deleted by record time, which would lose the ids of old
     * (replayed) events on restore and apply their redeliveries twice.
     */
    private void forgetOldEvents(final long streamTime) {
        final long cutoff = streamTime - parameters.dedupeRetention().toMillis();
        final long budget = Math.max(PURGE_MIN_VISITS, storedSinceScan * PURGE_VISITS_PER_EVENT);
        storedSinceScan = 0;
        final List<String> old = new ArrayList<>();
        long visited = 0;
        String last = null;
        try (KeyValueIterator<String, Long> walk = seenEvents.range(purgeCursor, null)) {
            while (walk.hasNext() && visited < budget) {
                final KeyValue<String, Long> entry = walk.next();
                visited++;
                last = entry.key;
                if (entry.value != null && entry.value < cutoff) {
                    old.add(entry.key);
                }
            }
            // at the end of the store the next walk starts at its beginning again
            purgeCursor = walk.hasNext() ? last : null;
        }
        old.forEach(seenEvents::delete);
    }
}
