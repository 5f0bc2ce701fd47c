package io.insidernetwork.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiConfigTest {

    @Test
    void shouldNameBootstrapServersWhenConfigIsEmpty() {
        assertThatThrownBy(() -> ApiConfig.load(null, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldNameKeyWhenPortIsOutOfRange(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("api.properties");
        Files.writeString(file, "kafka.bootstrap.servers=localhost:9092\napi.http.port=70000\n");
        assertThatThrownBy(() -> ApiConfig.load(file, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("api.http.port");
    }

    @Test
    void shouldPreferEnvironmentWhenFileAndEnvironmentDisagree(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("api.properties");
        Files.writeString(file, "kafka.bootstrap.servers=localhost:9092\napi.http.port=9000\n");
        assertThat(ApiConfig.load(file, Map.of("API_HTTP_PORT", "9001")).httpPort()).isEqualTo(9001);
        assertThat(ApiConfig.load(file, Map.of()).httpPort()).isEqualTo(9000);
    }

    @Test
    void shouldFailNamingFileWhenFileIsMissing(@TempDir final Path dir) {
        assertThatThrownBy(() -> ApiConfig.load(dir.resolve("absent.properties"), Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("absent.properties");
    }

    @Test
    void shouldDocumentEveryKeyWhenDefined() {
        assertThat(ApiConfig.configDef().configKeys().values())
            .allSatisfy(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }
}
