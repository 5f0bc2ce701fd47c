package io.insidernetwork.api;

import io.insidernetwork.api.auth.ApiKeys;
import io.insidernetwork.api.http.StreamSettings;
import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.config.ConfigSource;
import io.insidernetwork.schemas.streams.DeadLetterReporting;
import io.insidernetwork.schemas.topic.TopicSpec;
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
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** Settings of api-sink, validated when built: a bad or missing key fails start-up naming the key. */
public final class ApiConfig extends AbstractConfig {

    public static final String HTTP_HOST_CONFIG = "api.http.host";
    private static final String HTTP_HOST_DOC = "Address the API HTTP server binds to.";

    public static final String HTTP_PORT_CONFIG = "api.http.port";
    private static final String HTTP_PORT_DOC = "Port of the API HTTP server; 0 picks a free port.";

    public static final String ADVERTISED_HOST_CONFIG = "api.advertised.host";
    private static final String ADVERTISED_HOST_DOC = "Host other instances use to reach this one (with the bound "
        + "port it becomes the Streams application.server). Empty: api.http.host, or 127.0.0.1 when that is 0.0.0.0.";

    public static final String APPLICATION_ID_CONFIG = "api.application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id of the query tier; instances "
        + "with the same id share the partitions.";

    public static final String STATE_DIR_CONFIG = "api.state.dir";
    private static final String STATE_DIR_DOC = "Directory of the RocksDB stores the API reads.";

    public static final String NETWORK_ID_CONFIG = "api.network.id";
    private static final String NETWORK_ID_DOC = "Network identifier reported as data.network_id of the dump.";

    public static final String AUTH_KEYS_CONFIG = "api.auth.keys";
    private static final String AUTH_KEYS_DOC = "API keys, comma-separated entries name:sha256hex:scope[:rps]: the "
        + "SHA-256 (hex) of the key (the key itself is never configured), the partner networks it may read ('*' for "
        + "all, else names joined by '|'), and optionally its own requests per second.";

    public static final String SECRET_CONFIG = "api.secret";
    private static final String SECRET_DOC = "Secret shared by all instances (at least 32 characters): signs "
        + "cursors and tokens and authenticates calls between instances.";

    public static final String RATE_LIMIT_RPS_CONFIG = "api.rate.limit.requests.per.second";
    private static final String RATE_LIMIT_RPS_DOC = "Sustained requests per second per API key and instance.";

    public static final String RATE_LIMIT_BURST_CONFIG = "api.rate.limit.burst";
    private static final String RATE_LIMIT_BURST_DOC = "Requests a key may send at once before the rate applies.";

    public static final String STANDBY_REPLICAS_CONFIG = "api.num.standby.replicas";
    private static final String STANDBY_REPLICAS_DOC = "Standby copies of each store on other instances, so a "
        + "failed instance's partitions resume quickly.";

    public static final String STREAM_THREADS_CONFIG = "api.stream.threads";
    private static final String STREAM_THREADS_DOC = "Stream threads of the query tier.";

    public static final String PEER_TIMEOUT_MS_CONFIG = "api.peer.timeout.ms";
    private static final String PEER_TIMEOUT_MS_DOC = "Timeout of a call to another instance (then 504).";

    public static final String MAX_CONNECTIONS_CONFIG = "api.network.max.connections";
    private static final String MAX_CONNECTIONS_DOC = "Largest page (the limit parameter) of a network answer's "
        + "connections; the default page is 20 (or this, when smaller).";

    public static final String HEADER_TIMEOUT_MS_CONFIG = "api.http.header.timeout.ms";
    private static final String HEADER_TIMEOUT_MS_DOC = "Longest time a client may take to send a request's line and "
        + "headers, counted from its first byte; the connection is closed after it (slow-header clients).";

    public static final String READINESS_WINDOW_MS_CONFIG = "api.readiness.window.ms";
    private static final String READINESS_WINDOW_MS_DOC = "Window over which failed (replaced) stream threads are "
        + "counted for /health/ready.";

    public static final String READINESS_MAX_REPLACED_CONFIG = "api.readiness.max.replaced.threads";
    private static final String READINESS_MAX_REPLACED_DOC = "/health/ready answers DOWN once this many stream "
        + "threads failed and were replaced within api.readiness.window.ms.";

    public static final String STREAM_HEARTBEAT_MS_CONFIG = "api.live.heartbeat.ms";
    private static final String STREAM_HEARTBEAT_MS_DOC = "Interval of the ': heartbeat' comment on an idle live-feed "
        + "stream (below the connections' 30 s idle timeout), keeping it open through proxies.";

    public static final String STREAM_BUFFER_BYTES_CONFIG = "api.live.buffer.bytes";
    private static final String STREAM_BUFFER_BYTES_DOC = "Bytes of rendered events a live-feed stream may have "
        + "waiting to be written (its memory bound); a stream with no room for the next event is too slow and is "
        + "ended with a resume cursor. At least 64 KiB, more than the largest single entry.";

