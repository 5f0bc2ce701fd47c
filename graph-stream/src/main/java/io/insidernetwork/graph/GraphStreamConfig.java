package io.insidernetwork.graph;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.RecordBounds;
import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.graph.sizes.NetworkSizeService;
import io.insidernetwork.graph.topology.CompressedRocksDb;
import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.config.ConfigSource;
import io.insidernetwork.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;

/** Settings of graph-stream, validated when built: a bad or missing key fails start-up naming the key. */
public final class GraphStreamConfig extends AbstractConfig {

    public static final String APPLICATION_ID_CONFIG = "graph.application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id (consumer group, internal topic "
        + "prefix).";

    public static final String STATE_DIR_CONFIG = "graph.state.dir";
    private static final String STATE_DIR_DOC = "Directory of the RocksDB state stores.";

    public static final String PROCESSING_GUARANTEE_CONFIG = "graph.processing.guarantee";
    private static final String PROCESSING_GUARANTEE_DOC = "exactly_once_v2 (default) or at_least_once.";

    public static final String COMMIT_INTERVAL_MS_CONFIG = "graph.commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "How often Streams commits; also the emission interval "
        + "(each changed insider, connection and feed entry is written once per commit) and, with exactly-once, how "
        + "long downstream readers wait for results.";

    public static final String STREAM_THREADS_CONFIG = "graph.stream.threads";
    private static final String STREAM_THREADS_DOC = "Stream threads of this instance.";

    public static final String WEIGHT_K_CONFIG = "graph.weight.k";
    private static final String WEIGHT_K_DOC = "Saturation constant K of weight = 1 - exp(-score / K).";

    public static final String WEIGHT_HALF_LIFE_MS_CONFIG = "graph.weight.half.life.ms";
    private static final String WEIGHT_HALF_LIFE_MS_DOC = "Half-life of an interaction's contribution to a score.";

    public static final String WEIGHT_SHARE_POINTS_CONFIG = "graph.weight.share.points";
    private static final String WEIGHT_SHARE_POINTS_DOC = "Score points of one share.";

    public static final String WEIGHT_SIGNUP_POINTS_CONFIG = "graph.weight.signup.points";
    private static final String WEIGHT_SIGNUP_POINTS_DOC = "Score points of a signup that followed a share.";

    public static final String WEIGHT_PURCHASE_POINTS_CONFIG = "graph.weight.purchase.points";
    private static final String WEIGHT_PURCHASE_POINTS_DOC = "Score points of a purchase that followed a share.";

    public static final String WEIGHT_VISIT_POINTS_CONFIG = "graph.weight.visit.points";
    private static final String WEIGHT_VISIT_POINTS_DOC = "Score points of a referral-link visit on an anonymous "
        + "(fingerprint) connection.";

    public static final String REMOVAL_THRESHOLD_CONFIG = "graph.connection.removal.threshold";
    private static final String REMOVAL_THRESHOLD_DOC = "A connection whose decayed weight falls below this is "
        + "removed (0 never removes).";

    public static final String PLATFORM_K_CONFIG = "graph.platform.k";
    private static final String PLATFORM_K_DOC = "Saturation constant of platform strengths: "
        + "strength = 1 - exp(-shares on the platform / K).";

    public static final String PLATFORM_ENGAGEMENT_ALPHA_CONFIG = "graph.platform.engagement.alpha";
    private static final String PLATFORM_ENGAGEMENT_ALPHA_DOC = "Weight alpha of InsightIQ engagement in platform "
        + "strengths: strength = 1 - exp(-(shares on the platform + e) / K) with e = alpha x sum over the source's "
        + "account contents of (share_count + comment_count) / max(follower_count, 1); 0 ignores InsightIQ.";

    public static final String ATTRIBUTION_WINDOW_MS_CONFIG = "graph.attribution.window.ms";
    private static final String ATTRIBUTION_WINDOW_MS_DOC = "A signup or purchase is credited to shares to the "
        + "insider at most this long before it.";

