package io.insidernetwork.api;

import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.config.ConfigSource;
import io.insidernetwork.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

/** Settings of api-sink, validated when built: a bad or missing key fails start-up naming the key. */
public final class ApiConfig extends AbstractConfig {

    public static final String HTTP_HOST_CONFIG = "api.http.host";
    private static final String HTTP_HOST_DOC = "Address the API HTTP server binds to.";

    public static final String HTTP_PORT_CONFIG = "api.http.port";
    private static final String HTTP_PORT_DOC = "Port of the API HTTP server; 0 picks a free port.";

    public static final String APPLICATION_ID_CONFIG = "api.application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id of the query tier.";

    public static final String STATE_DIR_CONFIG = "api.state.dir";
    private static final String STATE_DIR_DOC = "Directory of the RocksDB stores the API reads.";

    public static final String NETWORK_ID_CONFIG = "api.network.id";
    private static final String NETWORK_ID_DOC = "Network identifier reported as data.network_id of the dump.";

    static final ConfigDef CONFIG_DEF = CommonConfig.addTo(new ConfigDef())
        .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            HTTP_HOST_DOC)
        .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65_535), Importance.HIGH, HTTP_PORT_DOC)
        .define(APPLICATION_ID_CONFIG, Type.STRING, "insider-api", new ConfigDef.NonEmptyString(), Importance.HIGH,
            APPLICATION_ID_DOC)
        .define(STATE_DIR_CONFIG, Type.STRING, "state/api-sink", new ConfigDef.NonEmptyString(), Importance.HIGH,
            STATE_DIR_DOC)
        .define(NETWORK_ID_CONFIG, Type.STRING, "insider-network", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            NETWORK_ID_DOC);

    public ApiConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, true);
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

    public String networkId() {
        return getString(NETWORK_ID_CONFIG);
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

    /** Kafka Streams settings of the query tier. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.putAll(kafkaSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor());
        // the stores mirror compacted topics: reads need no transactions, and 100 ms commits keep them fresh
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return props;
    }
}
