package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact totals behind an insider's bounded lists: distinct recipients (index sets {@code rr} and {@code ir}), one
 * counts entry per (sharer, instance) ({@code ii}: shares, recipients, signups), signup credits ({@code sc}), converted
 * recipients ({@code cv}, {@code cn}) and the cross-partner counts. The insider's own totals are fields of its state,
 * set by the callers from what these methods return; states and instance entries an older version wrote are converted
 * on first use.
 */
final class ExactTotals {

    private static final Logger log = LoggerFactory.getLogger(ExactTotals.class);

    private final NetworkStores stores;
    private final KeyValueStore<String, String> index;

    ExactTotals(final NetworkStores stores) {
        this.stores = stores;
        this.index = stores.index;
    }

    /**
     * Counts one share of {@code instance} by {@code sharer} with {@code recipients}; returns the totals after it.
     * The sets {@code rr} and {@code ir} make the counts distinct; the instance's counts are one entry written once
     * per share, the sharer's own counts are fields of its {@code state} (set from the totals by the caller).
     */
    InsiderStates.ShareTotals noteShare(final InsiderState state, final String sharer, final String instance,
                                                final Iterable<String> recipients) {
        final InstanceCounts known = instanceCounts(sharer, instance);
        long newRecipients = 0;
        long distinctRecipients = state.getDistinctRecipients();
        for (final String recipient : recipients) {
            final int added = noteRecipient(sharer, instance, recipient);
            newRecipients += added > 0 ? 1 : 0;
            distinctRecipients += added > 1 ? 1 : 0;
        }
        final InstanceCounts counts = (known == null ? InstanceCounts.ZERO : known).plus(1, newRecipients, 0);
        index.put(IndexKeys.sharedInstance(sharer, instance), counts.encode());
        return totals(counts, state.getInstancesSharedTotal() + (known == null ? 1 : 0), distinctRecipients);
    }

    /**
     * Counts (or, {@code credited} false, takes back) the signup credit of {@code recipient} for {@code sharer}'s
     * {@code instance}; a credited recipient is also a recipient of the instance. Returns the totals after it.
     */
    InsiderStates.ShareTotals noteSignup(final InsiderState state, final String sharer, final String instance,
                                                 final String recipient, final boolean credited) {
        final InstanceCounts known = instanceCounts(sharer, instance);
        final String key = IndexKeys.instanceSignup(sharer, instance, recipient);
        int added = 0;
        long signups = 0;
        if (credited) {
            added = noteRecipient(sharer, instance, recipient);
            if (index.get(key) == null) {
                index.put(key, "");
                signups = 1;
            }
        } else if (index.get(key) != null) {
            index.delete(key);
            signups = -1;
        }
        final InstanceCounts counts = (known == null ? InstanceCounts.ZERO : known)
            .plus(0, added > 0 ? 1 : 0, signups);
        if (known == null || !counts.equals(known)) {
            index.put(IndexKeys.sharedInstance(sharer, instance), counts.encode());
        }
        return totals(counts, state.getInstancesSharedTotal() + (known == null ? 1 : 0),
            state.getDistinctRecipients() + (added > 1 ? 1 : 0));
    }

    /**
     * Notes {@code recipient} of {@code sharer}'s {@code instance}: 0 when it was one already, 1 when it is new to
     * the instance only, 2 when it is also new to the sharer.
     */
    int noteRecipient(final String sharer, final String instance, final String recipient) {
        final String key = IndexKeys.instanceRecipient(sharer, instance, recipient);
        if (index.get(key) != null) {
            return 0;
        }
        index.put(key, "");
        final String any = IndexKeys.recipient(sharer, recipient);
        if (index.get(any) != null) {
            return 1;
        }
        index.put(any, "");
        return 2;
    }

    /**
     * The counts of {@code sharer}'s {@code instance}, or null when it has no entry (never shared nor credited). An
     * entry an older version wrote is converted first ({@link #convertLegacyInstance}); one whose value does not
     * parse is counted and dropped (its counts start again from 0, the instance still known).
     */
    InstanceCounts instanceCounts(final String sharer, final String instance) {
        final String key = IndexKeys.sharedInstance(sharer, instance);
        final String value = index.get(key);
        if (value == null) {
            return null;
        }
        if (value.equals(InstanceCounts.LEGACY)) {
            return convertLegacyInstance(sharer, instance);
        }
        try {
            return InstanceCounts.decode(value);
        } catch (final IllegalArgumentException e) {
            stores.malformed(key, e);
            index.put(key, InstanceCounts.ZERO.encode());
            return InstanceCounts.ZERO;
        }
    }

