package io.insidernetwork.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where a service's settings come from: an optional {@code .properties} file, then environment variables, which win.
 * A key's variable is the key upper-cased with dots and dashes as underscores ({@code api.http.port} is
 * {@code API_HTTP_PORT}); any {@code KAFKA_*} variable also passes through as a {@code kafka.*} client setting.
 */
public final class ConfigSource {

    /** Prefix of the Kafka client settings passed through to producers, consumers and Streams. */
    public static final String KAFKA_PREFIX = "kafka.";

    private ConfigSource() {
    }

    /** The settings for {@code def}, from {@code file} (may be null) overridden by {@code env}. Never null. */
    public static Map<String, String> load(final Path file, final Map<String, String> env, final ConfigDef def) {
        final Map<String, String> values = new HashMap<>();
        if (file != null) {
            values.putAll(readFile(file));
        }
        for (final String key : def.names()) {
            final String value = env.get(envName(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && name.length() > "KAFKA_".length()) {
                values.put(KAFKA_PREFIX + name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                    value);
            }
        });
        return values;
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(final String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> readFile(final Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        final Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
        return values;
    }
}
