package io.insidernetwork.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String HOOK_TOKEN = "export-hook-token-1";

    @Test
    void shouldNameExportWebhookTokenWhenMissing() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET)))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.export.webhook.token")
            .hasMessageContaining("ingest.export.webhook.token.required=false");
    }

    @Test
    void shouldServeExportWebhookWithoutTokenWhenExplicitlyOptedOut() {
        final IngestConfig config = IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_WEBHOOK_TOKEN_REQUIRED", "false"));
        assertThat(config.exportSettings().webhookToken()).isEmpty();
    }

    @Test
    void shouldKeepExportWebhookTokenWhenSet() {
        final IngestConfig config = IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_WEBHOOK_TOKEN", HOOK_TOKEN));
        assertThat(config.exportSettings().webhookToken()).hasValueSatisfying(
            token -> assertThat(token.value()).isEqualTo(HOOK_TOKEN));
        assertThat(config.exportSettings().toString()).doesNotContain(HOOK_TOKEN);
    }

    @Test
    void shouldNameBootstrapServersWhenConfigIsEmpty() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldNameWebhookSecretsWhenMissing() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.webhook.secrets");
    }

    @Test
    void shouldNameKeyWhenPortIsNotANumber() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_HTTP_PORT", "eighty")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.http.port");
    }

    @Test
    void shouldNameKeyAndHideSecretWhenSecretIsNotBase64() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", "whsec_%%%not-base64%%%")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.webhook.secrets")
            .hasMessageNotContaining("not-base64");
    }

    @Test
    void shouldTakeEnvironmentOverridesWhenValid() {
        final IngestConfig config = IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET + "," + SECRET, "INGEST_HTTP_PORT", "0", "KAFKA_LINGER_MS", "7",
            "INGEST_EXPORT_WEBHOOK_TOKEN", HOOK_TOKEN));
        assertThat(config.httpPort()).isZero();
        assertThat(config.webhookSecrets()).hasSize(2);
        assertThat(config.kafkaSettings()).containsEntry("linger.ms", "7").containsEntry("bootstrap.servers",
            "localhost:9092");
    }

    @Test
    void shouldListEveryIngestKeyInTheReadmeWhenDefined() throws Exception {
        final String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        assertThat(IngestConfig.configDef().names().stream().filter(k -> k.startsWith("ingest.")))
            .allSatisfy(key -> assertThat(readme).as(key).contains("`" + key + "`"));
    }

    @Test
    void shouldDocumentEveryKeyWhenDefined() {
        assertThat(IngestConfig.configDef().configKeys().values())
            .allSatisfy(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }

    @Test
    void shouldNameTokensKeyWhenPartnerHasNoToken() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_PARTNERS", "mybrand=1",
            "INGEST_EXPORT_HOOK_URL", "https://h.test/x", "INGEST_EXPORT_REQUEST_ATTRIBUTES", "*")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.export.tokens");
    }

    @Test
    void shouldNameKeyWhenExportPartnerIsNotLowercase() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_PARTNERS", "MyBrand=1")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.export.partners");
    }

    @Test
    void shouldNameEventsKeyWhenWantedEventBreaksSeedRules() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_PARTNERS", "mybrand=1", "INGEST_EXPORT_TOKENS",
            "mybrand=tok", "INGEST_EXPORT_HOOK_URL", "https://h.test/x", "INGEST_EXPORT_REQUEST_EVENTS",
            "[{\"event_name\": \"share\", \"params\": [\"a\"], \"filters\": [{\"key\": \"a\", \"operator\": \"like\", "
                + "\"values\": [1]}]}]")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.export.request.events")
            .hasMessageContaining("operator")
            .hasMessageNotContaining("tok]");
    }

    @Test
    void shouldNameKeyWhenApiUrlIsPlainHttp() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_API_URL", "http://api.test")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.export.api.url");
    }

    @Test
    void shouldNameKeyWhenColumnFieldIsUnknown() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_COLUMNS", "price=amount")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.export.columns");
    }

    @Test
    void shouldHideExportTokensWhenSettingsArePrinted() {
        final IngestConfig config = IngestConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_PARTNERS", "mybrand=1", "INGEST_EXPORT_TOKENS",
            "mybrand=topsecrettoken", "INGEST_EXPORT_HOOK_URL", "https://h.test/x",
            "INGEST_EXPORT_REQUEST_ATTRIBUTES", "*", "INGEST_EXPORT_WEBHOOK_TOKEN", HOOK_TOKEN));
        assertThat(config.exportSettings().toString()).doesNotContain("topsecrettoken");
        assertThat(config.values().toString()).doesNotContain("topsecrettoken");
        assertThat(config.exportSettings().partners().get(0).token().value()).isEqualTo("topsecrettoken");
    }

    private static Map<String, String> env(final String... pairs) {
        final Map<String, String> env = new java.util.HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "INGEST_WEBHOOK_SECRETS", SECRET, "INGEST_EXPORT_WEBHOOK_TOKEN", HOOK_TOKEN));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void shouldNameEnvironmentWhenUnknown() {
        assertThatThrownBy(() -> IngestConfig.load(null, env("INGEST_INSIGHTIQ_ENVIRONMENT", "prod")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.insightiq.environment");
    }

    @Test
    void shouldNameClientSecretWhenPollerHasNone() {
        assertThatThrownBy(() -> IngestConfig.load(null, env("INGEST_INSIGHTIQ_POLLER_ENABLED", "true",
            "INGEST_INSIGHTIQ_CLIENT_ID", "id")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.insightiq.client.secret");
    }

    @Test
    void shouldNameBaseUrlWhenProductionHasNone() {
        assertThatThrownBy(() -> IngestConfig.load(null, env("INGEST_INSIGHTIQ_POLLER_ENABLED", "true",
            "INGEST_INSIGHTIQ_CLIENT_ID", "id", "INGEST_INSIGHTIQ_CLIENT_SECRET", "secret",
            "INGEST_INSIGHTIQ_ENVIRONMENT", "production")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.insightiq.base.url");
    }

    @Test
    void shouldNamePageSizeWhenOverTheUpstreamLimit() {
        assertThatThrownBy(() -> IngestConfig.load(null, env("INGEST_INSIGHTIQ_PAGE_SIZE", "101")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.insightiq.page.size");
    }

    @Test
    void shouldUseEnvironmentUrlAndHideSecretWhenPollerIsConfigured() {
        final IngestConfig config = IngestConfig.load(null, env("INGEST_INSIGHTIQ_POLLER_ENABLED", "true",
            "INGEST_INSIGHTIQ_CLIENT_ID", "id", "INGEST_INSIGHTIQ_CLIENT_SECRET", "very-secret",
            "INGEST_INSIGHTIQ_ENVIRONMENT", "staging"));
        assertThat(config.insightIq().baseUrl()).isEqualTo("https://api.staging.insightiq.ai");
        assertThat(config.insightIq().toString()).doesNotContain("very-secret");
        assertThat(config.values().toString()).doesNotContain("very-secret");
    }
}
