package io.insidernetwork.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiConfigTest {

    private static Map<String, String> valid() {
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        env.put("API_AUTH_KEYS", Fixtures.KEY_ENTRY + "," + Fixtures.BRAND_KEY_ENTRY);
        env.put("API_SECRET", Fixtures.SECRET);
        return env;
    }

    @Test
    void shouldNameBootstrapServersWhenConfigIsEmpty() {
        assertThatThrownBy(() -> ApiConfig.load(null, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldNameEachRequiredKeyWhenItIsMissing() {
        for (final String required : new String[] {"API_AUTH_KEYS", "API_SECRET"}) {
            final Map<String, String> env = valid();
            env.remove(required);
            assertThatThrownBy(() -> ApiConfig.load(null, env)).as(required)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(required.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
        }
    }

    @Test
    void shouldNameKeyWhenPortIsOutOfRange(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("api.properties");
        Files.writeString(file, "api.http.port=70000\n");
        assertThatThrownBy(() -> ApiConfig.load(file, valid()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("api.http.port");
    }

    @Test
    void shouldPreferEnvironmentWhenFileAndEnvironmentDisagree(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("api.properties");
        Files.writeString(file, "api.http.port=9000\n");
        final Map<String, String> env = valid();
        assertThat(ApiConfig.load(file, env).httpPort()).isEqualTo(9000);
        env.put("API_HTTP_PORT", "9001");
        assertThat(ApiConfig.load(file, env).httpPort()).isEqualTo(9001);
    }

    @Test
    void shouldFailNamingFileWhenFileIsMissing(@TempDir final Path dir) {
        assertThatThrownBy(() -> ApiConfig.load(dir.resolve("absent.properties"), valid()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("absent.properties");
    }

    @Test
    void shouldNameKeyButHideSecretsWhenEntriesAreBad() {
        final Map<String, String> env = valid();
        env.put("API_AUTH_KEYS", "partner:not-a-hash:*");
        assertThatThrownBy(() -> ApiConfig.load(null, env)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("api.auth.keys").hasMessageContaining("partner");
        env.put("API_AUTH_KEYS", Fixtures.KEY_ENTRY);
        env.put("API_SECRET", "short-secret");
        assertThatThrownBy(() -> ApiConfig.load(null, env)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("api.secret").hasMessageNotContaining("short-secret");
    }

    @Test
    void shouldAdvertiseLoopbackWhenBindingAllInterfaces() {
        assertThat(ApiConfig.load(null, valid()).advertisedHost()).isEqualTo("127.0.0.1");
        final Map<String, String> env = valid();
        env.put("API_ADVERTISED_HOST", "api-2.internal");
        assertThat(ApiConfig.load(null, env).advertisedHost()).isEqualTo("api-2.internal");
    }

    @Test
    void shouldDocumentEveryKeyWhenDefined() {
        assertThat(ApiConfig.configDef().configKeys().values())
            .allSatisfy(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }
}
