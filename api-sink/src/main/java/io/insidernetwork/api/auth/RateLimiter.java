package io.insidernetwork.api.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** One token bucket per API key (per instance): {@code burst} at once, refilled at the key's rate. */
public final class RateLimiter {

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Empty when the request may go on, else the whole seconds to wait (at least 1). */
    public OptionalLong tryAcquire(final ApiKey key) {
        final Bucket bucket = buckets.computeIfAbsent(key.name(), name -> Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(key.burst())
                .refillGreedy(key.requestsPerSecond(), Duration.ofSeconds(1)).build())
            .build());
        final ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        final long seconds = (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1)
            / TimeUnit.SECONDS.toNanos(1);
        return OptionalLong.of(Math.max(1, seconds));
    }
}