    public static final String ATTRIBUTION_SETTLE_MS_CONFIG = "graph.attribution.settle.ms";
    public static final String NETWORK_SIZE_RATE_CONFIG = "graph.network.size.max.per.second";
    private static final String NETWORK_SIZE_RATE_DOC = "Network sizes recomputed per second at most. Every new "
        + "connection may change the 2nd/3rd-degree counts of thousands of insiders (everyone within two reverse steps "
        + "of its source), and each changed count is a record on the network-sizes topic; the computation has a "
        + "thread of its own, and this cap (with a run using at most a quarter of each interval) keeps it from taking a "
        + "whole core from event processing. Changes arriving while a backlog drains are coalesced into the next "
        + "pass.";
    private static final String ATTRIBUTION_SETTLE_MS_DOC = "Shortest wall-clock time a purchase or signup waits "
        + "before it is credited to the latest share known, so that shares still in flight from other partitions are "
        + "seen first; while commands between tasks take longer (a backlog), it waits twice their measured delay, at "
        + "most 60 s. A share that arrives even later still moves the credit (with a retraction).";

    public static final String DEDUPE_RETENTION_MS_CONFIG = "graph.dedupe.retention.ms";
    private static final String DEDUPE_RETENTION_MS_DOC = "How long (stream time) event ids are remembered: a "
        + "redelivery within this window is applied once.";

    public static final String DECAY_SCAN_INTERVAL_MS_CONFIG = "graph.decay.scan.interval.ms";
    private static final String DECAY_SCAN_INTERVAL_MS_DOC = "Stream-time interval of the scan that removes "
        + "connections decayed below the threshold.";

    public static final String INTERNAL_PURGE_INTERVAL_MS_CONFIG = "graph.internal.purge.interval.ms";
    private static final String INTERNAL_PURGE_INTERVAL_MS_DOC = "Interval at which records of the internal topics "
        + "(commands, InsightIQ facts) below the committed offsets are deleted. Those topics "
        + "have no time retention: their records carry event times, which for a backfill are older than any "
        + "retention.";

    public static final String BACKLOG_INTERVAL_MS_CONFIG = "graph.backlog.interval.ms";
    private static final String BACKLOG_INTERVAL_MS_DOC = "Interval at which the backlog gauges (graph_events_waiting, "
        + "graph_behind_seconds and the network-size computation's) are measured from Kafka.";

    public static final String NETWORK_SIZE_INTERVAL_MS_CONFIG = "graph.network.size.interval.ms";
    private static final String NETWORK_SIZE_INTERVAL_MS_DOC = "Wall-clock interval at which network sizes "
        + "affected by connection changes are recomputed (changes in between are coalesced).";

    public static final String NETWORK_SIZE_EXPANSION_INTERVAL_MS_CONFIG = "graph.network.size.expansion.interval.ms";
    private static final String NETWORK_SIZE_EXPANSION_INTERVAL_MS_DOC = "Least wall-clock time between two "
        + "expansions of changed connections into the insiders whose 2nd/3rd-degree counts they may change: changes "
        + "arriving meanwhile are expanded together, so an insider's sizes are written about once per interval at "
        + "most however often its neighbourhood changes. An insider whose own connections changed gets its sizes at "
        + "the next run regardless.";

    public static final String HTTP_PORT_CONFIG = "graph.http.port";
    private static final String HTTP_PORT_DOC = "Port of the health and metrics HTTP server (/health/live, "
        + "/health/ready, /metrics); 0 picks a free port.";

    public static final String READY_FAILURE_WINDOW_MS_CONFIG = "graph.ready.failure.window.ms";
    private static final String READY_FAILURE_WINDOW_MS_DOC = "Window of the readiness check's thread-failure count: "
        + "/health/ready is DOWN while graph.ready.max.thread.failures stream threads or more failed (and were "
        + "replaced) within it.";

    public static final String READY_MAX_THREAD_FAILURES_CONFIG = "graph.ready.max.thread.failures";
    private static final String READY_MAX_THREAD_FAILURES_DOC = "Stream-thread failures within "
        + "graph.ready.failure.window.ms from which /health/ready answers DOWN (a thread that keeps failing).";

    public static final String MAX_FUTURE_SKEW_MS_CONFIG = "graph.event.max.future.skew.ms";
    private static final String MAX_FUTURE_SKEW_MS_DOC = "A partner event dated more than this after the wall clock "
        + "does not advance stream time and is dead-lettered (reason event_time).";

    public static final String INSTANCES_LISTED_CONFIG = "graph.insider.instances.listed";
    private static final String INSTANCES_LISTED_DOC = "Entries of an insider state's instances_shared (the most "
        + "recently active instances); instances_shared_total counts all.";

    public static final String RECIPIENTS_LISTED_CONFIG = "graph.insider.recipients.listed";
    private static final String RECIPIENTS_LISTED_DOC = "Entries of one instance's shared_with (the most recent "
        + "recipients); shared_with_total counts all.";

