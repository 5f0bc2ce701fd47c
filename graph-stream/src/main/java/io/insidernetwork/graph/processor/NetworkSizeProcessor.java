package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.DegreeGraph;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.EdgeChange;
import io.insidernetwork.schemas.graph.EdgeOp;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.NetworkSizeUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
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
 * recomputed by a bounded BFS; changed sizes are sent to their owners as commands. A source stays in the persisted
 * dirty set until every insider of its expansion was recomputed, so a crash mid-way only repeats work.
 */
public final class NetworkSizeProcessor implements Processor<String, EdgeChange, String, GraphCommand> {

    /** Child that writes network-size commands. */
    public static final String COMMAND_SINK = "network-size-command-sink";

    private static final Logger log = LoggerFactory.getLogger(NetworkSizeProcessor.class);
    /** Pending insiders recomputed between two looks at the clock (and at least per run). */
    private static final int BATCH = 64;

    private final Duration interval;
    private final long budgetNanos;
    private final int maxPerRun;
    private ProcessorContext<String, GraphCommand> context;
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

    /**
     * @param interval     wall-clock interval of the runs; a run recomputes pending insiders for at most a quarter
     *                     of it, so the stream thread it shares with event tasks stays mostly theirs
     * @param maxPerSecond pending insiders recomputed per second at most: each changed size becomes an insider-state
     *                     update in the insider's task, which costs more than the search itself
     */
    public NetworkSizeProcessor(final Duration interval, final int maxPerSecond) {
        this.interval = interval;
        this.budgetNanos = interval.toNanos() / 4;
        this.maxPerRun = (int) Math.max(1, (long) maxPerSecond * interval.toMillis() / 1000);
    }

    @Override
    public void init(final ProcessorContext<String, GraphCommand> context) {
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
     * Sends the fresh sources' own sizes, expands the fresh sources once the previous expansion is drained,
     * recomputes pending insiders within the time and rate budgets and sends the sizes that changed.
     */
    void flush() {
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

    /** Sends {@code now} to the insider's task unless it is what was sent last; true when sent. */
    private boolean publish(final String insider, final DegreeGraph.Sizes now, final long time) {
        final String encoded = now.first() + "," + now.second() + "," + now.third();
        if (encoded.equals(sizes.get(insider))) {
            return false;
        }
        sizes.put(insider, encoded);
        final NetworkSizeUpdate update = new NetworkSizeUpdate(insider, now.first(), now.second(), now.third());
        context.forward(new Record<>(insider, new GraphCommand(Instant.ofEpochMilli(time), update), time),
            COMMAND_SINK);
        return true;
    }
}
