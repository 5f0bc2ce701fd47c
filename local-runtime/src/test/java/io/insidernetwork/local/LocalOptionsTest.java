package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {

    @Test
    void shouldUseDefaultsWhenNothingIsGiven() {
        final LocalOptions options = LocalOptions.parse(new String[0], Map.of());
        assertThat(options.apiPort()).isEqualTo(8080);
        assertThat(options.ingestPort()).isEqualTo(8081);
        assertThat(options.graphPort()).isEqualTo(8082);
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.dataDir()).isEqualTo(Path.of("local-data"));
        assertThat(options.simulation().enabled()).isTrue();
        assertThat(options.bootstrapServers()).isEmpty();
    }

    @Test
    void shouldPreferFlagsWhenEnvironmentAlsoSetsPorts() {
        final LocalOptions options = LocalOptions.parse(new String[] {"--api-port", "0", "--reset"},
            Map.of("API_PORT", "9000", "INGEST_PORT", "9001"));
        assertThat(options.apiPort()).isZero();
        assertThat(options.ingestPort()).isEqualTo(9001);
        assertThat(options.reset()).isTrue();
        assertThat(LocalOptions.parse(new String[] {"--graph-port", "0"}, Map.of("GRAPH_PORT", "9002")).graphPort())
            .isZero();
        assertThat(LocalOptions.parse(new String[0], Map.of("GRAPH_PORT", "9002")).graphPort()).isEqualTo(9002);
        assertThat(LocalOptions.parse(new String[] {"--kafka-port", "19092"}, Map.of("KAFKA_PORT", "29092"))
            .kafkaPort()).isEqualTo(19092);
        assertThat(LocalOptions.parse(new String[0], Map.of("KAFKA_PORT", "29092")).kafkaPort()).isEqualTo(29092);
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--kafka-port", "70000"}, Map.of()))
            .hasMessageContaining("--kafka-port must be a port 0-65535");
    }

    @Test
    void shouldFallBackToAFreeBrokerPortWhenTheWantedOneIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(LocalRuntime.brokerPort(taken.getLocalPort())).isZero();
        }
        final int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            free = probe.getLocalPort();
        }
        assertThat(LocalRuntime.brokerPort(free)).isEqualTo(free);
        assertThat(LocalRuntime.brokerPort(0)).isZero();
    }

    @Test
    void shouldTakeSimulationFlagsWhenGiven() {
        final LocalOptions options = LocalOptions.parse(
            new String[] {"--insiders", "100", "--rate", "50", "--seed", "9"}, Map.of());
        assertThat(options.simulation()).isEqualTo(new LocalOptions.Simulation(true, 100, 50, 9, true, "csv"));
        assertThat(LocalOptions.parse(new String[] {"--no-insightiq", "--export-format", "parquet"}, Map.of())
            .simulation()).extracting(LocalOptions.Simulation::insightIq, LocalOptions.Simulation::exportFormat)
            .containsExactly(false, "parquet");
        assertThat(LocalOptions.parse(new String[] {"--no-simulator"}, Map.of()).simulation().enabled()).isFalse();
    }

    @Test
    void shouldNameOptionWhenValueIsBad() {
        assertThatThrownBy(() -> LocalOptions.parse(new String[0], Map.of("API_PORT", "http")))
            .hasMessageContaining("API_PORT");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--ingest-port", "70000"}, Map.of()))
            .hasMessageContaining("--ingest-port");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--frobnicate"}, Map.of()))
            .hasMessageContaining("unknown option --frobnicate");
    }
}
