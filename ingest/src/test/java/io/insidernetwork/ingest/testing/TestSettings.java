package io.insidernetwork.ingest.testing;

import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.export.ExportConfigDef;
import java.util.HashMap;
import java.util.Map;

/** Ingest settings for tests: loopback, free port, a unique topic prefix, a webhook secret. */
public final class TestSettings {

    public static final String PARTNER_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public static final String EXPORT_HOOK_TOKEN = "test-export-hook-token";

    private TestSettings() {
    }

    /** Base settings; callers add or override keys. */
    public static Map<String, Object> base(final String bootstrap, final String prefix) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", bootstrap);
        settings.put("topics.prefix", prefix);
        settings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(IngestConfig.HTTP_PORT_CONFIG, 0);
        settings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, PARTNER_SECRET);
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, EXPORT_HOOK_TOKEN);
        return settings;
    }

    /** Base settings plus a poller against {@code fake}. */
    public static Map<String, Object> poller(final String bootstrap, final String prefix, final FakeInsightIq fake) {
        final Map<String, Object> settings = base(bootstrap, prefix);
        settings.put(IngestConfig.INSIGHTIQ_POLLER_ENABLED_CONFIG, true);
        settings.put(IngestConfig.INSIGHTIQ_BASE_URL_CONFIG, fake.baseUrl());
        settings.put(IngestConfig.INSIGHTIQ_CLIENT_ID_CONFIG, FakeInsightIq.USER);
        settings.put(IngestConfig.INSIGHTIQ_CLIENT_SECRET_CONFIG, FakeInsightIq.PASSWORD);
        settings.put(IngestConfig.INSIGHTIQ_PAGE_SIZE_CONFIG, 10);
        settings.put(IngestConfig.INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG, 500);
        settings.put(IngestConfig.INSIGHTIQ_RETRY_INITIAL_BACKOFF_MS_CONFIG, 20L);
        return settings;
    }
}
