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

    public static final String HTTP_IDLE_TIMEOUT_MS_CONFIG = "ingest.http.idle.timeout.ms";
    private static final String HTTP_IDLE_TIMEOUT_MS_DOC = "A connection with no byte received or sent for this long "
        + "is closed.";

    public static final String HTTP_HEADER_TIMEOUT_MS_CONFIG = "ingest.http.header.timeout.ms";
    private static final String HTTP_HEADER_TIMEOUT_MS_DOC = "Longest time from a request's first byte until its "
        + "request line and headers are complete; a slower client (e.g. one header byte every few seconds, which "
        + "the idle timeout never catches) is disconnected.";

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

    // ---- Health, metrics and topic creation -------------------------------------------------------------------

    public static final String TOPICS_CREATE_CONFIG = "ingest.topics.create";
    private static final String TOPICS_CREATE_DOC = "Create missing topics at start-up. When false (or when Kafka is "
        + "unreachable at start-up) the service starts anyway, answers 503 while Kafka does not acknowledge, and "
        + "/health/ready says why.";

    public static final String HEALTH_KAFKA_TIMEOUT_MS_CONFIG = "ingest.health.kafka.timeout.ms";
    private static final String HEALTH_KAFKA_TIMEOUT_MS_DOC = "How long /health/ready waits for Kafka to describe "
        + "the cluster before it reports Kafka unreachable.";

    // ---- InsightIQ REST client and poller ---------------------------------------------------------------------

    public static final String INSIGHTIQ_POLLER_ENABLED_CONFIG = "ingest.insightiq.poller.enabled";
    private static final String INSIGHTIQ_POLLER_ENABLED_DOC = "Run the InsightIQ poller (needs "
        + "ingest.insightiq.client.id and ingest.insightiq.client.secret).";

    public static final String INSIGHTIQ_ENVIRONMENT_CONFIG = "ingest.insightiq.environment";
    private static final String INSIGHTIQ_ENVIRONMENT_DOC = "InsightIQ environment: sandbox, staging or production. "
        + "Picks the default base URL and is written into every record.";

    public static final String INSIGHTIQ_BASE_URL_CONFIG = "ingest.insightiq.base.url";
    private static final String INSIGHTIQ_BASE_URL_DOC = "Base URL of the InsightIQ API (without /v1). Empty: the "
        + "environment's URL (sandbox and staging are known; production must be given).";

    public static final String INSIGHTIQ_CLIENT_ID_CONFIG = "ingest.insightiq.client.id";
    private static final String INSIGHTIQ_CLIENT_ID_DOC = "InsightIQ client id, the Basic auth user name.";

    public static final String INSIGHTIQ_CLIENT_SECRET_CONFIG = "ingest.insightiq.client.secret";
    private static final String INSIGHTIQ_CLIENT_SECRET_DOC = "InsightIQ client secret, the Basic auth password "
        + "(never logged).";

    public static final String INSIGHTIQ_PAGE_SIZE_CONFIG = "ingest.insightiq.page.size";
    private static final String INSIGHTIQ_PAGE_SIZE_DOC = "limit of every list call (InsightIQ allows 1 to 100); a "
        + "shorter page ends a walk.";

    public static final String INSIGHTIQ_POLL_INTERVAL_MS_CONFIG = "ingest.insightiq.poll.interval.ms";
    private static final String INSIGHTIQ_POLL_INTERVAL_MS_DOC = "Pause between the end of one poll cycle and the "
        + "start of the next.";

    public static final String INSIGHTIQ_WINDOW_OVERLAP_DAYS_CONFIG = "ingest.insightiq.window.overlap.days";
    private static final String INSIGHTIQ_WINDOW_OVERLAP_DAYS_DOC = "Days each new from_date/to_date window reaches "
        + "back before the end of the last completed one, to catch late changes (InsightIQ filters by publish day).";

    public static final String INSIGHTIQ_INITIAL_LOOKBACK_DAYS_CONFIG = "ingest.insightiq.initial.lookback.days";
    private static final String INSIGHTIQ_INITIAL_LOOKBACK_DAYS_DOC = "from_date of the first window of an account: "
        + "this many days before today.";

    public static final String INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG = "ingest.insightiq.requests.per.second";
    private static final String INSIGHTIQ_REQUESTS_PER_SECOND_DOC = "Most InsightIQ requests per second (poller and "
        + "fetcher share it; retries included).";

    public static final String INSIGHTIQ_REQUEST_TIMEOUT_MS_CONFIG = "ingest.insightiq.request.timeout.ms";
    private static final String INSIGHTIQ_REQUEST_TIMEOUT_MS_DOC = "Timeout of one InsightIQ request; a timeout is "
        + "retried.";

    public static final String INSIGHTIQ_RETRY_MAX_ATTEMPTS_CONFIG = "ingest.insightiq.retry.max.attempts";
    private static final String INSIGHTIQ_RETRY_MAX_ATTEMPTS_DOC = "Most attempts of one request on 429, 5xx, I/O "
        + "errors and timeouts.";

    public static final String INSIGHTIQ_RETRY_INITIAL_BACKOFF_MS_CONFIG = "ingest.insightiq.retry.initial.backoff.ms";
    private static final String INSIGHTIQ_RETRY_INITIAL_BACKOFF_MS_DOC = "First retry delay; doubles per attempt, "
        + "with 25% jitter. A Retry-After header wins when longer.";

    public static final String INSIGHTIQ_RETRY_MAX_BACKOFF_MS_CONFIG = "ingest.insightiq.retry.max.backoff.ms";
    private static final String INSIGHTIQ_RETRY_MAX_BACKOFF_MS_DOC = "Longest retry delay.";

    public static final String INSIGHTIQ_RETRY_BUDGET_MS_CONFIG = "ingest.insightiq.retry.budget.ms";
    private static final String INSIGHTIQ_RETRY_BUDGET_MS_DOC = "Longest total time spent on one request, retries "
        + "included; then the request fails and the poll cycle ends without advancing the cursor.";

    // ---- InsightIQ webhooks -----------------------------------------------------------------------------------

    public static final String INSIGHTIQ_WEBHOOK_SECRETS_CONFIG = "ingest.insightiq.webhook.secrets";
    private static final String INSIGHTIQ_WEBHOOK_SECRETS_DOC = "Shared secrets of POST /webhooks/v1/insightiq, "
        + "comma-separated (list the new and the old one while rotating). Empty: the endpoint is not served.";

    public static final String INSIGHTIQ_WEBHOOK_AUTH_SCHEME_CONFIG = "ingest.insightiq.webhook.auth.scheme";
    private static final String INSIGHTIQ_WEBHOOK_AUTH_SCHEME_DOC = "How InsightIQ webhooks prove the secret: "
        + "hmac-sha256 (header = hex HMAC-SHA256 of the raw body, optionally prefixed sha256=) or token (header = "
        + "the secret itself).";

    public static final String INSIGHTIQ_WEBHOOK_AUTH_HEADER_CONFIG = "ingest.insightiq.webhook.auth.header";
    private static final String INSIGHTIQ_WEBHOOK_AUTH_HEADER_DOC = "Header carrying the signature or token.";

    public static final String INSIGHTIQ_FETCHER_GROUP_CONFIG = "ingest.insightiq.fetcher.group.id";
    private static final String INSIGHTIQ_FETCHER_GROUP_DOC = "Consumer group of the fetcher that turns InsightIQ "
        + "notifications into targeted fetches (runs when the webhook and the client credentials are set).";

    // -----------------------------------------------------------------------------------------------------------

    static final ConfigDef CONFIG_DEF = CommonConfig.addTo(new ConfigDef())
        .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            HTTP_HOST_DOC)
        .define(HTTP_PORT_CONFIG, Type.INT, 8081, Range.between(0, 65_535), Importance.HIGH, HTTP_PORT_DOC)
        .define(HTTP_IDLE_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, Range.between(1_000L, 3_600_000L), Importance.LOW,
            HTTP_IDLE_TIMEOUT_MS_DOC)
        .define(HTTP_HEADER_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100L, 600_000L), Importance.LOW,
            HTTP_HEADER_TIMEOUT_MS_DOC)
        .define(WEBHOOK_SECRETS_CONFIG, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new SecretsValidator(),
            Importance.HIGH, WEBHOOK_SECRETS_DOC)
        .define(WEBHOOK_MAX_BODY_BYTES_CONFIG, Type.INT, 1_048_576, Range.between(1_024, 16 * 1_048_576),
            Importance.MEDIUM, WEBHOOK_MAX_BODY_BYTES_DOC)
        .define(WEBHOOK_MAX_BATCH_CONFIG, Type.INT, 1_000, Range.between(1, 100_000), Importance.MEDIUM,
            WEBHOOK_MAX_BATCH_DOC)
        .define(PRODUCE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(1_000L, 120_000L), Importance.MEDIUM,
            PRODUCE_TIMEOUT_MS_DOC)
        .define(DEDUPE_CAPACITY_CONFIG, Type.INT, 100_000, Range.atLeast(0), Importance.LOW, DEDUPE_CAPACITY_DOC)
        // Health, metrics and topic creation
        .define(TOPICS_CREATE_CONFIG, Type.BOOLEAN, true, Importance.LOW, TOPICS_CREATE_DOC)
        .define(HEALTH_KAFKA_TIMEOUT_MS_CONFIG, Type.LONG, 2_000L, Range.between(100L, 60_000L), Importance.LOW,
            HEALTH_KAFKA_TIMEOUT_MS_DOC)
        // InsightIQ REST client and poller
        .define(INSIGHTIQ_POLLER_ENABLED_CONFIG, Type.BOOLEAN, false, Importance.HIGH, INSIGHTIQ_POLLER_ENABLED_DOC)
        .define(INSIGHTIQ_ENVIRONMENT_CONFIG, Type.STRING, "sandbox",
            ConfigDef.ValidString.in("sandbox", "staging", "production"), Importance.HIGH, INSIGHTIQ_ENVIRONMENT_DOC)
        .define(INSIGHTIQ_BASE_URL_CONFIG, Type.STRING, "", new HttpUrlValidator(), Importance.HIGH,
            INSIGHTIQ_BASE_URL_DOC)
        .define(INSIGHTIQ_CLIENT_ID_CONFIG, Type.STRING, "", Importance.HIGH, INSIGHTIQ_CLIENT_ID_DOC)
        .define(INSIGHTIQ_CLIENT_SECRET_CONFIG, Type.PASSWORD, "", Importance.HIGH, INSIGHTIQ_CLIENT_SECRET_DOC)
        .define(INSIGHTIQ_PAGE_SIZE_CONFIG, Type.INT, 100, Range.between(1, 100), Importance.MEDIUM,
            INSIGHTIQ_PAGE_SIZE_DOC)
        .define(INSIGHTIQ_POLL_INTERVAL_MS_CONFIG, Type.LONG, 900_000L, Range.atLeast(1_000L), Importance.MEDIUM,
            INSIGHTIQ_POLL_INTERVAL_MS_DOC)
        .define(INSIGHTIQ_WINDOW_OVERLAP_DAYS_CONFIG, Type.INT, 3, Range.between(0, 365), Importance.MEDIUM,
            INSIGHTIQ_WINDOW_OVERLAP_DAYS_DOC)
        .define(INSIGHTIQ_INITIAL_LOOKBACK_DAYS_CONFIG, Type.INT, 90, Range.between(0, 3_650), Importance.MEDIUM,
            INSIGHTIQ_INITIAL_LOOKBACK_DAYS_DOC)
        .define(INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG, Type.INT, 10, Range.between(1, 1_000), Importance.MEDIUM,
            INSIGHTIQ_REQUESTS_PER_SECOND_DOC)
        .define(INSIGHTIQ_REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, Range.between(100L, 600_000L),
            Importance.MEDIUM, INSIGHTIQ_REQUEST_TIMEOUT_MS_DOC)
        .define(INSIGHTIQ_RETRY_MAX_ATTEMPTS_CONFIG, Type.INT, 6, Range.between(1, 100), Importance.LOW,
            INSIGHTIQ_RETRY_MAX_ATTEMPTS_DOC)
        .define(INSIGHTIQ_RETRY_INITIAL_BACKOFF_MS_CONFIG, Type.LONG, 500L, Range.between(1L, 600_000L),
            Importance.LOW, INSIGHTIQ_RETRY_INITIAL_BACKOFF_MS_DOC)
        .define(INSIGHTIQ_RETRY_MAX_BACKOFF_MS_CONFIG, Type.LONG, 60_000L, Range.between(1L, 3_600_000L),
            Importance.LOW, INSIGHTIQ_RETRY_MAX_BACKOFF_MS_DOC)
        .define(INSIGHTIQ_RETRY_BUDGET_MS_CONFIG, Type.LONG, 300_000L, Range.between(1L, 86_400_000L),
            Importance.LOW, INSIGHTIQ_RETRY_BUDGET_MS_DOC)
        // InsightIQ webhooks
        .define(INSIGHTIQ_WEBHOOK_SECRETS_CONFIG, Type.PASSWORD, "", Importance.HIGH, INSIGHTIQ_WEBHOOK_SECRETS_DOC)
        .define(INSIGHTIQ_WEBHOOK_AUTH_SCHEME_CONFIG, Type.STRING, "hmac-sha256",
            ConfigDef.ValidString.in("hmac-sha256", "token"), Importance.MEDIUM, INSIGHTIQ_WEBHOOK_AUTH_SCHEME_DOC)
        .define(INSIGHTIQ_WEBHOOK_AUTH_HEADER_CONFIG, Type.STRING, "X-InsightIQ-Signature",
            new ConfigDef.NonEmptyString(), Importance.MEDIUM, INSIGHTIQ_WEBHOOK_AUTH_HEADER_DOC)
        .define(INSIGHTIQ_FETCHER_GROUP_CONFIG, Type.STRING, "ingest-insightiq-fetcher",
            new ConfigDef.NonEmptyString(), Importance.LOW, INSIGHTIQ_FETCHER_GROUP_DOC);

    static {
        // Insider raw-data export keys (ingest.export.*): defined and parsed in the export package.
        ExportConfigDef.addTo(CONFIG_DEF);
    }

    private final List<String> webhookSecrets;
    private final ExportSettings exportSettings;
    private final InsightIqSettings insightIq;

    public IngestConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, true);
        webhookSecrets = List.of(getPassword(WEBHOOK_SECRETS_CONFIG).value().split("\\s*,\\s*"));
        exportSettings = ExportSettings.from(this);
        insightIq = insightIqSettings();
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

    public Duration httpIdleTimeout() {
        return Duration.ofMillis(getLong(HTTP_IDLE_TIMEOUT_MS_CONFIG));
    }

    public Duration httpHeaderTimeout() {
        return Duration.ofMillis(getLong(HTTP_HEADER_TIMEOUT_MS_CONFIG));
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

    public boolean createTopics() {
        return getBoolean(TOPICS_CREATE_CONFIG);
    }

    public Duration healthKafkaTimeout() {
        return Duration.ofMillis(getLong(HEALTH_KAFKA_TIMEOUT_MS_CONFIG));
    }

    /** The InsightIQ client, poller and webhook settings, checked together at start-up. */
    public InsightIqSettings insightIq() {
        return insightIq;
    }

    private InsightIqSettings insightIqSettings() {
        final String environment = getString(INSIGHTIQ_ENVIRONMENT_CONFIG);
        String baseUrl = getString(INSIGHTIQ_BASE_URL_CONFIG);
        if (baseUrl.isEmpty()) {
            baseUrl = switch (environment) {
                case "sandbox" -> "https://api.sandbox.insightiq.ai";
                case "staging" -> "https://api.staging.insightiq.ai";
                default -> "";
            };
        }
        final boolean poller = getBoolean(INSIGHTIQ_POLLER_ENABLED_CONFIG);
        final List<String> hookSecrets = splitSecrets(getPassword(INSIGHTIQ_WEBHOOK_SECRETS_CONFIG));
        final String clientId = getString(INSIGHTIQ_CLIENT_ID_CONFIG);
        final Password clientSecret = getPassword(INSIGHTIQ_CLIENT_SECRET_CONFIG);
        if (poller && clientId.isBlank()) {
            throw new ConfigException(INSIGHTIQ_CLIENT_ID_CONFIG, clientId, "is required when "
                + INSIGHTIQ_POLLER_ENABLED_CONFIG + " is true");
        }
        if (poller && clientSecret.value().isBlank()) {
            throw new ConfigException(INSIGHTIQ_CLIENT_SECRET_CONFIG, "[hidden]", "is required when "
                + INSIGHTIQ_POLLER_ENABLED_CONFIG + " is true");
        }
        final boolean credentials = !clientId.isBlank() && !clientSecret.value().isBlank();
        if ((poller || credentials) && baseUrl.isEmpty()) {
            throw new ConfigException(INSIGHTIQ_BASE_URL_CONFIG, "", "is required for the " + environment
                + " environment (its URL is not published)");
        }
        for (final String secret : hookSecrets) {
            if (secret.length() < 16) {
                throw new ConfigException(INSIGHTIQ_WEBHOOK_SECRETS_CONFIG, "[hidden]",
                    "each secret needs at least 16 characters");
            }
        }
        return new InsightIqSettings(poller, environment, baseUrl, clientId, clientSecret,
            getInt(INSIGHTIQ_PAGE_SIZE_CONFIG), Duration.ofMillis(getLong(INSIGHTIQ_POLL_INTERVAL_MS_CONFIG)),
            getInt(INSIGHTIQ_WINDOW_OVERLAP_DAYS_CONFIG), getInt(INSIGHTIQ_INITIAL_LOOKBACK_DAYS_CONFIG),
            getInt(INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG), Duration.ofMillis(getLong(INSIGHTIQ_REQUEST_TIMEOUT_MS_CONFIG)),
            getInt(INSIGHTIQ_RETRY_MAX_ATTEMPTS_CONFIG),
            Duration.ofMillis(getLong(INSIGHTIQ_RETRY_INITIAL_BACKOFF_MS_CONFIG)),
            Duration.ofMillis(getLong(INSIGHTIQ_RETRY_MAX_BACKOFF_MS_CONFIG)),
            Duration.ofMillis(getLong(INSIGHTIQ_RETRY_BUDGET_MS_CONFIG)), hookSecrets,
            getString(INSIGHTIQ_WEBHOOK_AUTH_SCHEME_CONFIG), getString(INSIGHTIQ_WEBHOOK_AUTH_HEADER_CONFIG),
            getString(INSIGHTIQ_FETCHER_GROUP_CONFIG), credentials);
    }

    private static List<String> splitSecrets(final Password secrets) {
        final String text = secrets.value().trim();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s*,\\s*"));
    }

    /**
     * Typed view of the InsightIQ keys. {@code clientSecret} stays a {@link Password}, so it prints as [hidden].
     * {@code hasCredentials} is true when both client id and secret are set (the fetcher needs them).
     */
    public record InsightIqSettings(boolean pollerEnabled, String environment, String baseUrl, String clientId,
                                    Password clientSecret, int pageSize, Duration pollInterval, int overlapDays,
                                    int initialLookbackDays, int requestsPerSecond, Duration requestTimeout,
                                    int retryMaxAttempts, Duration retryInitialBackoff, Duration retryMaxBackoff,
                                    Duration retryBudget, List<String> webhookSecrets, String webhookAuthScheme,
                                    String webhookAuthHeader, String fetcherGroupId, boolean hasCredentials) {

        /** Whether POST /webhooks/v1/insightiq is served. */
        public boolean webhookEnabled() {
            return !webhookSecrets.isEmpty();
        }

        @Override
        public String toString() {
            return "InsightIqSettings[environment=" + environment + ", baseUrl=" + baseUrl + ", clientId=" + clientId
                + ", clientSecret=[hidden], webhookSecrets=[hidden], pollerEnabled=" + pollerEnabled + "]";
        }
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

    /** Empty, or an absolute http(s) URL without query. */
    static final class HttpUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            final String text = value == null ? "" : value.toString();
            if (text.isEmpty()) {
                return;
            }
            try {
                final java.net.URI uri = new java.net.URI(text);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null) {
                    throw new ConfigException(name, value, "must be an http(s) URL without query");
                }
            } catch (final java.net.URISyntaxException e) {
                throw new ConfigException(name, value, "must be an http(s) URL without query");
            }
        }

        @Override
        public String toString() {
            return "empty or an http(s) URL";
        }
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
