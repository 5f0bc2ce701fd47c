package io.insidernetwork.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.api.ContractClient.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 section 5: {@code /health/ready} is DOWN (503, saying why) while the query tier's Kafka Streams is not
 * RUNNING and while its stream threads keep failing, and UP otherwise; liveness is unaffected.
 */
class ReadinessTest {

    @TempDir
    Path stateDir;
    private ApiHarness api;

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private Answer ready() {
        return api.client.get("/health/ready", Map.of());
    }

    @Test
    void shouldBeDownWithReasonWhenStreamsIsNotRunning() {
        for (final KafkaStreams.State state : new KafkaStreams.State[] {KafkaStreams.State.CREATED,
            KafkaStreams.State.REBALANCING, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR}) {
            api.health.onStateChange(state);
            final Answer a = ready();
            assertThat(a.status()).as(state.name()).isEqualTo(503);
            assertThat(a.at("/status").asText()).isEqualTo("DOWN");
            assertThat(a.at("/state").asText()).isEqualTo(state.name());
            assertThat(a.at("/reason").asText()).contains(state.name()).contains("not RUNNING");
        }
        api.health.onStateChange(KafkaStreams.State.RUNNING);
        final Answer up = ready();
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.at("/status").asText()).isEqualTo("UP");
        assertThat(up.at("/reason").isMissingNode()).isTrue();
        assertThat(api.client.get("/health/live", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void shouldBeDownWhenStreamThreadsKeepFailing() {
        api.health.onThreadReplaced();
        api.health.onThreadReplaced();
        assertThat(ready().status()).isEqualTo(200);
        assertThat(ready().at("/replaced_threads").asInt()).isEqualTo(2);
        api.health.onThreadReplaced();
        final Answer down = ready();
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.at("/status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/state").asText()).isEqualTo("RUNNING");
        assertThat(down.at("/replaced_threads").asInt()).isEqualTo(3);
        assertThat(down.at("/reason").asText()).contains("3 stream threads failed and were replaced");
        assertThat(api.client.get("/health/live", Map.of()).status()).isEqualTo(200);
    }
}
