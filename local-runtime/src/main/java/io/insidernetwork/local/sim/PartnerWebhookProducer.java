package io.insidernetwork.local.sim;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partner's system sending signed partner events to the ingest webhook at a target rate: every 100 ms it sends the
 * events due as one batch. A batch not acknowledged (503, 5xx, I/O error) is sent again with the same webhook-id
 * until it is, so nothing generated is lost and a retry after a lost answer is deduplicated by ingest.
 */
public final class PartnerWebhookProducer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartnerWebhookProducer.class);
    private static final long TICK_MS = 100;
    private static final int MAX_IN_FLIGHT = 8;
    private static final int MAX_BATCH = 1_000;

    private final URI endpoint;
    private final Webhook signer;
    private final PartnerEventGenerator generator;
    private final double eventsPerTick;
    private final long maxEvents;
    private final BiConsumer<List<GeneratedEvent>, Instant> onAccepted;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "sim-partner-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong generated = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private double due;
    private long batches;

    /**
     * @param maxEvents  stop generating after this many events (Long.MAX_VALUE: run until closed)
     * @param onAccepted called with each batch and the time ingest acknowledged it (2xx)
     */
    public PartnerWebhookProducer(final URI endpoint, final String secret, final PartnerEventGenerator generator,
                                  final double eventsPerSecond, final long maxEvents,
                                  final BiConsumer<List<GeneratedEvent>, Instant> onAccepted, final Clock clock) {
        this.endpoint = endpoint;
        try {
            this.signer = new Webhook(secret);
        } catch (final com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("empty webhook secret", e);
        }
        this.generator = generator;
        this.eventsPerTick = eventsPerSecond * TICK_MS / 1000.0;
        this.maxEvents = maxEvents;
        this.onAccepted = onAccepted;
        this.clock = clock;
    }

    /** Starts sending. */
    public void start() {
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Events generated so far. */
    public long generated() {
        return generated.get();
    }

    /** Events ingest acknowledged so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Batches sent again after a failed attempt. */
    public long retries() {
        return retries.get();
    }

    /** Whether every event to generate was generated and acknowledged. */
    public boolean finished() {
        return generated.get() >= maxEvents && accepted.get() >= maxEvents;
    }

    private void tick() {
        try {
            due += eventsPerTick;
            final int count = (int) Math.min(Math.min(due, MAX_BATCH), maxEvents - generated.get());
            if (count <= 0 || !inFlight.tryAcquire()) {
                return;
            }
            due -= count;
            final List<GeneratedEvent> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(generator.next());
            }
            generated.addAndGet(count);
            final StringBuilder body = new StringBuilder(count * 300).append("{\"events\":[");
            for (int i = 0; i < batch.size(); i++) {
                body.append(i == 0 ? "" : ",").append(batch.get(i).json());
            }
            body.append("]}");
            send("sim-batch-" + batch.get(0).id() + "-" + batches++, body.toString(), batch, 0);
        } catch (final RuntimeException e) {
            log.error("Simulator tick failed", e);
        }
    }

    private void send(final String messageId, final String body, final List<GeneratedEvent> batch,
                      final int attempt) {
        final HttpRequest request;
        try {
            final long now = clock.instant().getEpochSecond();
            request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", signer.sign(messageId, now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        } catch (final WebhookSigningException e) {
            inFlight.release();
            throw new IllegalStateException("cannot sign", e);
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                accepted.addAndGet(batch.size());
                inFlight.release();
                onAccepted.accept(batch, clock.instant());
                return;
            }
            if (error == null && response.statusCode() / 100 == 4) {
                // a rejected batch is a simulator bug, not a transient fault: report it, do not retry forever
                log.error("Batch {} rejected with {}: {}", messageId, response.statusCode(), response.body());
                inFlight.release();
                return;
            }
            retries.incrementAndGet();
            final long delay = Math.min(5_000, 200L << Math.min(attempt, 5));
            log.warn("Batch {} not acknowledged ({}), retry {} in {} ms", messageId,
                error != null ? error.toString() : response.statusCode(), attempt + 1, delay);
            ticker.schedule(() -> send(messageId, body, batch, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
