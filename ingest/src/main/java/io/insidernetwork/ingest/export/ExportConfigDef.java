package io.insidernetwork.ingest.export;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code ingest.export.*} keys of {@code IngestConfig}: the Insider raw-data export client and scheduler, the
 * export-link webhook receiver and the file downloader. Kept apart from the other ingest keys so that each area owns
 * its block; {@link ExportSettings#from} parses them into typed settings when the config is built.
 */
public final class ExportConfigDef {

    public static final String PARTNERS_CONFIG = "ingest.export.partners";
    private static final String PARTNERS_DOC = "Insider partners to request a daily export for, as "
        + "partner=segment_id pairs, comma-separated (partner names lowercase, as X-PARTNER-NAME; segment_id the "
        + "dynamic segment to export). Empty: no export is requested, the receiver still accepts links.";

    public static final String TOKENS_CONFIG = "ingest.export.tokens";
    private static final String TOKENS_DOC = "X-REQUEST-TOKEN of every partner in ingest.export.partners, as "
        + "partner=token pairs, comma-separated. Required when partners are configured.";

    public static final String API_URL_CONFIG = "ingest.export.api.url";
    private static final String API_URL_DOC = "Base URL of the Insider raw-data export API; the client POSTs to "
        + "<base>/api/raw/v1/export. Must be https unless ingest.export.allow.http is true.";
    public static final String API_URL_DEFAULT = "https://unification.useinsider.com";

    public static final String HOOK_URL_CONFIG = "ingest.export.hook.url";
    private static final String HOOK_URL_DOC = "Public URL of this service's export webhook, sent as 'hook' in every "
        + "export request (include the path token when ingest.export.webhook.token is set). Required when partners "
        + "are configured.";

    public static final String REQUEST_ATTRIBUTES_CONFIG = "ingest.export.request.attributes";
    private static final String REQUEST_ATTRIBUTES_DOC = "User attributes to export ('attributes' of the request), "
        + "comma-separated; '*' for all. Attributes or events (or both) must be requested.";

    public static final String REQUEST_EVENTS_CONFIG = "ingest.export.request.events";
    private static final String REQUEST_EVENTS_DOC = "Wanted events ('events.wanted' of the request) as a JSON array "
        + "of {event_name, params[], filters[{key, operator, values|values_url}]}; empty for none. The window "
        + "(start_date, end_date) is the previous UTC day, set by the scheduler.";

    public static final String REQUEST_FORMAT_CONFIG = "ingest.export.request.format";
    private static final String REQUEST_FORMAT_DOC = "Export file format requested: csv, json or parquet. Also the "
        + "format assumed for a downloaded file whose name and content type do not tell.";

    public static final String SCHEDULE_DELAY_MS_CONFIG = "ingest.export.schedule.delay.ms";
    private static final String SCHEDULE_DELAY_MS_DOC = "How long after 00:00 UTC the daily export is requested.";

    public static final String RETRY_INITIAL_MS_CONFIG = "ingest.export.retry.initial.backoff.ms";
    private static final String RETRY_INITIAL_MS_DOC = "First retry delay of a failed export request or download "
        + "(doubles on every retry, with jitter).";

    public static final String RETRY_MAX_BACKOFF_MS_CONFIG = "ingest.export.retry.max.backoff.ms";
    private static final String RETRY_MAX_BACKOFF_MS_DOC = "Longest delay between two retries.";

    public static final String RETRY_MAX_DURATION_MS_CONFIG = "ingest.export.retry.max.duration.ms";
    private static final String RETRY_MAX_DURATION_MS_DOC = "Retry budget of one daily export request; after it the "
        + "request is given up (logged ERROR) until the next UTC day. Downloads retry until the link expires.";

    public static final String HTTP_TIMEOUT_MS_CONFIG = "ingest.export.http.timeout.ms";
    private static final String HTTP_TIMEOUT_MS_DOC = "Connect timeout, and response-headers timeout, of export API "
        + "calls and file downloads.";

    public static final String WEBHOOK_PATH_CONFIG = "ingest.export.webhook.path";
    private static final String WEBHOOK_PATH_DOC = "Path of the export-link webhook on the ingest port. With a token, "
        + "<path>/<token> is served too.";

    public static final String WEBHOOK_TOKEN_CONFIG = "ingest.export.webhook.token";
    private static final String WEBHOOK_TOKEN_DOC = "Shared secret the export webhook requires, as the last path "
        + "segment (<path>/<token>) or in the X-Webhook-Token header; the seed documents no signature. Required "
        + "unless ingest.export.webhook.token.required is false (the local runtime generates one at first start).";

    public static final String WEBHOOK_TOKEN_REQUIRED_CONFIG = "ingest.export.webhook.token.required";
    private static final String WEBHOOK_TOKEN_REQUIRED_DOC = "Refuse to start without "
        + "ingest.export.webhook.token. Set to false only to serve the export webhook on purpose without a token "
        + "(only the host allowlist then protects it; a warning is logged at start-up).";

    public static final String ALLOWED_HOSTS_CONFIG = "ingest.export.allowed.hosts";
    private static final String ALLOWED_HOSTS_DOC = "Hosts an export link (and any redirect) may point at, "
        + "comma-separated, host or host:port (a bare host allows only the scheme's default port). Anything else is "
        + "refused.";
    public static final String ALLOWED_HOSTS_DEFAULT = "insider-data-export.useinsider.com";

    public static final String ALLOW_HTTP_CONFIG = "ingest.export.allow.http";
    private static final String ALLOW_HTTP_DOC = "Accept plain http for the API URL, the hook and export links. For "
        + "tests against a local server only.";

    public static final String DOWNLOAD_ENABLED_CONFIG = "ingest.export.download.enabled";
    private static final String DOWNLOAD_ENABLED_DOC = "Run the export file downloader in this instance. Run it in "
        + "exactly one ingest instance: it reads every partition of the links topic.";

    public static final String DOWNLOAD_DIR_CONFIG = "ingest.export.download.dir";
    private static final String DOWNLOAD_DIR_DOC = "Directory for Parquet files while they are read (Parquet needs "
        + "random access); empty for the JVM temp directory. Files are deleted after reading.";

    public static final String LINK_TTL_MS_CONFIG = "ingest.export.link.ttl.ms";
    private static final String LINK_TTL_MS_DOC = "How long an export link stays valid after it was received (the "
        + "seed: 24 hours); the downloader gives up (EXPIRED) after it.";

    public static final String CHECKPOINT_ROWS_CONFIG = "ingest.export.checkpoint.rows";
    private static final String CHECKPOINT_ROWS_DOC = "Rows between two progress checkpoints: after a restart a file "
        + "resumes after the last checkpoint (rows after it may be published again, with the same event ids).";

    public static final String EVENT_KINDS_CONFIG = "ingest.export.event.kinds";
    private static final String EVENT_KINDS_DOC = "Insider event names that become typed partner events, as "
        + "event_name=kind pairs (kind: share, signup or purchase), comma-separated. Other rows go to "
        + "insider.export-events.v1 as generic rows.";

    public static final String COLUMNS_CONFIG = "ingest.export.columns";
    private static final String COLUMNS_DOC = "Column of each field, as field=column pairs overriding the defaults "
        + "(every field is read from the column of its own name, except event_time from 'timestamp'). Fields: "
        + "user_id, event_name, event_time, event_id, instance_id, platform, recipients, campaign_id, "
        + "referrer_insider_id, visitor_fingerprint, order_id, store_name, store_category, amount, currency.";

    public static final String ATTRIBUTE_PREFIX_CONFIG = "ingest.export.columns.attribute.prefix";
    private static final String ATTRIBUTE_PREFIX_DOC = "Columns starting with this prefix are user attributes (kept "
        + "without the prefix in generic rows); nested JSON/Parquet objects are flattened with '.', so "
        + "{\"attributes\": {\"email\": ...}} is column attributes.email.";

    public static final String PARAM_PREFIX_CONFIG = "ingest.export.columns.param.prefix";
    private static final String PARAM_PREFIX_DOC = "A field's column is also looked up with this prefix (nested "
        + "{\"params\": {...}} objects); generic rows keep params without it.";

    public static final String LIST_SEPARATOR_CONFIG = "ingest.export.list.separator";
    private static final String LIST_SEPARATOR_DOC = "Separator of list values (recipients) in a text cell, e.g. a "
        + "CSV column; JSON arrays and Parquet lists need none.";

    private static final Pattern PARTNER = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,99}$");

    private ExportConfigDef() {
    }

    /** Adds the export keys to {@code def} and returns it. */
    public static ConfigDef addTo(final ConfigDef def) {
        return def
            .define(PARTNERS_CONFIG, Type.LIST, "", new PartnerListValidator(), Importance.HIGH, PARTNERS_DOC)
            .define(TOKENS_CONFIG, Type.PASSWORD, null, Importance.HIGH, TOKENS_DOC)
            .define(API_URL_CONFIG, Type.STRING, API_URL_DEFAULT, new UrlValidator(false), Importance.HIGH,
                API_URL_DOC)
            .define(HOOK_URL_CONFIG, Type.STRING, null, new UrlValidator(true), Importance.HIGH, HOOK_URL_DOC)
            .define(REQUEST_ATTRIBUTES_CONFIG, Type.LIST, "", Importance.HIGH, REQUEST_ATTRIBUTES_DOC)
            .define(REQUEST_EVENTS_CONFIG, Type.STRING, "", Importance.HIGH, REQUEST_EVENTS_DOC)
            .define(REQUEST_FORMAT_CONFIG, Type.STRING, "parquet", ValidString.in("csv", "json", "parquet"),
                Importance.HIGH, REQUEST_FORMAT_DOC)
            .define(ALLOWED_HOSTS_CONFIG, Type.LIST, ALLOWED_HOSTS_DEFAULT, new HostListValidator(), Importance.HIGH,
                ALLOWED_HOSTS_DOC)
            .define(WEBHOOK_PATH_CONFIG, Type.STRING, "/webhooks/v1/insider-export", new PathValidator(),
                Importance.MEDIUM, WEBHOOK_PATH_DOC)
            .define(WEBHOOK_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, WEBHOOK_TOKEN_DOC)
            .define(WEBHOOK_TOKEN_REQUIRED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, WEBHOOK_TOKEN_REQUIRED_DOC)
            .define(ALLOW_HTTP_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, ALLOW_HTTP_DOC)
            .define(DOWNLOAD_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, DOWNLOAD_ENABLED_DOC)
            .define(EVENT_KINDS_CONFIG, Type.LIST, "share=share,signup=signup,purchase=purchase",
                new PairListValidator(), Importance.MEDIUM, EVENT_KINDS_DOC)
            .define(COLUMNS_CONFIG, Type.LIST, "", new PairListValidator(), Importance.MEDIUM, COLUMNS_DOC)
            .define(SCHEDULE_DELAY_MS_CONFIG, Type.LONG, 15 * 60_000L, Range.between(0L, 23 * 3_600_000L),
                Importance.MEDIUM, SCHEDULE_DELAY_MS_DOC)
            .define(RETRY_INITIAL_MS_CONFIG, Type.LONG, 30_000L, Range.between(10L, 3_600_000L), Importance.LOW,
                RETRY_INITIAL_MS_DOC)
            .define(RETRY_MAX_BACKOFF_MS_CONFIG, Type.LONG, 15 * 60_000L, Range.between(10L, 6 * 3_600_000L),
                Importance.LOW, RETRY_MAX_BACKOFF_MS_DOC)
            .define(RETRY_MAX_DURATION_MS_CONFIG, Type.LONG, 6 * 3_600_000L, Range.between(100L, 23 * 3_600_000L),
                Importance.LOW, RETRY_MAX_DURATION_MS_DOC)
            .define(HTTP_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, Range.between(100L, 600_000L), Importance.LOW,
                HTTP_TIMEOUT_MS_DOC)
            .define(DOWNLOAD_DIR_CONFIG, Type.STRING, "", Importance.LOW, DOWNLOAD_DIR_DOC)
            .define(LINK_TTL_MS_CONFIG, Type.LONG, 24 * 3_600_000L, Range.between(1_000L, 7 * 24 * 3_600_000L),
                Importance.LOW, LINK_TTL_MS_DOC)
            .define(CHECKPOINT_ROWS_CONFIG, Type.INT, 10_000, Range.between(1, 10_000_000), Importance.LOW,
                CHECKPOINT_ROWS_DOC)
            .define(ATTRIBUTE_PREFIX_CONFIG, Type.STRING, "attributes.", Importance.LOW, ATTRIBUTE_PREFIX_DOC)
            .define(PARAM_PREFIX_CONFIG, Type.STRING, "params.", Importance.LOW, PARAM_PREFIX_DOC)
            .define(LIST_SEPARATOR_CONFIG, Type.STRING, "|", new ConfigDef.NonEmptyString(), Importance.LOW,
                LIST_SEPARATOR_DOC);
    }

    /** Whether {@code name} is a valid Insider partner name (lowercase, as X-PARTNER-NAME). */
    public static boolean isPartnerName(final String name) {
        return name != null && PARTNER.matcher(name).matches();
    }

    /** partner=segment_id entries. */
    static final class PartnerListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            for (final Object entry : (List<?>) value) {
                final String[] parts = entry.toString().split("=", 2);
                if (parts.length != 2 || !isPartnerName(parts[0]) || !parts[1].matches("\\d{1,18}")) {
                    throw new ConfigException(name, entry, "must be partner=segment_id with a lowercase partner name "
                        + "and a numeric segment id");
                }
            }
        }

        @Override
        public String toString() {
            return "partner=segment_id, comma-separated";
        }
    }

    /** key=value entries with non-empty sides. */
    static final class PairListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            for (final Object entry : (List<?>) value) {
                final String[] parts = entry.toString().split("=", 2);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new ConfigException(name, entry, "must be key=value");
                }
            }
        }

        @Override
        public String toString() {
            return "key=value, comma-separated";
        }
    }

    /** host or host:port entries, at least one. */
    static final class HostListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            final List<?> hosts = (List<?>) value;
            if (hosts.isEmpty()) {
                throw new ConfigException(name, value, "at least one host is required");
            }
            for (final Object entry : hosts) {
                if (!entry.toString().matches("^[A-Za-z0-9.-]+(:\\d{1,5})?$")) {
                    throw new ConfigException(name, entry, "must be host or host:port");
                }
            }
        }

        @Override
        public String toString() {
            return "host or host:port, comma-separated, non-empty";
        }
    }

    /** An absolute http(s) URL (scheme checked later against ingest.export.allow.http). */
    static final class UrlValidator implements ConfigDef.Validator {
        private final boolean nullable;

        UrlValidator(final boolean nullable) {
            this.nullable = nullable;
        }

        @Override
        public void ensureValid(final String name, final Object value) {
            if (value == null && nullable) {
                return;
            }
            try {
                final URI uri = URI.create(String.valueOf(value));
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new ConfigException(name, value, "must be an absolute https URL");
                }
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(name, value, "must be an absolute https URL");
            }
        }

        @Override
        public String toString() {
            return "absolute https URL";
        }
    }

    /** A path starting with '/'. */
    static final class PathValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(final String name, final Object value) {
            if (value == null || !value.toString().matches("^(/[A-Za-z0-9._-]+)+$")) {
                throw new ConfigException(name, value, "must be a path such as /webhooks/v1/insider-export");
            }
        }

        @Override
        public String toString() {
            return "path such as /webhooks/v1/insider-export";
        }
    }
}