    public static final String STREAM_WRITE_TIMEOUT_MS_CONFIG = "api.live.write.timeout.ms";
    private static final String STREAM_WRITE_TIMEOUT_MS_DOC = "Longest a live-feed client's output may stay not "
        + "ready to take more (the client reads nothing) before its connection is closed.";

    public static final String STREAM_MAX_CONFIG = "api.live.max.streams";
    private static final String STREAM_MAX_DOC = "Open live-feed streams per instance; more answer 429.";

    public static final String STREAM_MAX_PER_KEY_CONFIG = "api.live.max.streams.per.key";
    private static final String STREAM_MAX_PER_KEY_DOC = "Open live-feed streams per API key and instance; more answer "
        + "429.";

    public static final String STREAM_POLL_MS_CONFIG = "api.live.poll.ms";
    private static final String STREAM_POLL_MS_DOC = "Interval at which an instance reads new change-feed entries for "
        + "its live-feed streams (one read per key scope, shared by that scope's streams).";

    public static final String STREAM_SETTLE_MS_CONFIG = "api.live.settle.ms";
    private static final String STREAM_SETTLE_MS_DOC = "Age an entry's updated_at must reach before the live feed "
        + "pushes it, so that entries of other partitions with a slightly earlier updated_at are indexed first.";

