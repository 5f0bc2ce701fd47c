package io.insidernetwork.api.auth;

import io.insidernetwork.api.query.NetworkScope;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Arrays;
import java.util.HashSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * The API keys from configuration, held only as SHA-256 hashes. Entry format:
 * {@code name:sha256hex:scope[:requestsPerSecond]} where scope is {@code *} or partner networks joined by {@code |}.
 */
public final class ApiKeys {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, ApiKey> byHash;

    private ApiKeys(final Map<String, ApiKey> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** Parses configured entries; a bad entry fails naming {@code configKey} and the entry's name. */
    public static ApiKeys parse(final String configKey, final List<String> entries, final int defaultRate,
                                final int defaultBurst) {
        final Map<String, ApiKey> keys = new HashMap<>();
        for (final String raw : entries) {
            final String[] parts = raw.trim().split(":");
            if (parts.length < 3 || parts.length > 4 || parts[0].isBlank()) {
                throw new ConfigException(configKey, "<hidden>", "entries are name:sha256hex:scope[:requestsPerSecond]");
            }
            final String hash = parts[1].toLowerCase(Locale.ROOT);
            if (!HEX.matcher(hash).matches()) {
                throw new ConfigException(configKey, parts[0], "the hash of key '" + parts[0]
                    + "' must be 64 hex digits (SHA-256)");
            }
            final NetworkScope scope = "*".equals(parts[2]) ? NetworkScope.ALL
                : NetworkScope.of(new HashSet<>(Arrays.asList(parts[2].split("\\|"))));
            int rate = defaultRate;
            if (parts.length == 4) {
                try {
                    rate = Integer.parseInt(parts[3]);
                } catch (final NumberFormatException e) {
                    rate = -1;
                }
                if (rate < 1) {
                    throw new ConfigException(configKey, parts[0], "the rate of key '" + parts[0]
                        + "' must be a positive integer");
                }
            }
            final int burst = parts.length == 4 ? Math.max(rate, defaultBurst * rate / Math.max(1, defaultRate))
                : defaultBurst;
            if (keys.put(hash, new ApiKey(parts[0], scope, rate, burst)) != null) {
                throw new ConfigException(configKey, parts[0], "the same key is configured twice");
            }
        }
        return new ApiKeys(keys);
    }

    /** The key a caller presented in X-API-Key or Authorization: Bearer, if it is configured. */
    public Optional<ApiKey> authenticate(final String apiKeyHeader, final String authorizationHeader) {
        String presented = apiKeyHeader;
        if ((presented == null || presented.isBlank()) && authorizationHeader != null
            && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorizationHeader.substring(7);
        }
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(Hmac.sha256Hex(presented.trim())));
    }
}
