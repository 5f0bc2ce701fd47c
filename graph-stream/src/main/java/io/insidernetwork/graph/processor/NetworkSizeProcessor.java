package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.DegreeGraph;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.EdgeChange;
import io.insidernetwork.schemas.graph.EdgeOp;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.NetworkSizeUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * source dirty (persisted); every {@code interval} of wall-clock time the insiders within two reverse steps of the
 * dirty sources are recomputed by a bounded BFS and changed sizes are sent to their owners as commands.
 */
public final class NetworkSizeProcessor implements Processor<String, EdgeChange, String, GraphCommand> {

    /** Child that writes network-size commands. */
    public static final String COMMAND_SINK = "network-size-command-sink";

    private static final Logger log = LoggerFactory.getLogger(NetworkSizeProcessor.class);
    /** Most dirty sources handled per run; the rest stay dirty, so a run stays well inside the transaction timeout. */
    private static final int MAX_SOURCES_PER_RUN = 20_000;

    private final Duration interval;
    private ProcessorContext<String, GraphCommand> context;
    private KeyValueStore<String, Long> edges;
    private KeyValueStore<String, Long> dirty;
    private KeyValueStore<String, String> sizes;
    private DegreeGraph graph;
    private Sensor recomputed;

    public NetworkSizeProcessor(final Duration interval) {
        this.interval = interval;
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
        log.info("Network-size graph loaded: {} insiders, {} connections in {} ms", graph.nodeCount(),
            graph.edgeCount(), (System.nanoTime() - started) / 1_000_000);
        recomputed = context.metrics().addRateTotalSensor("graph-stream", "network-size", "insiders-recomputed",
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
            final Long before = dirty.get(change.getSourceId());
            final long time = change.getTime().toEpochMilli();
            dirty.put(change.getSourceId(), before == null ? time : Math.max(before, time));
        }
    }

    /** Recomputes the insiders affected by the dirty sources and sends the sizes that changed. */
    void flush() {
        final List<String> sources = new ArrayList<>();
        long time = Long.MIN_VALUE;
        try (KeyValueIterator<String, Long> all = dirty.all()) {
            while (all.hasNext() && sources.size() < MAX_SOURCES_PER_RUN) {
                final KeyValue<String, Long> next = all.next();
                sources.add(next.key);
                time = Math.max(time, next.value);
            }
        }
        if (sources.isEmpty()) {
            return;
        }
        final long started = System.nanoTime();
        final List<String> affected = graph.affectedBy(sources);
        int sent = 0;
        for (final String insider : affected) {
            final DegreeGraph.Sizes now = graph.sizes(insider);
            final String encoded = now.first() + "," + now.second() + "," + now.third();
            if (!encoded.equals(sizes.get(insider))) {
                sizes.put(insider, encoded);
                final NetworkSizeUpdate update = new NetworkSizeUpdate(insider, now.first(), now.second(),
                    now.third());
                context.forward(new Record<>(insider, new GraphCommand(Instant.ofEpochMilli(time), update), time),
                    COMMAND_SINK);
                sent++;
            }
        }
        for (final String source : sources) {
            dirty.delete(source);
        }
        recomputed.record(affected.size());
        log.debug("Network sizes: {} dirty sources, {} insiders recomputed, {} changed, {} ms", sources.size(),
            affected.size(), sent, (System.nanoTime() - started) / 1_000_000);
    }
}
