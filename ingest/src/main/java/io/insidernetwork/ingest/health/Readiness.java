package io.insidernetwork.ingest.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness of the ingest service: Kafka answers a cluster description within the timeout, and no upstream
 * credential was stopped (an InsightIQ 401/403 stops a credential until the service is restarted with a new one).
 * The Kafka probe result is cached briefly so that frequent probes do not load the broker.
 */
public final class Readiness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);
    private static final Duration CACHE = Duration.ofSeconds(2);

    /** Outcome of one check: up, or down with a reason. */
    public record Check(boolean up, String reason) {
        static Check ok() {
            return new Check(true, null);
        }
    }

    private final Admin admin;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, String> stoppedCredentials = new ConcurrentHashMap<>();
    private volatile Check lastKafka = new Check(false, "not probed yet");
    private volatile Instant lastProbe = Instant.EPOCH;

    public Readiness(final Admin admin, final Duration timeout, final Clock clock) {
        this.admin = admin;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Marks {@code credential} stopped: readiness is DOWN with {@code reason} until restart. */
    public void credentialStopped(final String credential, final String reason) {
        if (stoppedCredentials.put(credential, reason) == null) {
            log.error("Credential {} stopped: {}; readiness is DOWN", credential, reason);
        }
    }

    /** The reason {@code credential} was stopped, if it was. */
    public Optional<String> stopReason(final String credential) {
        return Optional.ofNullable(stoppedCredentials.get(credential));
    }

    /** Every check by name; the service is ready when all are up. */
    public Map<String, Check> checks() {
        final Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("kafka", kafka());
        stoppedCredentials.forEach((credential, reason) -> checks.put(credential, new Check(false, reason)));
        return checks;
    }

    private Check kafka() {
        final Instant now = clock.instant();
        if (Duration.between(lastProbe, now).compareTo(CACHE) < 0) {
            return lastKafka;
        }
        Check result;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            result = Check.ok();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new Check(false, "interrupted");
        } catch (final Exception e) {
            result = new Check(false, "Kafka unreachable: " + e.getClass().getSimpleName());
        }
        if (result.up() != lastKafka.up()) {
            log.info("Kafka readiness from {} to {}", lastKafka.up() ? "UP" : "DOWN", result.up() ? "UP" : "DOWN");
        }
        lastKafka = result;
        lastProbe = now;
        return result;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