    /** Dead-letter topic of the query tier (name after topics.prefix); records it cannot decode or store. */
    static final String DEAD_LETTER_TOPIC = "api.dead-letters.v1";
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    /** Validator of secrets: at least 32 characters. */
    private static final class LongSecret implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            if (!(value instanceof Password p) || p.value().length() < 32) {
                throw new ConfigException(name, "[hidden]", "must be at least 32 characters");
            }
        }

        @Override
        public String toString() {
            return "at least 32 characters";
        }
    }

    static final ConfigDef CONFIG_DEF = CommonConfig.addTo(new ConfigDef())
        .define(AUTH_KEYS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new CommonConfig.NonEmptyList(),
            Importance.HIGH, AUTH_KEYS_DOC)
        .define(SECRET_CONFIG, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new LongSecret(), Importance.HIGH,
            SECRET_DOC)
        .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            HTTP_HOST_DOC)
        .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65_535), Importance.HIGH, HTTP_PORT_DOC)
        .define(ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.MEDIUM, ADVERTISED_HOST_DOC)
        .define(APPLICATION_ID_CONFIG, Type.STRING, "insider-api", new ConfigDef.NonEmptyString(), Importance.HIGH,
            APPLICATION_ID_DOC)
        .define(STATE_DIR_CONFIG, Type.STRING, "state/api-sink", new ConfigDef.NonEmptyString(), Importance.HIGH,
            STATE_DIR_DOC)
        .define(NETWORK_ID_CONFIG, Type.STRING, "insider-network", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            NETWORK_ID_DOC)
        .define(RATE_LIMIT_RPS_CONFIG, Type.INT, 100, Range.atLeast(1), Importance.MEDIUM, RATE_LIMIT_RPS_DOC)
        .define(RATE_LIMIT_BURST_CONFIG, Type.INT, 200, Range.atLeast(1), Importance.MEDIUM, RATE_LIMIT_BURST_DOC)
        .define(STANDBY_REPLICAS_CONFIG, Type.INT, 1, Range.between(0, 5), Importance.MEDIUM, STANDBY_REPLICAS_DOC)
        .define(STREAM_THREADS_CONFIG, Type.INT, 1, Range.between(1, 64), Importance.LOW, STREAM_THREADS_DOC)
        .define(PEER_TIMEOUT_MS_CONFIG, Type.LONG, 5_000L, Range.between(100L, 600_000L), Importance.LOW,
            PEER_TIMEOUT_MS_DOC)
        .define(MAX_CONNECTIONS_CONFIG, Type.INT, 200, Range.between(1, 10_000), Importance.LOW,
            MAX_CONNECTIONS_DOC)
        .define(HEADER_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100L, 600_000L), Importance.LOW,
            HEADER_TIMEOUT_MS_DOC)
        .define(READINESS_WINDOW_MS_CONFIG, Type.LONG, 300_000L, Range.between(1_000L, 86_400_000L), Importance.LOW,
            READINESS_WINDOW_MS_DOC)
        .define(READINESS_MAX_REPLACED_CONFIG, Type.INT, 3, Range.between(1, 1_000), Importance.LOW,
            READINESS_MAX_REPLACED_DOC)
        .define(STREAM_HEARTBEAT_MS_CONFIG, Type.LONG, 15_000L, Range.between(100L, 25_000L), Importance.LOW,
            STREAM_HEARTBEAT_MS_DOC)
        .define(STREAM_BUFFER_BYTES_CONFIG, Type.INT, 1 << 20, Range.between(64 << 10, 64 << 20), Importance.LOW,
            STREAM_BUFFER_BYTES_DOC)
        .define(STREAM_WRITE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100L, 600_000L), Importance.LOW,
            STREAM_WRITE_TIMEOUT_MS_DOC)
        .define(STREAM_MAX_CONFIG, Type.INT, 200, Range.between(1, 2_000), Importance.LOW, STREAM_MAX_DOC)
        .define(STREAM_MAX_PER_KEY_CONFIG, Type.INT, 20, Range.between(1, 2_000), Importance.LOW,
            STREAM_MAX_PER_KEY_DOC)
        .define(STREAM_POLL_MS_CONFIG, Type.LONG, 250L, Range.between(10L, 10_000L), Importance.LOW,
            STREAM_POLL_MS_DOC)
        .define(STREAM_SETTLE_MS_CONFIG, Type.LONG, 2_000L, Range.between(0L, 60_000L), Importance.LOW,
            STREAM_SETTLE_MS_DOC);

    private final ApiKeys apiKeys;

    public ApiConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, true);
        apiKeys = ApiKeys.parse(AUTH_KEYS_CONFIG, getList(AUTH_KEYS_CONFIG), getInt(RATE_LIMIT_RPS_CONFIG),
            getInt(RATE_LIMIT_BURST_CONFIG));
    }

    /** Settings from {@code file} (may be null) and the environment. */
    public static ApiConfig load(final Path file, final Map<String, String> env) {
        return new ApiConfig(ConfigSource.load(file, env, CONFIG_DEF));
    }

    /** Documentation of every key. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    /** Host peers reach this instance at. */
    public String advertisedHost() {
        final String advertised = getString(ADVERTISED_HOST_CONFIG);
        if (!advertised.isBlank()) {
            return advertised.trim();
        }
        return "0.0.0.0".equals(httpHost()) ? "127.0.0.1" : httpHost();
    }

    public String networkId() {
        return getString(NETWORK_ID_CONFIG);
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public String secret() {
        return getPassword(SECRET_CONFIG).value();
    }

    public Duration peerTimeout() {
        return Duration.ofMillis(getLong(PEER_TIMEOUT_MS_CONFIG));
    }

    public int maxConnections() {
        return getInt(MAX_CONNECTIONS_CONFIG);
    }

    public Duration headerTimeout() {
        return Duration.ofMillis(getLong(HEADER_TIMEOUT_MS_CONFIG));
    }

    public Duration readinessWindow() {
        return Duration.ofMillis(getLong(READINESS_WINDOW_MS_CONFIG));
    }

    public int readinessMaxReplacedThreads() {
        return getInt(READINESS_MAX_REPLACED_CONFIG);
    }

    /** Bounds of the live feed. */
    public StreamSettings streamSettings() {
        return new StreamSettings(Duration.ofMillis(getLong(STREAM_HEARTBEAT_MS_CONFIG)),
            getInt(STREAM_BUFFER_BYTES_CONFIG), Duration.ofMillis(getLong(STREAM_WRITE_TIMEOUT_MS_CONFIG)),
            getInt(STREAM_MAX_CONFIG), getInt(STREAM_MAX_PER_KEY_CONFIG),
            Duration.ofMillis(getLong(STREAM_POLL_MS_CONFIG)), Duration.ofMillis(getLong(STREAM_SETTLE_MS_CONFIG)));
    }

    /** The query tier's dead-letter topic: raw records with the reason, kept 14 days after they were written. */
    public TopicSpec<byte[], byte[]> deadLetterTopic() {
        return new TopicSpec<>(getString(CommonConfig.TOPICS_PREFIX_CONFIG) + DEAD_LETTER_TOPIC,
            topics().insiderState().partitions(), TopicSpec.Cleanup.DELETE_BY_APPEND_TIME, DEAD_LETTER_RETENTION,
            Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** Retention of the change feed: the horizon of updates-since. */
    public Duration updatesRetention() {
        return Duration.ofMillis(getLong(CommonConfig.UPDATES_RETENTION_MS_CONFIG));
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

    /**
     * Kafka Streams settings of the query tier, advertising {@code applicationServer} (host:port) to peers; a record
     * that cannot be decoded, materialized or written goes to {@link #deadLetterTopic()} and is told to
     * {@code deadLetters}' counter.
     */
    public Properties streamsProperties(final String applicationServer, final DeadLetterReporting deadLetters) {
        final Properties props = new Properties();
        props.putAll(kafkaSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, getInt(STANDBY_REPLICAS_CONFIG));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(STREAM_THREADS_CONFIG));
        // the stores mirror compacted topics: reads need no transactions, and 100 ms commits keep them fresh
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        deadLetters.applyTo(props, deadLetterTopic().name());
        return props;
    }
}
