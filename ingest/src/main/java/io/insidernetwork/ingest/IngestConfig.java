package io.insidernetwork.ingest;

import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.ingest.export.ExportSettings;
import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.config.ConfigSource;
import io.insidernetwork.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings of the ingest service, validated when built: a bad or missing key fails start-up naming the key. */
public final class IngestConfig extends AbstractConfig {

    public static final String HTTP_HOST_CONFIG = "ingest.http.host";
    private static final String HTTP_HOST_DOC = "Address the webhook HTTP server binds to.";

    public static final String HTTP_PORT_CONFIG = "ingest.http.port";
    private static final String HTTP_PORT_DOC = "Port of the webhook HTTP server; 0 picks a free port.";

    public static final String WEBHOOK_SECRETS_CONFIG = "ingest.webhook.secrets";
    private static final String WEBHOOK_SECRETS_DOC = "Standard Webhooks signing secrets (whsec_<base64>) accepted on "
        + "/webhooks/v1/events, comma-separated; list the new and the old secret while rotating.";

    public static final String WEBHOOK_MAX_BODY_BYTES_CONFIG = "ingest.webhook.max.body.bytes";
    private static final String WEBHOOK_MAX_BODY_BYTES_DOC = "Largest accepted webhook body; larger ones answer 413.";

    public static final String WEBHOOK_MAX_BATCH_CONFIG = "ingest.webhook.max.batch.events";
    private static final String WEBHOOK_MAX_BATCH_DOC = "Most events accepted in one webhook call.";

    public static final String PRODUCE_TIMEOUT_MS_CONFIG = "ingest.produce.timeout.ms";
    private static final String PRODUCE_TIMEOUT_MS_DOC = "How long a webhook waits for Kafka to acknowledge its "
        + "records before it answers 503.";

    public static final String DEDUPE_CAPACITY_CONFIG = "ingest.webhook.dedupe.capacity";
    private static final String DEDUPE_CAPACITY_DOC = "How many recent webhook-ids are remembered to drop replays.";

    static final ConfigDef CONFIG_DEF = CommonConfig.addTo(new ConfigDef())
        .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            HTTP_HOST_DOC)
        .define(HTTP_PORT_CONFIG, Type.INT, 8081, Range.between(0, 65_535), Importance.HIGH, HTTP_PORT_DOC)
        .define(WEBHOOK_SECRETS_CONFIG, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new SecretsValidator(),
            Importance.HIGH, WEBHOOK_SECRETS_DOC)
        .define(WEBHOOK_MAX_BODY_BYTES_CONFIG, Type.INT, 1_048_576, Range.between(1_024, 16 * 1_048_576),
            Importance.MEDIUM, WEBHOOK_MAX_BODY_BYTES_DOC)
        .define(WEBHOOK_MAX_BATCH_CONFIG, Type.INT, 1_000, Range.between(1, 100_000), Importance.MEDIUM,
            WEBHOOK_MAX_BATCH_DOC)
        .define(PRODUCE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(1_000L, 120_000L), Importance.MEDIUM,
            PRODUCE_TIMEOUT_MS_DOC)
        .define(DEDUPE_CAPACITY_CONFIG, Type.INT, 100_000, Range.atLeast(0), Importance.LOW, DEDUPE_CAPACITY_DOC);

    static {
        // Insider raw-data export keys (ingest.export.*): defined and parsed in the export package.
        ExportConfigDef.addTo(CONFIG_DEF);
    }

    private final List<String> webhookSecrets;
    private final ExportSettings exportSettings;

    public IngestConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, true);
        webhookSecrets = List.of(getPassword(WEBHOOK_SECRETS_CONFIG).value().split("\\s*,\\s*"));
        exportSettings = ExportSettings.from(this);
    }

    /** Settings from {@code file} (may be null) and the environment. */
    public static IngestConfig load(final Path file, final Map<String, String> env) {
        return new IngestConfig(ConfigSource.load(file, env, CONFIG_DEF));
    }

    /** Documentation of every key, for the README. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    /** Accepted signing secrets, never empty. */
    public List<String> webhookSecrets() {
        return webhookSecrets;
    }

    public int maxBodyBytes() {
        return getInt(WEBHOOK_MAX_BODY_BYTES_CONFIG);
    }

    public int maxBatchEvents() {
        return getInt(WEBHOOK_MAX_BATCH_CONFIG);
    }

    public Duration produceTimeout() {
        return Duration.ofMillis(getLong(PRODUCE_TIMEOUT_MS_CONFIG));
    }

    public int dedupeCapacity() {
        return getInt(DEDUPE_CAPACITY_CONFIG);
    }

    /** The Insider raw-data export settings (ingest.export.*), checked. */
    public ExportSettings exportSettings() {
        return exportSettings;
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

    /** Every secret must be a Standard Webhooks secret, optionally prefixed whsec_, in base64. */
    static final class SecretsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            final String text = value == null ? "" : ((Password) value).value();
            if (text.isBlank()) {
                throw new ConfigException(name, "[hidden]", "at least one secret is required");
            }
            for (final String secret : text.split("\\s*,\\s*")) {
                final String body = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
                try {
                    if (java.util.Base64.getDecoder().decode(body).length < 16) {
                        throw new ConfigException(name, "[hidden]", "each secret needs at least 16 bytes");
                    }
                } catch (final IllegalArgumentException e) {
                    throw new ConfigException(name, "[hidden]", "each secret must be base64 (whsec_<base64>)");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated whsec_<base64> secrets of 16 bytes or more";
        }
    }
}
