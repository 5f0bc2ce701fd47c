package io.insidernetwork.graph.processor;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts, in bounded batches from the wall-clock punctuation, index entries an older version wrote: share entries
 * of the legacy layout, entries of retired kinds and shared-instance entries that kept their counts under keys of
 * their own. Each conversion stops for good once nothing is left (the last one marks the store).
 */
final class LegacyIndexUpgrades {

    /** Legacy index entries migrated or deleted per run. */
    private static final int BATCH = 10_000;
    private static final Logger log = LoggerFactory.getLogger(LegacyIndexUpgrades.class);

    private final NetworkStores stores;
    private final ExactTotals totals;
    private final KeyValueStore<String, String> index;
    /** Whether share entries of the legacy index layout may be left to migrate. */
    private boolean legacyInbound = true;
    /** Whether index entries of retired kinds ({@link IndexKeys#retiredPrefixes}) may be left to delete. */
    private boolean retiredEntries = true;
    /** Whether shared-instance entries of the older layout (counts under their own keys) may be left to convert. */
    private boolean legacyInstances;
    /** The last shared-instance entry {@link #convertLegacyInstances} looked at, or null to start at the first. */
    private String instanceCursor;

    LegacyIndexUpgrades(final NetworkStores stores, final ExactTotals totals) {
        this.stores = stores;
        this.totals = totals;
        this.index = stores.index;
        this.legacyInstances = index.get(IndexKeys.instanceCountsConverted()) == null;
    }

    /**
     * Migrates a batch of legacy share entries; true once none is left (until then a fact settled could miss its
     * latest touch, so attribution waits).
     */
    boolean sharesMigrated() {
        if (legacyInbound) {
            legacyInbound = migrateLegacyInbound(BATCH);
        }
        return !legacyInbound;
    }

    /** Deletes a batch of retired entries and converts a batch of shared-instance entries, while any are left. */
    void cleanUp() {
        if (retiredEntries) {
            retiredEntries = deleteRetiredEntries(BATCH);
        }
        if (legacyInstances) {
            legacyInstances = convertLegacyInstances(BATCH);
        }
    }

    /**
     * Moves up to {@code limit} share entries of the legacy layout ({@link IndexKeys#legacyInboundPrefix}) to the
     * touch entries; returns false once none is left. Runs in the wall-clock punctuation, so a store
     * written by an older version is converted in bounded steps while the task keeps processing.
     */
    private boolean migrateLegacyInbound(final int limit) {
        final List<String> legacy = new ArrayList<>();
        try (KeyValueIterator<String, String> all = index.prefixScan(IndexKeys.legacyInboundPrefix(),
            new StringSerializer())) {
            while (all.hasNext() && legacy.size() < limit) {
                legacy.add(all.next().key);
            }
        }
        for (final String key : legacy) {
            index.delete(key);
            try {
                // in|recipient|instance|sharer|time, the instance empty for referral links
                final List<String> parts = IndexKeys.split(key);
                if (parts.size() != 5) {
                    throw new IllegalArgumentException("legacy share key with " + parts.size() + " parts");
                }
                if (!parts.get(2).isEmpty()) {
                    final long time = Long.parseLong(parts.get(4));
                    index.put(IndexKeys.touch(parts.get(1), parts.get(2), time, parts.get(3)), "");
                    index.put(IndexKeys.anyTouch(parts.get(1), time, parts.get(3), parts.get(2)), "");
                }
            } catch (final IllegalArgumentException | IndexOutOfBoundsException e) {
                stores.malformed(key, e);
            }
        }
        if (!legacy.isEmpty()) {
            log.info("Migrated {} share index entries to the time-ordered layout", legacy.size());
        }
        return legacy.size() == limit;
    }

    /**
     * Deletes up to {@code limit} index entries of retired kinds ({@link IndexKeys#retiredPrefixes}: those of the
     * retired status broadcast, and the counters of distinct recipients and instances that insider states hold now);
     * returns false once none is left. Runs in the wall-clock punctuation, so a store written by an older version is
     * cleaned in bounded steps.
     */
    private boolean deleteRetiredEntries(final int limit) {
        final List<String> retired = new ArrayList<>();
        for (final String prefix : IndexKeys.retiredPrefixes()) {
            try (KeyValueIterator<String, String> all = index.prefixScan(prefix, new StringSerializer())) {
                while (all.hasNext() && retired.size() < limit) {
                    retired.add(all.next().key);
                }
            }
        }
        retired.forEach(index::delete);
        if (!retired.isEmpty()) {
            log.info("Deleted {} index entries of retired kinds", retired.size());
        }
        return retired.size() == limit;
    }

    /**
     * Converts the shared-instance entries an older version wrote, up to {@code limit} entries looked at per run,
     * from {@link #instanceCursor} on; returns false once every entry was looked at (and marks the store, so a
     * restart does not look again). Runs in the wall-clock punctuation, so a store written by an older version is
     * converted in bounded steps while the task keeps processing; entries used before are converted on first use.
     */
    private boolean convertLegacyInstances(final int limit) {
        final String prefix = IndexKeys.sharedInstancePrefix();
        final List<String> legacy = new ArrayList<>();
        int seen = 0;
        String last = null;
        try (KeyValueIterator<String, String> range = index.range(instanceCursor == null ? prefix : instanceCursor,
            prefix + "\uffff")) {
            while (range.hasNext() && seen < limit) {
                final KeyValue<String, String> entry = range.next();
                if (entry.key.equals(instanceCursor)) {
                    continue;
                }
                seen++;
                last = entry.key;
                if (InstanceCounts.LEGACY.equals(entry.value)) {
                    legacy.add(entry.key);
                }
            }
        }
        for (final String key : legacy) {
            final List<String> parts = IndexKeys.split(key);
            if (parts.size() == 3) {
                totals.convertLegacyInstance(parts.get(1), parts.get(2));
            } else {
                stores.malformed(key,
                    new IllegalArgumentException("shared-instance key with " + parts.size() + " parts"));
                index.delete(key);
            }
        }
        if (!legacy.isEmpty()) {
            log.info("Converted {} shared-instance index entries to hold their counts", legacy.size());
        }
        if (seen < limit) {
            index.put(IndexKeys.instanceCountsConverted(), "");
            return false;
        }
        instanceCursor = last;
        return true;
    }
}
