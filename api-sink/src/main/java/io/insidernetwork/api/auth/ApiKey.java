package io.insidernetwork.api.auth;

import io.insidernetwork.api.query.NetworkScope;

/**
 * A configured API key: its name (never the key itself), the partner networks it may read and its rate limit.
 *
 * @param requestsPerSecond sustained rate; {@code burst} requests may come at once
 */
public record ApiKey(String name, NetworkScope scope, int requestsPerSecond, int burst) {
}
