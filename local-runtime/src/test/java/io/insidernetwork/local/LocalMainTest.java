package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalMainTest {

    @Test
    void shouldNameTheDashboardOnTheReadyLineWhenEverythingServes() {
        assertThat(LocalMain.readyLine(8080, 8081, 8082, "127.0.0.1:9092")).isEqualTo(
            "ready: api=http://127.0.0.1:8080 ingest=http://127.0.0.1:8081 graph=http://127.0.0.1:8082 "
                + "kafka=127.0.0.1:9092 dashboard=http://127.0.0.1:8080/dashboard");
    }
}
