package io.insidernetwork.graph.topology;

/** Names of graph-stream's state stores; their changelog topics are named after them, so they are a contract. */
public final class StoreNames {

    /** Insider state by insider id. */
    public static final String INSIDERS = "graph-insiders";
    /** Outgoing connections by "source|target". */
    public static final String CONNECTIONS = "graph-connections";
    /** Event ids already applied (to the stream time they were applied at), purged after the dedupe retention. */
    public static final String SEEN_EVENTS = "graph-seen-events";
    /** Per-task counters: insider sequence numbers and per-insider purchase sequence numbers. */
    public static final String SEQUENCES = "graph-insider-sequences";
    /**
     * Purchase records by "insider|event_id", as received: who is credited is in the purchase's credit slot in the
     * index and on the purchases topic ({@code attributed_to}), not here.
     */
    public static final String PURCHASES = "graph-purchases";
    /**
     * Secondary indexes of the network processor, one key prefix each: share touches, signups, conversions,
     * visitor fingerprints and the decay schedule (see {@code processor.IndexKeys}).
     */
    public static final String INDEX = "graph-index";
    /**
     * InsightIQ engagement per insider (network processor): per account "connected, interactions, followers" and
     * the per-platform total e_p used in platform strengths.
     */
    public static final String INSIGHTIQ_ENGAGEMENT = "graph-insightiq-engagement";
    /** InsightIQ state per account (account task): owner, platform, status, follower count, content engagement. */
    public static final String INSIGHTIQ_ACCOUNTS = "graph-insightiq-accounts";
    /** InsightIQ state per user (user task): external id (the insider id) and the user's account summaries. */
    public static final String INSIGHTIQ_USERS = "graph-insightiq-users";

    private StoreNames() {
    }
}