    /**
     * Moves the counts an older version kept under their own keys ({@link IndexKeys#legacyInstanceCounters}) into the
     * entry of {@code sharer}'s {@code instance} and deletes them; returns the counts. A counter that does not parse
     * is counted as malformed and read as 0.
     */
    InstanceCounts convertLegacyInstance(final String sharer, final String instance) {
        final List<String> keys = IndexKeys.legacyInstanceCounters(sharer, instance);
        final long[] counts = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            final String value = index.get(keys.get(i));
            if (value != null) {
                try {
                    counts[i] = Math.max(0, Long.parseLong(value));
                } catch (final NumberFormatException e) {
                    stores.malformed(keys.get(i), e);
                }
                index.delete(keys.get(i));
            }
        }
        final InstanceCounts converted = new InstanceCounts(counts[0], counts[1], counts[2]);
        index.put(IndexKeys.sharedInstance(sharer, instance), converted.encode());
        return converted;
    }

    static InsiderStates.ShareTotals totals(final InstanceCounts counts, final long instances,
                                                    final long distinctRecipients) {
        return new InsiderStates.ShareTotals(counts.shares(), counts.recipients(), counts.signups(), instances,
            distinctRecipients);
    }

    /**
     * A state written before the lists were bounded has no totals (0) but complete lists: its totals are seeded from
     * its lists once (and its instances' entries written), so its totals and conversion rate stay exact from then on.
     */
    void seedLegacyTotals(final InsiderState state) {
        if (state.getInstancesSharedTotal() > 0 || state.getInstancesShared().isEmpty()) {
            return;
        }
        final String sharer = state.getInsiderId();
        long instances = 0;
        long distinctRecipients = state.getDistinctRecipients();
        for (final InstanceShared entry : state.getInstancesShared()) {
            final String instance = entry.getInstanceId();
            final InstanceCounts known = instanceCounts(sharer, instance);
            instances++;
            long newRecipients = 0;
            for (final String recipient : entry.getSharedWith()) {
                final int added = noteRecipient(sharer, instance, recipient);
                newRecipients += added > 0 ? 1 : 0;
                distinctRecipients += added > 1 ? 1 : 0;
            }
            long newSignups = 0;
            for (final String recipient : entry.getSignup()) {
                final int added = noteRecipient(sharer, instance, recipient);
                newRecipients += added > 0 ? 1 : 0;
                distinctRecipients += added > 1 ? 1 : 0;
                final String key = IndexKeys.instanceSignup(sharer, instance, recipient);
                if (index.get(key) == null) {
                    index.put(key, "");
                    newSignups++;
                }
            }
            InstanceCounts counts = (known == null ? InstanceCounts.ZERO : known).plus(0, newRecipients, newSignups);
            if (counts.shares() == 0 && entry.getShares() > 0) {
                counts = counts.plus(entry.getShares(), 0, 0);
            }
            index.put(IndexKeys.sharedInstance(sharer, instance), counts.encode());
            entry.setSharedWithTotal(counts.recipients());
            entry.setSignupTotal(counts.signups());
        }
        state.setInstancesSharedTotal(instances);
        state.setDistinctRecipients(distinctRecipients);
        log.info("Seeded the share totals of {} from its unbounded lists", sharer);
    }

    /** Adds {@code delta} to the count under {@code key} (deleted at 0) and returns the new count. */
    long adjustCount(final String key, final long delta) {
        final String current = index.get(key);
        final long count = Math.max(0, (current == null ? 0 : Long.parseLong(current)) + delta);
        if (count == 0) {
            index.delete(key);
        } else {
            index.put(key, Long.toString(count));
        }
        return count;
    }

    /** Counts one credit more or less of {@code recipient} for {@code sharer}; converted while at least one. */
    void adjustConverted(final String sharer, final String recipient, final long delta) {
        final String key = IndexKeys.converted(sharer, recipient);
        final boolean before = index.get(key) != null;
        final boolean after = adjustCount(key, delta) > 0;
        if (after != before) {
            adjustCount(IndexKeys.convertedCount(sharer), after ? 1 : -1);
            if (index.get(IndexKeys.crossPartnerRecipient(sharer, recipient)) != null) {
                adjustCount(IndexKeys.crossPartnerConverted(sharer), after ? 1 : -1);
            }
        }
    }

    /**
     * {@code sharer} shared with {@code recipient} in a partner network other than its own: the recipient counts in
     * the cross-partner conversion rate (once, converted or not).
     */
    void addCrossPartnerRecipient(final String sharer, final String recipient) {
        final String key = IndexKeys.crossPartnerRecipient(sharer, recipient);
        if (index.get(key) == null) {
            index.put(key, "");
            adjustCount(IndexKeys.crossPartnerShared(sharer), 1);
            if (index.get(IndexKeys.converted(sharer, recipient)) != null) {
                adjustCount(IndexKeys.crossPartnerConverted(sharer), 1);
            }
        }
    }

    /** Sets the conversion rate and the cross-partner conversion rate from the current counts. */
    void updateConversion(final InsiderState state, final Instant time) {
        final String id = state.getInsiderId();
        InsiderStates.setConverted(state, convertedCount(id), time);
        InsiderStates.setCrossPartnerConverted(state, count(IndexKeys.crossPartnerConverted(id)),
            count(IndexKeys.crossPartnerShared(id)), time);
    }

    long count(final String key) {
        final String count = index.get(key);
        return count == null ? 0 : Long.parseLong(count);
    }

    long convertedCount(final String sharer) {
        final String count = index.get(IndexKeys.convertedCount(sharer));
        return count == null ? 0 : Long.parseLong(count);
    }
}
