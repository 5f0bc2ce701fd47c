package io.insidernetwork.ingest.export.request;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.insidernetwork.ingest.export.ExportMetrics;
import io.insidernetwork.ingest.export.ExportSettings;
import io.insidernetwork.ingest.export.ExportSettings.Partner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Requests one export per partner per UTC day (seed: one request per day, the limit resets at 00:00 UTC), for the
 * previous UTC day, {@code ingest.export.schedule.delay.ms} after midnight. Network errors and 5xx are retried with
 * exponential backoff and jitter within a budget (Failsafe); 429 waits for the next UTC day; 400/403 and a request
 * that breaks the seed's rules are configuration errors: logged ERROR, reported by {@link #statuses()} and the
 * {@code insider.export.request.config.error} gauge, and that partner is not requested again until a restart.
 * The days already requested are remembered in Kafka ({@link RequestedDays}): a day is never requested twice, by a
 * restarted or by another instance.
 */
public final class ExportScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExportScheduler.class);

    /** Where a partner's daily request stands. */
    public enum State { SCHEDULED, REQUESTING, ACCEPTED, RATE_LIMITED, CONFIG_ERROR, FAILED }

    /** The state of one partner; {@code nextRun} is null when nothing is scheduled. Never contains the token. */
    public record PartnerStatus(String partner, State state, Instant lastAttempt, Instant nextRun, String message) {
    }

    private final ExportSettings settings;
    private final InsiderExportClient client;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final ExportMetrics metrics;
    private final Map<String, PartnerStatus> statuses = new ConcurrentHashMap<>();
    private final RequestedDays requestedDays;

    /** A scheduler that remembers requested days in this JVM only. */
    public ExportScheduler(final ExportSettings settings, final InsiderExportClient client, final Clock clock,
                           final ScheduledExecutorService executor, final ExportMetrics metrics) {
        this(settings, client, clock, executor, metrics, RequestedDays.inMemory());
    }

    public ExportScheduler(final ExportSettings settings, final InsiderExportClient client, final Clock clock,
                           final ScheduledExecutorService executor, final ExportMetrics metrics,
                           final RequestedDays requestedDays) {
        this.requestedDays = requestedDays;
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Schedules every partner's first request: today's slot if it is still ahead, else now. */
    public void start() {
        final Instant now = clock.instant();
        final Instant todaySlot = startOfDay(now).plus(settings.scheduleDelay());
        for (final Partner partner : settings.partners()) {
            schedule(partner, now.isBefore(todaySlot) ? todaySlot : now, State.SCHEDULED, null, "first request");
        }
        log.info("Export scheduler started for partners {}", settings.partners().stream().map(Partner::name)
            .toList());
    }

    /** The state of every partner, in configuration order. */
    public List<PartnerStatus> statuses() {
        return settings.partners().stream().map(p -> statuses.get(p.name())).filter(s -> s != null).toList();
    }

    /** False when a partner's configuration was refused (400/403 or a request breaking the seed's rules). */
    public boolean healthy() {
        return statuses.values().stream().noneMatch(s -> s.state() == State.CONFIG_ERROR);
    }

    private void schedule(final Partner partner, final Instant at, final State state, final Instant lastAttempt,
                          final String message) {
        statuses.put(partner.name(), new PartnerStatus(partner.name(), state, lastAttempt, at, message));
        final long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        executor.schedule(() -> request(partner), delay, TimeUnit.MILLISECONDS);
    }

    private void request(final Partner partner) {
        final Instant now = clock.instant();
        final Instant today = startOfDay(now);
        // The previous UTC day, [00:00, 23:59:59], in epoch seconds as the seed's start_date / end_date.
        final java.time.LocalDate day = today.minus(1, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC).toLocalDate();
        if (requestedDays.requested(partner.name(), day)) {
            final Instant next = today.plus(1, ChronoUnit.DAYS).plus(settings.scheduleDelay());
            log.info("Export of {} for {} was already requested (by this or another instance); next request at {}",
                partner.name(), day, next);
            metrics.request(partner.name(), "already_requested");
            schedule(partner, next, State.ACCEPTED, now, "already requested for " + day);
            return;
        }
        final ExportRequest request = settings.requestTemplate(partner)
            .withWindow(today.minus(1, ChronoUnit.DAYS).getEpochSecond(), today.getEpochSecond() - 1);
        statuses.put(partner.name(), new PartnerStatus(partner.name(), State.REQUESTING, now, null, null));
        final RetryPolicy<ExportOutcome> retry = RetryPolicy.<ExportOutcome>builder()
            .handle(RetryableExportException.class)
            .withBackoff(settings.retryInitialBackoff(), settings.retryMaxBackoff())
            .withJitter(0.2)
            .withMaxRetries(-1)
            .withMaxDuration(settings.retryMaxDuration())
            .onRetry(e -> log.warn("retry {} of export request for {} (budget {}): {}", e.getAttemptCount(),
                partner.name(), settings.retryMaxDuration(), e.getLastException().getMessage()))
            .build();
        Failsafe.with(retry).with(executor)
            .getAsync(() -> client.send(partner.name(), partner.token().value(), request))
            .whenComplete((outcome, error) -> {
                try (MDC.MDCCloseable ignored = MDC.putCloseable("partner", partner.name())) {
                    if (outcome instanceof ExportOutcome.Accepted accepted) {
                        remember(partner, day, now, accepted);
                    }
                    finish(partner, now, outcome, unwrap(error));
                }
            });
    }

    private void finish(final Partner partner, final Instant attempt, final ExportOutcome outcome,
                        final Throwable error) {
        final Instant next = startOfDay(clock.instant()).plus(1, ChronoUnit.DAYS).plus(settings.scheduleDelay());
        if (outcome instanceof ExportOutcome.Accepted accepted) {
            log.info("Export for {} requested (answer {}); next request at {}", partner.name(), accepted.status(),
                next);
            metrics.request(partner.name(), "accepted");
            schedule(partner, next, State.ACCEPTED, attempt, "accepted");
        } else if (outcome instanceof ExportOutcome.RateLimited limited) {
            log.warn("Export for {} rate limited (the day's request is used: {}); next request at {}",
                partner.name(), limited.body(), next);
            metrics.request(partner.name(), "rate_limited");
            schedule(partner, next, State.RATE_LIMITED, attempt, "rate limited: " + limited.body());
        } else if (outcome instanceof ExportOutcome.Rejected rejected) {
            final String message = "export API refused the configuration with " + rejected.status() + ": "
                + rejected.body() + "; check ingest.export.partners / ingest.export.tokens, then restart";
            log.error("Export for {} stopped: {}", partner.name(), message);
            metrics.request(partner.name(), "config_error");
            statuses.put(partner.name(), new PartnerStatus(partner.name(), State.CONFIG_ERROR, attempt, null,
                message));
        } else if (error instanceof InvalidExportRequestException invalid) {
            log.error("Export for {} stopped, request not sent: {}", partner.name(), invalid.violations());
            metrics.request(partner.name(), "invalid");
            statuses.put(partner.name(), new PartnerStatus(partner.name(), State.CONFIG_ERROR, attempt, null,
                invalid.getMessage()));
        } else {
            log.error("Export for {} given up after the retry budget {}: {}; next request at {}", partner.name(),
                settings.retryMaxDuration(), error == null ? "no answer" : error.getMessage(), next);
            metrics.request(partner.name(), "failed");
            schedule(partner, next, State.FAILED, attempt, error == null ? "failed" : error.getMessage());
        }
    }

    /** Waits for Kafka to keep the requested day; if it cannot, the day may be requested again (answered 429). */
    private void remember(final Partner partner, final java.time.LocalDate day, final Instant at,
                          final ExportOutcome.Accepted accepted) {
        try {
            requestedDays.remember(partner.name(), day, at, accepted.status()).get(30, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Export of {} for {} requested, but Kafka did not keep that: a restart may ask again (the "
                + "export API then answers 429): {}", partner.name(), day, e.toString());
        }
    }

    private static Throwable unwrap(final Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof FailsafeException)
            && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Instant startOfDay(final Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
