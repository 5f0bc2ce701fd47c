package io.insidernetwork.schemas.config;

import io.insidernetwork.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Keys every service shares: how to reach Kafka and the shape of the topic catalogue. Each service's config class
 * adds these to its own {@link ConfigDef} so that all services agree on topic names and layout.
 */
public final class CommonConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = "kafka.bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers, host:port[,host:port...]. Any other "
        + "kafka.* key is passed to the Kafka clients as is.";

    public static final String TOPICS_PREFIX_CONFIG = "topics.prefix";
    private static final String TOPICS_PREFIX_DOC = "Prefix of every topic name (empty in production).";

    public static final String TOPICS_PARTITIONS_CONFIG = "topics.partitions";
    private static final String TOPICS_PARTITIONS_DOC = "Partitions of topics created at start-up.";

    public static final String TOPICS_REPLICATION_FACTOR_CONFIG = "topics.replication.factor";
    private static final String TOPICS_REPLICATION_FACTOR_DOC = "Replication factor of topics created at start-up "
        + "(and of the Streams internal topics).";

    public static final String UPDATES_RETENTION_MS_CONFIG = "topics.network.updates.retention.ms";
    private static final String UPDATES_RETENTION_MS_DOC = "Retention of the network-updates change feed; also the "
        + "horizon of /networks/updates/since (older timestamps answer 422).";

    private CommonConfig() {
    }

    /** Validator of a list setting that must have at least one element. */
    public static final class NonEmptyList implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                throw new ConfigException(name, value, "must not be empty");
            }
        }

        @Override
        public String toString() {
            return "non-empty list";
        }
    }

    /** Adds the shared keys to {@code def} and returns it. */
    public static ConfigDef addTo(final ConfigDef def) {
        return def
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyList(), Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(TOPICS_PREFIX_CONFIG, Type.STRING, "", Importance.LOW, TOPICS_PREFIX_DOC)
            .define(TOPICS_PARTITIONS_CONFIG, Type.INT, Topics.DEFAULT_PARTITIONS, Range.between(1, 1024),
                Importance.MEDIUM, TOPICS_PARTITIONS_DOC)
            .define(TOPICS_REPLICATION_FACTOR_CONFIG, Type.SHORT, (short) 1, Range.between(1, 16), Importance.MEDIUM,
                TOPICS_REPLICATION_FACTOR_DOC)
            .define(UPDATES_RETENTION_MS_CONFIG, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(60_000L),
                Importance.MEDIUM, UPDATES_RETENTION_MS_DOC);
    }

    /** The topic catalogue these settings describe. */
    public static Topics topics(final AbstractConfig config) {
        return Topics.create(config.getString(TOPICS_PREFIX_CONFIG), config.getInt(TOPICS_PARTITIONS_CONFIG),
            Duration.ofMillis(config.getLong(UPDATES_RETENTION_MS_CONFIG)));
    }

    /** Kafka client settings: every {@code kafka.*} key without the prefix. */
    public static Map<String, Object> kafkaClientSettings(final AbstractConfig config) {
        return config.originalsWithPrefix(ConfigSource.KAFKA_PREFIX);
    }
}
