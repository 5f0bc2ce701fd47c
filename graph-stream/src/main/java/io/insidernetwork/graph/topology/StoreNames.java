package io.insidernetwork.graph.topology;

/** Names of graph-stream's state stores; their changelog topics are named after them, so they are a contract. */
public final class StoreNames {

    /** Insider state by insider id. */
    public static final String INSIDERS = "graph-insiders";
    /** Outgoing connections by "source|target". */
    public static final String CONNECTIONS = "graph-connections";
    /** Event ids already applied, with their event time, for deduplication. */
    public static final String SEEN_EVENTS = "graph-seen-events";
    /** Per-task counter that hands out insider sequence numbers. */
    public static final String SEQUENCES = "graph-insider-sequences";

    private StoreNames() {
    }
}
