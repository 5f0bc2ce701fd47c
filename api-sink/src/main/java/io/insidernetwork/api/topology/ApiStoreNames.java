package io.insidernetwork.api.topology;

/** Names of api-sink's queryable stores. */
public final class ApiStoreNames {

    /** Insider state by insider id. */
    public static final String INSIDERS = "api-insiders";
    /** Connection state by "source|target" (same partition as the source insider). */
    public static final String CONNECTIONS = "api-connections";
    /** Exact network sizes (NetworkSizes) by insider id (same partition as the insider). */
    public static final String NETWORK_SIZES = "api-network-sizes";
    /** Dump index ordered by (joined_date, seq) → insider id. */
    public static final String BY_JOINED_DATE = "api-insiders-by-joined-date";
    /** Dump index ordered by seq → insider id. */
    public static final String BY_SEQ = "api-insiders-by-seq";
    /** Purchases by "insider|event_id" (same partition as the insider). */
    public static final String PURCHASES = "api-purchases";
    /** The change feed indexed by (updated_at, insider id, source offset) → NetworkUpdate. */
    public static final String UPDATES_BY_TIME = "api-updates-by-time";

    private ApiStoreNames() {
    }
}
