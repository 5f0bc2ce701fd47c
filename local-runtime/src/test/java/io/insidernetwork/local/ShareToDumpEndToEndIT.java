package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's end-to-end proof on a real broker: a signed share event POSTed to ingest reaches Kafka,
 * graph-stream connects sharer → recipient, and the API's dump lists the sharer with that connection.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class ShareToDumpEndToEndIT {

    private static final String SHARER = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    private static final String RECIPIENT = "b1b2c3d4-e5f6-7890-1234-567890abcdef";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldListSharerWithConnectionWhenShareIsPostedToWebhook(final KafkaBroker broker, @TempDir final Path dir)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("e2e") + ".";
        final LocalOptions options = LocalOptions.forTests(dir, broker.bootstrapServers(), prefix);
        try (LocalRuntime runtime = LocalRuntime.start(options)) {
            await().atMost(Duration.ofSeconds(60)).until(runtime::ready);
            final String body = """
                {"id":"evt-e2e-1","type":"share","timestamp":"2025-02-03T14:17:00Z","network_id":"mybrand",
                 "data":{"sharer_id":"%s","instance_id":"sku-1","platform":"instagram","recipients":["%s"]}}
                """.formatted(SHARER, RECIPIENT);

            final HttpResponse<String> accepted = new WebhookSigner(runtime.webhookSecret())
                .post(URI.create("http://127.0.0.1:" + runtime.ingestPort() + "/webhooks/v1/events"), "msg-1", body);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            final URI dump = URI.create("http://127.0.0.1:" + runtime.apiPort() + "/api/v1/networks/dump?limit=100");
            final JsonNode page = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(dump, runtime.apiKey()),
                    // insider and connection states are separate topics, and the recipient (a known insider id)
                    // becomes an INVITED insider through its own task: wait until all of it is materialized
                    p -> p.path("data").path("insiders").path(SHARER).path("connections").size() > 0
                        && p.path("data").path("insiders").has(RECIPIENT));

            assertThat(page.path("success").asBoolean()).isTrue();
            final JsonNode sharer = page.path("data").path("insiders").path(SHARER);
            assertThat(sharer.path("joined_date").asText()).isEqualTo("2025-02-03T14:17:00Z");
            assertThat(sharer.path("connections")).hasSize(1);
            assertThat(sharer.path("connections").get(0).path("target").asText()).isEqualTo(RECIPIENT);
            assertThat(sharer.path("connections").get(0).path("weight").asDouble()).isGreaterThan(0.0)
                .isLessThanOrEqualTo(1.0);
            final JsonNode recipient = page.path("data").path("insiders").path(RECIPIENT);
            assertThat(recipient.path("connections")).isEmpty();
            assertThat(page.path("pagination").path("count").asInt()).isEqualTo(2);
            assertThat(page.path("pagination").path("sortBy").asText()).isEqualTo("joined_date");
            assertThat(page.path("pagination").path("hasNext").asBoolean()).isFalse();
        }
    }

    private JsonNode get(final URI uri, final String apiKey) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("X-API-Key", apiKey)
                .GET().build(),
            HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }
}
