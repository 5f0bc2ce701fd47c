package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.DegreeGraph;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.EdgeChange;
import io.insidernetwork.schemas.graph.EdgeOp;
import io.insidernetwork.schemas.graph.NetworkSizes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps exact network sizes (insiders at shortest outgoing distance 1, 2, 3) of every insider. Runs as the single
 * task of its sub-topology over all insider-to-insider connection changes, holding the whole graph: the edges in a
 * changelogged store (the source of truth) mirrored in a {@link DegreeGraph} rebuilt on init. A change marks its
 * source dirty (persisted). Every {@code interval} of wall-clock time the dirty sources are expanded into the insiders
 * within two reverse steps of them (the pending set) and as many pending insiders as fit in a time budget are
 * recomputed by a bounded BFS; changed sizes are written as {@link NetworkSizes} records, keyed by insider id, to the
 * network-sizes topic. A source stays in the persisted dirty set until every insider of its expansion was recomputed,
 * so a crash mid-way only repeats work.
 *
 * <p>A sizes store written by a version that sent the sizes to the insiders' tasks as commands holds sizes the topic
 * never got: the first runs republish every entry of it, {@link #REPUBLISH_BATCH} per run, and a marker entry in the
 * same store remembers how far they got (and, at the end, that it is done).
 */
public final class NetworkSizeProcessor implements Processor<String, EdgeChange, String, NetworkSizes> {

    /** Child that writes network sizes. */
    public static final String SIZES_SINK = "network-sizes-sink";
    /** Stored sizes republished per run until all of them are (a store written by an older version). */
    public static final int REPUBLISH_BATCH = 10_000;
    /**
     * Key of the republish marker in the sizes store (no insider id starts with U+0000): the last insider
     * republished, or {@link #REPUBLISHED} once every stored size is on the topic.
     */
    public static final String REPUBLISH_MARKER = "\u0000republish";
    /** Value of the republish marker once every stored size is on the topic (no insider id starts with U+0000). */
    public static final String REPUBLISHED = "\u0000done";

    private static final Logger log = LoggerFactory.getLogger(NetworkSizeProcessor.class);
    /** Pending insiders recomputed between two looks at the clock (and at least per run). */
    private static final int BATCH = 64;
    /** Lowest insider key of the sizes store: above the marker. */
    private static final String FIRST_INSIDER = "\u0001";

    private final Duration interval;
    private final long budgetNanos;
    private final int maxPerRun;
    private ProcessorContext<String, NetworkSizes> context;
    private KeyValueStore<String, Long> edges;
    private KeyValueStore<String, Long> dirty;
    private KeyValueStore<String, String> sizes;
    private DegreeGraph graph;
    private Sensor recomputed;
    private Sensor backlog;
    /** Sources changed since the last expansion (all of them are in the dirty store too), with their latest time. */
    private final Map<String, Long> fresh = new LinkedHashMap<>();
    /** Sources whose expansion is being drained: deleted from the dirty store once {@link #pending} is empty. */
    private final Set<String> draining = new HashSet<>();
    /** Fresh sources whose own sizes were sent since they last changed (ahead of their expansion). */
    private final Set<String> ownSizesSent = new HashSet<>();
    private long drainingTime = Long.MIN_VALUE;
    private int[] pending = new int[0];
    private int pendingNext;
    /** Whether stored sizes may still wait to be republished (see the class comment). */
    private boolean republishing;

    /**
     * @param interval     wall-clock interval of the runs; a run recomputes pending insiders for at most a quarter
     *                     of it, so the stream thread it shares with event tasks stays mostly theirs
     * @param maxPerSecond pending insiders recomputed per second at most: a hub's change can make thousands of
     *                     insiders pending, and the runs share the stream thread with event tasks
     */
    public NetworkSizeProcessor(final Duration interval, final int maxPerSecond) {
        this.interval = interval;
        this.budgetNanos = interval.toNanos() / 4;
        this.maxPerRun = (int) Math.max(1, (long) maxPerSecond * interval.toMillis() / 1000);
    }

    @Override
    public void init(final ProcessorContext<String, NetworkSizes> context) {
        this.context = context;
        edges = context.getStateStore(StoreNames.GRAPH_EDGES);
        dirty = context.getStateStore(StoreNames.GRAPH_DIRTY);
        sizes = context.getStateStore(StoreNames.GRAPH_SIZES);
        graph = new DegreeGraph();
        final long started = System.nanoTime();
        try (KeyValueIterator<String, Long> all = edges.all()) {
            while (all.hasNext()) {
                final String key = all.next().key;
                graph.add(ConnectionKeys.source(key), ConnectionKeys.target(key));
            }
        }
        try (KeyValueIterator<String, Long> all = dirty.all()) {
            // sources whose expansion was not fully drained before a restart: expanded again
            all.forEachRemaining(kv -> fresh.put(kv.key, kv.value));
        }
        republishing = !REPUBLISHED.equals(sizes.get(REPUBLISH_MARKER));
        log.info("Network-size graph loaded: {} insiders, {} connections, {} dirty sources in {} ms",
            graph.nodeCount(), graph.edgeCount(), fresh.size(), (System.nanoTime() - started) / 1_000_000);
        recomputed = context.metrics().addRateTotalSensor("graph-stream", "network-size", "insiders-recomputed",
            Sensor.RecordingLevel.INFO);
        backlog = context.metrics().addRateTotalSensor("graph-stream", "network-size", "insiders-pending",
            Sensor.RecordingLevel.INFO);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(final Record<String, EdgeChange> record) {
        final EdgeChange change = record.value();
        if (change == null) {
            return;
        }
        final String key = ConnectionKeys.of(change.getSourceId(), change.getTargetId());
        final boolean changed;
        if (change.getOp() == EdgeOp.ADD) {
            changed = edges.get(key) == null && graph.add(change.getSourceId(), change.getTargetId());
            if (changed) {
                edges.put(key, change.getTime().toEpochMilli());
            }
        } else {
            changed = edges.get(key) != null;
            if (changed) {
                edges.delete(key);
                graph.remove(change.getSourceId(), change.getTargetId());
            }
        }
        if (changed) {
            final String source = change.getSourceId();
            final long time = change.getTime().toEpochMilli();
            final Long before = fresh.get(source);
            if (before == null || time > before) {
                fresh.put(source, time);
                dirty.put(source, time);
            }
            ownSizesSent.remove(source);
        }
    }

    /**
     * Republishes a batch of stored sizes while an older store's are not all on the topic, writes the fresh
     * sources' own sizes, expands the fresh sources once the previous expansion is drained, recomputes pending
     * insiders within the time and rate budgets and writes the sizes that changed.
     */
    void flush() {
        if (republishing) {
            republishing = republish(REPUBLISH_BATCH);
        }
        final long started = System.nanoTime();
        int done = 0;
        int sent = 0;
        // the insiders whose own connections changed first, without waiting for a big expansion to drain: a hub that
        // shares sees its first degree within a run (it is recomputed again with its expansion, and sent only if
        // its sizes changed again by then)
        for (final Map.Entry<String, Long> source : fresh.entrySet()) {
            if (done >= maxPerRun) {
                break;
            }
            if (ownSizesSent.add(source.getKey())) {
                sent += publish(source.getKey(), graph.sizes(source.getKey()), source.getValue()) ? 1 : 0;
                done++;
            }
        }
        if (pendingNext == pending.length && !fresh.isEmpty()) {
            // the whole batch at once: coalesces a hub that changed many times into one expansion
            pending = graph.affectedIds(fresh.keySet());
            pendingNext = 0;
            draining.addAll(fresh.keySet());
            drainingTime = fresh.values().stream().mapToLong(Long::longValue).max().orElse(drainingTime);
            fresh.clear();
            ownSizesSent.clear();
        }
        if (pending.length == 0 && draining.isEmpty()) {
            return;
        }
        while (pendingNext < pending.length && done < maxPerRun
            && (done % BATCH != 0 || done == 0 || System.nanoTime() - started < budgetNanos)) {
            final int id = pending[pendingNext++];
            sent += publish(graph.name(id), graph.sizes(id), drainingTime) ? 1 : 0;
            done++;
        }
        recomputed.record(done);
        backlog.record(pending.length - pendingNext);
        if (pendingNext == pending.length) {
            for (final String source : draining) {
                if (!fresh.containsKey(source)) {
                    // a source that changed again during the drain stays dirty for its next expansion
                    dirty.delete(source);
                }
            }
            draining.clear();
            pending = new int[0];
            pendingNext = 0;
        }
        log.debug("Network sizes: {} recomputed, {} changed, {} pending, {} ms", done, sent,
            pending.length - pendingNext, (System.nanoTime() - started) / 1_000_000);
    }

    /** Writes {@code now} to the sizes topic unless it is what was written last; true when written. */
    private boolean publish(final String insider, final DegreeGraph.Sizes now, final long time) {
        final String encoded = now.first() + "," + now.second() + "," + now.third();
        if (encoded.equals(sizes.get(insider))) {
            return false;
        }
        sizes.put(insider, encoded);
        forward(insider, now.first(), now.second(), now.third(), time);
        return true;
    }

    private void forward(final String insider, final long first, final long second, final long third,
                         final long time) {
        context.forward(new Record<>(insider, new NetworkSizes(insider, first, second, third,
            Instant.ofEpochMilli(time)), time), SIZES_SINK);
    }

    /**
     * Republishes up to {@code limit} stored sizes after the marker's position, as of now (the wall clock: the time
     * of the change behind a stored size was not kept); returns false once every stored size is republished.
     */
    private boolean republish(final int limit) {
        final String after = sizes.get(REPUBLISH_MARKER);
        final List<KeyValue<String, String>> batch = new ArrayList<>();
        try (KeyValueIterator<String, String> range = sizes.range(after == null ? FIRST_INSIDER : after, null)) {
            while (range.hasNext() && batch.size() < limit) {
                final KeyValue<String, String> entry = range.next();
                if (!entry.key.equals(after)) {
                    batch.add(entry);
                }
            }
        }
        final long now = context.currentSystemTimeMs();
        for (final KeyValue<String, String> entry : batch) {
            // "first,second,third", as publish writes it
            final String[] counts = entry.value.split(",", 3);
            forward(entry.key, Long.parseLong(counts[0]), Long.parseLong(counts[1]), Long.parseLong(counts[2]), now);
        }
        final boolean more = batch.size() == limit;
        sizes.put(REPUBLISH_MARKER, more ? batch.get(batch.size() - 1).key : REPUBLISHED);
        if (!batch.isEmpty()) {
            log.info("Republished {} stored network sizes to the sizes topic{}", batch.size(),
                more ? ", more to follow" : "; all are");
        }
        return more;
    }
}