    public static final String SIGNUPS_LISTED_CONFIG = "graph.insider.signups.listed";
    private static final String SIGNUPS_LISTED_DOC = "Entries of one instance's signup (the most recent); "
        + "signup_total counts all.";

    public static final String PLATFORMS_LISTED_CONFIG = "graph.insider.platforms.listed";
    private static final String PLATFORMS_LISTED_DOC = "Entries of one instance's platforms (the most recent).";

    public static final String PURCHASES_LISTED_CONFIG = "graph.insider.purchases.listed";
    private static final String PURCHASES_LISTED_DOC = "Entries of an insider state's instances_purchased (the most "
        + "recent); instances_purchased_total counts all.";

    public static final String LIST_CHARS_CONFIG = "graph.insider.list.chars";
    private static final String LIST_CHARS_DOC = "Characters of the ids in one list of an insider state at most "
        + "(ids may be 512 characters long); with the defaults the worst-case state encodes to about 170 kB.";

    static final ConfigDef CONFIG_DEF = CommonConfig.addTo(new ConfigDef())
        .define(APPLICATION_ID_CONFIG, Type.STRING, "insider-graph", new ConfigDef.NonEmptyString(), Importance.HIGH,
            APPLICATION_ID_DOC)
        .define(STATE_DIR_CONFIG, Type.STRING, "state/graph-stream", new ConfigDef.NonEmptyString(),
            Importance.HIGH, STATE_DIR_DOC)
        .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
            ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
            PROCESSING_GUARANTEE_DOC)
        .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 100L, Range.between(10L, 60_000L), Importance.MEDIUM,
            COMMIT_INTERVAL_MS_DOC)
        .define(STREAM_THREADS_CONFIG, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, STREAM_THREADS_DOC)
        .define(INTERNAL_PURGE_INTERVAL_MS_CONFIG, Type.LONG, 30_000L, Range.between(100L, 3_600_000L),
            Importance.LOW, INTERNAL_PURGE_INTERVAL_MS_DOC)
        .define(BACKLOG_INTERVAL_MS_CONFIG, Type.LONG, 5_000L, Range.between(100L, 600_000L), Importance.LOW,
            BACKLOG_INTERVAL_MS_DOC)
        .define(WEIGHT_K_CONFIG, Type.DOUBLE, 5.0, Range.atLeast(0.001), Importance.MEDIUM, WEIGHT_K_DOC)
        .define(WEIGHT_HALF_LIFE_MS_CONFIG, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(1_000L),
            Importance.MEDIUM, WEIGHT_HALF_LIFE_MS_DOC)
        .define(WEIGHT_SHARE_POINTS_CONFIG, Type.DOUBLE, 1.0, Range.atLeast(0.0), Importance.LOW,
            WEIGHT_SHARE_POINTS_DOC)
        .define(WEIGHT_SIGNUP_POINTS_CONFIG, Type.DOUBLE, 3.0, Range.atLeast(0.0), Importance.LOW,
            WEIGHT_SIGNUP_POINTS_DOC)
        .define(WEIGHT_PURCHASE_POINTS_CONFIG, Type.DOUBLE, 5.0, Range.atLeast(0.0), Importance.LOW,
            WEIGHT_PURCHASE_POINTS_DOC)
        .define(WEIGHT_VISIT_POINTS_CONFIG, Type.DOUBLE, 0.5, Range.atLeast(0.0), Importance.LOW,
            WEIGHT_VISIT_POINTS_DOC)
        .define(REMOVAL_THRESHOLD_CONFIG, Type.DOUBLE, 0.01, Range.between(0.0, 0.99), Importance.MEDIUM,
            REMOVAL_THRESHOLD_DOC)
        .define(PLATFORM_K_CONFIG, Type.DOUBLE, 3.0, Range.atLeast(0.001), Importance.LOW, PLATFORM_K_DOC)
        .define(PLATFORM_ENGAGEMENT_ALPHA_CONFIG, Type.DOUBLE, GraphParameters.DEFAULT_ENGAGEMENT_ALPHA,
            Range.between(0.0, 1_000_000.0), Importance.LOW, PLATFORM_ENGAGEMENT_ALPHA_DOC)
        .define(ATTRIBUTION_WINDOW_MS_CONFIG, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(1L),
            Importance.MEDIUM, ATTRIBUTION_WINDOW_MS_DOC)
        .define(ATTRIBUTION_SETTLE_MS_CONFIG, Type.LONG, 300L, Range.between(1L, 60_000L), Importance.LOW,
            ATTRIBUTION_SETTLE_MS_DOC)
        .define(DEDUPE_RETENTION_MS_CONFIG, Type.LONG, Duration.ofDays(7).toMillis(), Range.atLeast(60_000L),
            Importance.MEDIUM, DEDUPE_RETENTION_MS_DOC)
        .define(DECAY_SCAN_INTERVAL_MS_CONFIG, Type.LONG, Duration.ofMinutes(1).toMillis(), Range.atLeast(1_000L),
            Importance.LOW, DECAY_SCAN_INTERVAL_MS_DOC)
        .define(NETWORK_SIZE_EXPANSION_INTERVAL_MS_CONFIG, Type.LONG, 1_000L, Range.between(0L, 600_000L),
            Importance.LOW, NETWORK_SIZE_EXPANSION_INTERVAL_MS_DOC)
        .define(NETWORK_SIZE_INTERVAL_MS_CONFIG, Type.LONG, 200L, Range.between(10L, 60_000L), Importance.MEDIUM,
            NETWORK_SIZE_INTERVAL_MS_DOC)
        .define(NETWORK_SIZE_RATE_CONFIG, Type.INT, GraphParameters.DEFAULT_NETWORK_SIZE_RATE,
            Range.between(1, 10_000_000), Importance.LOW, NETWORK_SIZE_RATE_DOC)
        .define(HTTP_PORT_CONFIG, Type.INT, 8082, Range.between(0, 65_535), Importance.MEDIUM, HTTP_PORT_DOC)
        .define(READY_FAILURE_WINDOW_MS_CONFIG, Type.LONG, Duration.ofMinutes(5).toMillis(),
            Range.between(1_000L, 86_400_000L), Importance.LOW, READY_FAILURE_WINDOW_MS_DOC)
        .define(READY_MAX_THREAD_FAILURES_CONFIG, Type.INT, 2, Range.between(1, 1_000), Importance.LOW,
            READY_MAX_THREAD_FAILURES_DOC)
        .define(MAX_FUTURE_SKEW_MS_CONFIG, Type.LONG, GraphParameters.DEFAULT_MAX_FUTURE_SKEW.toMillis(),
            Range.between(1_000L, Duration.ofDays(365).toMillis()), Importance.MEDIUM, MAX_FUTURE_SKEW_MS_DOC)
        .define(INSTANCES_LISTED_CONFIG, Type.INT, RecordBounds.DEFAULTS.instances(), Range.between(1, 1_000),
            Importance.LOW, INSTANCES_LISTED_DOC)
        .define(RECIPIENTS_LISTED_CONFIG, Type.INT, RecordBounds.DEFAULTS.recipients(), Range.between(1, 10_000),
            Importance.LOW, RECIPIENTS_LISTED_DOC)
        .define(SIGNUPS_LISTED_CONFIG, Type.INT, RecordBounds.DEFAULTS.signups(), Range.between(1, 10_000),
            Importance.LOW, SIGNUPS_LISTED_DOC)
        .define(PLATFORMS_LISTED_CONFIG, Type.INT, RecordBounds.DEFAULTS.platforms(), Range.between(1, 1_000),
            Importance.LOW, PLATFORMS_LISTED_DOC)
        .define(PURCHASES_LISTED_CONFIG, Type.INT, RecordBounds.DEFAULTS.purchases(), Range.between(1, 10_000),
            Importance.LOW, PURCHASES_LISTED_DOC)
        .define(LIST_CHARS_CONFIG, Type.INT, RecordBounds.DEFAULTS.listChars(), Range.between(64, 100_000),
            Importance.LOW, LIST_CHARS_DOC);

    public GraphStreamConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, true);
    }

    /** Settings from {@code file} (may be null) and the environment. */
    public static GraphStreamConfig load(final Path file, final Map<String, String> env) {
        return new GraphStreamConfig(ConfigSource.load(file, env, CONFIG_DEF));
    }

    /** Documentation of every key. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public Topics topics() {
        return CommonConfig.topics(this);
    }

    public short replicationFactor() {
        return getShort(CommonConfig.TOPICS_REPLICATION_FACTOR_CONFIG);
    }

    public Map<String, Object> kafkaSettings() {
        return CommonConfig.kafkaClientSettings(this);
    }

    public WeightModel weightModel() {
        return new WeightModel(getDouble(WEIGHT_SHARE_POINTS_CONFIG), getDouble(WEIGHT_SIGNUP_POINTS_CONFIG),
            getDouble(WEIGHT_PURCHASE_POINTS_CONFIG), getDouble(WEIGHT_K_CONFIG),
            Duration.ofMillis(getLong(WEIGHT_HALF_LIFE_MS_CONFIG)));
    }

    /** The model parameters (weights, thresholds, windows). */
    public GraphParameters graphParameters() {
        return new GraphParameters(weightModel(), getDouble(WEIGHT_VISIT_POINTS_CONFIG),
            getDouble(REMOVAL_THRESHOLD_CONFIG), getDouble(PLATFORM_K_CONFIG),
            Duration.ofMillis(getLong(ATTRIBUTION_WINDOW_MS_CONFIG)),
            Duration.ofMillis(getLong(DEDUPE_RETENTION_MS_CONFIG)),
            Duration.ofMillis(getLong(DECAY_SCAN_INTERVAL_MS_CONFIG)),
            Duration.ofMillis(getLong(NETWORK_SIZE_INTERVAL_MS_CONFIG)),
            Duration.ofMillis(getLong(ATTRIBUTION_SETTLE_MS_CONFIG)),
            getDouble(PLATFORM_ENGAGEMENT_ALPHA_CONFIG), getInt(NETWORK_SIZE_RATE_CONFIG), recordBounds(), Duration.ofMillis(getLong(MAX_FUTURE_SKEW_MS_CONFIG)));
    }

    /** How much of an insider's history its state lists. */
    public RecordBounds recordBounds() {
        return new RecordBounds(getInt(INSTANCES_LISTED_CONFIG), getInt(RECIPIENTS_LISTED_CONFIG),
            getInt(SIGNUPS_LISTED_CONFIG), getInt(PLATFORMS_LISTED_CONFIG), getInt(PURCHASES_LISTED_CONFIG),
            getInt(LIST_CHARS_CONFIG));
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public Duration readyFailureWindow() {
        return Duration.ofMillis(getLong(READY_FAILURE_WINDOW_MS_CONFIG));
    }

    public int readyMaxThreadFailures() {
        return getInt(READY_MAX_THREAD_FAILURES_CONFIG);
    }

    /** Streams' application id, which is also the consumer group whose committed offsets allow purging. */
    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public Duration internalPurgeInterval() {
        return Duration.ofMillis(getLong(INTERNAL_PURGE_INTERVAL_MS_CONFIG));
    }

    /**
     * The network-size computation: its consumer group ({@code <application id>-network-sizes}, whose committed
     * offsets are its checkpoint), the connections topic it reads, the sizes topic it writes and its budget.
     */
    public NetworkSizeService.Settings networkSizeSettings() {
        final Duration interval = Duration.ofMillis(getLong(NETWORK_SIZE_INTERVAL_MS_CONFIG));
        final int perRun = (int) Math.max(1, (long) getInt(NETWORK_SIZE_RATE_CONFIG) * interval.toMillis() / 1000);
        return new NetworkSizeService.Settings(kafkaSettings(), applicationId() + "-network-sizes",
            topics().connectionState().name(), topics().networkSizes().name(), interval, perRun,
            Duration.ofMillis(getLong(NETWORK_SIZE_EXPANSION_INTERVAL_MS_CONFIG)));
    }

    /** How often the backlog gauges are measured. */
    public Duration backlogInterval() {
        return Duration.ofMillis(getLong(BACKLOG_INTERVAL_MS_CONFIG));
    }

    /**
     * Kafka Streams settings: LZ4-compressed RocksDB files ({@link CompressedRocksDb}), the kafka.* pass-through, then
     * this service's own keys, which win; records that cannot
     * be read, processed or written go to graph's dead-letter topic and are counted in {@code deadLetters}.
     */
    public Properties streamsProperties(final DeadLetters deadLetters) {
        final Properties props = new Properties();
        // compressed store files unless the kafka.* pass-through names another setter
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CompressedRocksDb.class);
        props.putAll(kafkaSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE_CONFIG));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS_CONFIG));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(STREAM_THREADS_CONFIG));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor());
        // poison records go aside, counted, and processing continues (docs/architecture.md, "Poison records")
        deadLetters.reporting().applyTo(props, topics().graphDeadLetters().name());
        props.put(DeadLetters.CONFIG_KEY, deadLetters);
        return props;
    }
}
