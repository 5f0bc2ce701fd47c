package io.insidernetwork.ingest.export;

import static io.insidernetwork.ingest.export.ExportConfigDef.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.export.mapping.ColumnMapping;
import io.insidernetwork.ingest.export.mapping.EventKind;
import io.insidernetwork.ingest.export.receiver.LinkPolicy;
import io.insidernetwork.ingest.export.request.ExportRequest;
import io.insidernetwork.ingest.export.request.ExportRequestValidator;
import io.insidernetwork.ingest.export.request.Violation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The export settings of {@code IngestConfig}, parsed and cross-checked when the config is built (a bad value fails
 * start-up naming its key). Immutable.
 */
public record ExportSettings(List<Partner> partners, URI apiUrl, String hookUrl, List<String> attributes,
                             List<ExportRequest.WantedEvent> events, String format, Duration scheduleDelay,
                             Duration retryInitialBackoff, Duration retryMaxBackoff, Duration retryMaxDuration,
                             Duration httpTimeout, String webhookPath, Optional<Password> webhookToken,
                             List<String> allowedHosts, boolean allowHttp, boolean downloadEnabled, Path downloadDir,
                             Duration linkTtl, int checkpointRows, Map<String, EventKind> eventKinds,
                             ColumnMapping columns) {

    /** One partner to request a daily export for. {@code token} is secret: never logged. */
    public record Partner(String name, long segmentId, Password token) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Parses and checks the {@code ingest.export.*} keys of {@code config}. */
    public static ExportSettings from(final AbstractConfig config) {
        final boolean allowHttp = config.getBoolean(ALLOW_HTTP_CONFIG);
        final Map<String, String> tokens = tokens(config.getPassword(TOKENS_CONFIG));
        final List<Partner> partners = config.getList(PARTNERS_CONFIG).stream().map(entry -> {
            final String[] parts = entry.split("=", 2);
            final String token = tokens.get(parts[0]);
            if (token == null) {
                throw new ConfigException(TOKENS_CONFIG, "[hidden]", "no token for partner " + parts[0]);
            }
            return new Partner(parts[0], Long.parseLong(parts[1]), new Password(token));
        }).toList();
        final URI apiUrl = URI.create(config.getString(API_URL_CONFIG));
        if (!allowHttp && !"https".equals(apiUrl.getScheme())) {
            throw new ConfigException(API_URL_CONFIG, apiUrl.toString(), "must be https");
        }
        final String hook = config.getString(HOOK_URL_CONFIG);
        final List<ExportRequest.WantedEvent> events = events(config.getString(REQUEST_EVENTS_CONFIG));
        final List<String> attributes = config.getList(REQUEST_ATTRIBUTES_CONFIG);
        final String format = config.getString(REQUEST_FORMAT_CONFIG);
        if (!partners.isEmpty()) {
            if (hook == null) {
                throw new ConfigException(HOOK_URL_CONFIG, null, "is required when " + PARTNERS_CONFIG
                    + " is set");
            }
            checkTemplate(partners.get(0), hook, attributes, events, format, allowHttp);
        }
        final String dir = config.getString(DOWNLOAD_DIR_CONFIG);
        final Map<String, EventKind> kinds = new LinkedHashMap<>();
        for (final String entry : config.getList(EVENT_KINDS_CONFIG)) {
            final String[] parts = entry.split("=", 2);
            try {
                kinds.put(parts[0].trim(), EventKind.parse(parts[1]));
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(EVENT_KINDS_CONFIG, entry, "kind must be share, signup or purchase");
            }
        }
        final Map<String, String> overrides = new LinkedHashMap<>();
        config.getList(COLUMNS_CONFIG).forEach(entry -> {
            final String[] parts = entry.split("=", 2);
            overrides.put(parts[0].trim(), parts[1].trim());
        });
        final ColumnMapping columns;
        try {
            columns = ColumnMapping.of(overrides, config.getString(ATTRIBUTE_PREFIX_CONFIG),
                config.getString(PARAM_PREFIX_CONFIG), config.getString(LIST_SEPARATOR_CONFIG));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(COLUMNS_CONFIG, overrides.toString(), e.getMessage());
        }
        final Password webhookToken = config.getPassword(WEBHOOK_TOKEN_CONFIG);
        if (webhookToken != null && webhookToken.value().isBlank()) {
            throw new ConfigException(WEBHOOK_TOKEN_CONFIG, "[hidden]", "must not be blank");
        }
        if (webhookToken == null && config.getBoolean(WEBHOOK_TOKEN_REQUIRED_CONFIG)) {
            throw new ConfigException(WEBHOOK_TOKEN_CONFIG, null, "is required (set "
                + WEBHOOK_TOKEN_REQUIRED_CONFIG + "=false to serve the export webhook without a token on purpose)");
        }
        return new ExportSettings(partners, apiUrl, hook, attributes, events, format,
            Duration.ofMillis(config.getLong(SCHEDULE_DELAY_MS_CONFIG)),
            Duration.ofMillis(config.getLong(RETRY_INITIAL_MS_CONFIG)),
            Duration.ofMillis(config.getLong(RETRY_MAX_BACKOFF_MS_CONFIG)),
            Duration.ofMillis(config.getLong(RETRY_MAX_DURATION_MS_CONFIG)),
            Duration.ofMillis(config.getLong(HTTP_TIMEOUT_MS_CONFIG)),
            config.getString(WEBHOOK_PATH_CONFIG), Optional.ofNullable(webhookToken),
            config.getList(ALLOWED_HOSTS_CONFIG), allowHttp, config.getBoolean(DOWNLOAD_ENABLED_CONFIG),
            dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir),
            Duration.ofMillis(config.getLong(LINK_TTL_MS_CONFIG)), config.getInt(CHECKPOINT_ROWS_CONFIG),
            Map.copyOf(kinds), columns);
    }

    /** The request for {@code partner} without its window (the scheduler sets it). */
    public ExportRequest requestTemplate(final Partner partner) {
        return template(partner, hookUrl, attributes, events, format);
    }

    /** The link policy of the receiver and the downloader. */
    public LinkPolicy linkPolicy() {
        final Set<String> names = new LinkedHashSet<>();
        partners.forEach(p -> names.add(p.name()));
        return new LinkPolicy(allowedHosts, allowHttp, names);
    }

    private static ExportRequest template(final Partner partner, final String hook, final List<String> attributes,
                                          final List<ExportRequest.WantedEvent> events, final String format) {
        return new ExportRequest(new ExportRequest.Segment(partner.segmentId()),
            attributes.isEmpty() ? null : attributes,
            events.isEmpty() ? null : new ExportRequest.Events(null, null, events), format, hook);
    }

    private static void checkTemplate(final Partner partner, final String hook, final List<String> attributes,
                                      final List<ExportRequest.WantedEvent> events, final String format,
                                      final boolean allowHttp) {
        // Any valid window: only the configured parts of the request are checked here.
        final ExportRequest sample = template(partner, hook, attributes, events, format).withWindow(1L, 2L);
        final List<Violation> violations = new ExportRequestValidator(allowHttp).validate(partner.name(),
            partner.token().value(), sample);
        if (!violations.isEmpty()) {
            final Violation first = violations.get(0);
            throw new ConfigException(keyOf(first.field()), null, violations.toString());
        }
    }

    private static String keyOf(final String field) {
        if (field.startsWith("events")) {
            return REQUEST_EVENTS_CONFIG;
        }
        if (field.startsWith("attributes")) {
            return REQUEST_ATTRIBUTES_CONFIG;
        }
        if (field.startsWith("hook")) {
            return HOOK_URL_CONFIG;
        }
        if (field.startsWith("X-REQUEST-TOKEN")) {
            return TOKENS_CONFIG;
        }
        return PARTNERS_CONFIG;
    }

    private static List<ExportRequest.WantedEvent> events(final String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            final List<ExportRequest.WantedEvent> events = JSON.readValue(json, new TypeReference<>() { });
            return events == null ? List.of() : List.copyOf(events);
        } catch (final JsonProcessingException e) {
            throw new ConfigException(REQUEST_EVENTS_CONFIG, json, "must be a JSON array of wanted events: "
                + e.getOriginalMessage());
        }
    }

    private static Map<String, String> tokens(final Password password) {
        final Map<String, String> tokens = new LinkedHashMap<>();
        if (password == null || password.value().isBlank()) {
            return tokens;
        }
        for (final String entry : password.value().split("\\s*,\\s*")) {
            final String[] parts = entry.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new ConfigException(TOKENS_CONFIG, "[hidden]", "must be partner=token pairs");
            }
            tokens.put(parts[0].trim(), parts[1].trim());
        }
        return tokens;
    }
}
