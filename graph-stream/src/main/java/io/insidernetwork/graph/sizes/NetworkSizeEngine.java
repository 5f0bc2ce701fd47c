package io.insidernetwork.graph.sizes;

import io.insidernetwork.graph.logic.DegreeGraph;
import io.insidernetwork.graph.logic.EventValidator;
import io.insidernetwork.graph.processor.ConnectionKeys;
import io.insidernetwork.schemas.graph.NetworkSizes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Exact network sizes (insiders at shortest outgoing distance 1, 2 and 3) over the insider graph held in memory,
 * without Kafka: {@link NetworkSizeService} feeds it the insider-to-insider connections and writes what
 * {@link #run} returns. Not thread-safe; one instance per service session.
 *
 * <p>A change of a source's outgoing connections marks the source fresh. A run first recomputes the fresh sources
 * themselves (a hub that shares sees its own first degree at once), then, once the previous expansion is drained
 * and the expansion interval has passed since it started, expands all fresh sources together into the insiders within two reverse steps of them (the only ones whose sizes
 * can change) and recomputes as many of those as the run's budget allows, in later runs the rest. Only sizes that
 * differ from what this engine returned last for the insider are returned.
 */
public final class NetworkSizeEngine {

    /** Pending insiders recomputed by one batched search, between two looks at the clock (at least one per run). */
    private static final int BATCH = DegreeGraph.MAX_BATCH;
    private static final int UNKNOWN = -1;

    private final DegreeGraph graph = new DegreeGraph();
    private final int maxPerRun;
    private final long budgetNanos;
    private final long expansionIntervalNanos;
    private final LongSupplier nanoClock;
    /** When the last expansion started (nano clock), or null before the first. */
    private Long lastExpansion;
    /** Sources changed since the last expansion, with the latest time of their changes. */
    private final Map<String, Long> fresh = new LinkedHashMap<>();
    /** Fresh sources whose own sizes were recomputed since they last changed (ahead of their expansion). */
    private final Set<String> ownSizesDone = new HashSet<>();
    private int[] pending = new int[0];
    private int pendingNext;
    private long pendingTime = Long.MIN_VALUE;
    /** Sizes last returned per dense node id, three ints per node; {@link #UNKNOWN} when none was. */
    private int[] returned = new int[0];
    /** The counts of one batched search, three per insider. */
    private final long[] batchCounts = new long[3 * BATCH];

    /** What a run found. */
    public record Run(List<NetworkSizes> changed, int recomputed, boolean expanded, boolean drained) {
    }

    /**
     * @param maxPerRun   insiders recomputed per run at most
     * @param budgetNanos time a run recomputes for at most (checked every {@value #BATCH} insiders)
     * @param nanoClock   the clock of that budget ({@link System#nanoTime} outside tests)
     */
    public NetworkSizeEngine(final int maxPerRun, final long budgetNanos, final LongSupplier nanoClock) {
        this(maxPerRun, budgetNanos, 0, nanoClock);
    }

    /**
     * @param expansionIntervalNanos time between the starts of two expansions at least: the sources changed meanwhile
     *                               wait (their own sizes do not) and are expanded together, so an insider's sizes
     *                               are written at most about once per interval however often its neighbourhood
     *                               changes
     */
    public NetworkSizeEngine(final int maxPerRun, final long budgetNanos, final long expansionIntervalNanos,
                             final LongSupplier nanoClock) {
        if (maxPerRun < 1 || budgetNanos < 1 || expansionIntervalNanos < 0) {
            throw new IllegalArgumentException("maxPerRun and budgetNanos must be positive, the interval not negative");
        }
        this.maxPerRun = maxPerRun;
        this.budgetNanos = budgetNanos;
        this.expansionIntervalNanos = expansionIntervalNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * Applies one connection as it now is: present ({@code source → target} exists) or removed. With
     * {@code fresh}, a change of the graph marks the source for recompute; without it the graph only catches up
     * with connections whose sizes were already written (a restart's replay). Self-loops are ignored.
     *
     * @return whether the graph changed
     */
    public boolean apply(final String source, final String target, final boolean present, final long time,
                         final boolean fresh) {
        final boolean changed = present ? graph.add(source, target) : graph.remove(source, target);
        if (changed && fresh) {
            this.fresh.merge(source, time, Math::max);
            ownSizesDone.remove(source);
        }
        return changed;
    }

    /**
     * Applies one record of the connections topic: key "source|target", present unless a tombstone. Connections to
     * handles and device fingerprints are not in the insider graph and are skipped, as are keys of no connection.
     *
     * @return whether the graph changed
     */
    public boolean applyConnection(final String key, final boolean present, final long time, final boolean fresh) {
        if (key == null || !key.contains(ConnectionKeys.SEPARATOR)) {
            return false;
        }
        final String source = ConnectionKeys.source(key);
        final String target = ConnectionKeys.target(key);
        return EventValidator.isInsiderId(source) && EventValidator.isInsiderId(target)
            && apply(source, target, present, time, fresh);
    }

    /** True when nothing waits: no fresh source, no expansion being drained. */
    public boolean idle() {
        return fresh.isEmpty() && pendingNext == pending.length;
    }

    /** Insiders of the current expansion not recomputed yet. */
    public int pendingCount() {
        return pending.length - pendingNext;
    }

    /** Sources changed since the last expansion. */
    public int freshCount() {
        return fresh.size();
    }

    /**
     * One run within the budgets: the fresh sources' own sizes, then, when the previous expansion is drained, a new
     * expansion of every fresh source, then pending insiders. {@link Run#expanded} says a new expansion took every
     * fresh source (everything applied so far is in it); {@link Run#drained} that the expansion is now drained.
     */
    public Run run() {
        final long started = nanoClock.getAsLong();
        final List<NetworkSizes> changed = new ArrayList<>();
        int done = 0;
        for (final Map.Entry<String, Long> source : fresh.entrySet()) {
            if (done >= maxPerRun) {
                break;
            }
            if (ownSizesDone.add(source.getKey())) {
                recompute(graph.idOf(source.getKey()), source.getValue(), changed);
                done++;
            }
        }
        boolean expanded = false;
        if (pendingNext == pending.length && !fresh.isEmpty()
            && (lastExpansion == null || started - lastExpansion >= expansionIntervalNanos)) {
            lastExpansion = started;
            // all fresh sources at once: a hub that changed many times is expanded once
            pending = graph.affectedIds(fresh.keySet());
            pendingNext = 0;
            pendingTime = fresh.values().stream().mapToLong(Long::longValue).max().orElse(pendingTime);
            fresh.clear();
            ownSizesDone.clear();
            expanded = true;
        }
        final boolean hadPending = pendingNext < pending.length;
        // one batched search per BATCH pending insiders; the clock is read between batches, once a run did BATCH
        while (pendingNext < pending.length && done < maxPerRun
            && (done < BATCH || nanoClock.getAsLong() - started < budgetNanos)) {
            final int count = Math.min(BATCH, Math.min(pending.length - pendingNext, maxPerRun - done));
            graph.sizes(pending, pendingNext, count, batchCounts);
            for (int i = 0; i < count; i++) {
                remember(pending[pendingNext + i], batchCounts[3 * i], batchCounts[3 * i + 1],
                    batchCounts[3 * i + 2], pendingTime, changed);
            }
            pendingNext += count;
            done += count;
        }
        final boolean drained = (hadPending || expanded) && pendingNext == pending.length;
        if (drained) {
            pending = new int[0];
            pendingNext = 0;
        }
        return new Run(changed, done, expanded, drained);
    }

    private void recompute(final int node, final long time, final List<NetworkSizes> changed) {
        if (node < 0) {
            return;
        }
        final DegreeGraph.Sizes sizes = graph.sizes(node);
        remember(node, sizes.first(), sizes.second(), sizes.third(), time, changed);
    }

    /** Adds the sizes of {@code node} to {@code changed} unless they are what this engine returned last for it. */
    private void remember(final int node, final long firstDegree, final long secondDegree, final long thirdDegree,
                          final long time, final List<NetworkSizes> changed) {
        final int base = node * 3;
        if (base + 3 > returned.length) {
            final int from = returned.length;
            returned = Arrays.copyOf(returned, Math.max(base + 3, returned.length * 2));
            Arrays.fill(returned, from, returned.length, UNKNOWN);
        }
        final int first = (int) firstDegree;
        final int second = (int) secondDegree;
        final int third = (int) thirdDegree;
        if (returned[base] == first && returned[base + 1] == second && returned[base + 2] == third) {
            return;
        }
        returned[base] = first;
        returned[base + 1] = second;
        returned[base + 2] = third;
        final String insider = graph.name(node);
        changed.add(new NetworkSizes(insider, firstDegree, secondDegree, thirdDegree, Instant.ofEpochMilli(time)));
    }
}
