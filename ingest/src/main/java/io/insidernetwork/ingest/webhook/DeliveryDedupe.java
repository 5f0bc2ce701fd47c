package io.insidernetwork.ingest.webhook;

import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.ingest.publish.TopicReader;
import io.insidernetwork.schemas.partner.WebhookDelivery;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers the most recent accepted delivery ids, so that a replayed delivery is acknowledged without being
 * published again, and the ids being published right now, so that a concurrent replay is told to come back later
 * instead of being published twice. Bounded (least recently seen ids are forgotten first); downstream consumers also
 * deduplicate by event id, so a forgotten id costs a duplicate record, never a loss.
 *
 * <p>With a journal (the {@code ingest.webhook-deliveries.v1} topic) the window survives restarts and is shared by
 * instances started later: {@link #keep} writes an accepted id to Kafka (call it after the delivery's records were
 * acknowledged and before answering 2xx), {@link #load} reads the most recent ids back at start-up.
 */
public final class DeliveryDedupe {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeliveryDedupe.class);

    /** What to do with a delivery. */
    public enum Claim {
        /** New: publish it, then call {@link #accepted} or {@link #released}. */
        NEW,
        /** Already accepted: acknowledge without publishing. */
        DUPLICATE,
        /** Being published by another request: answer 409 so that the sender retries. */
        IN_FLIGHT
    }

    private final Map<String, Boolean> seen;
    private final Set<String> inFlight = new HashSet<>();
    private final int capacity;
    private final EventPublisher journal;
    private final TopicSpec<String, WebhookDelivery> topic;
    private final String endpoint;
    private final Clock clock;

    /** A window in this JVM only. */
    public DeliveryDedupe(final int capacity) {
        this(capacity, null, null, "", Clock.systemUTC());
    }

    /** A window journaled to {@code topic} under {@code endpoint}. */
    public DeliveryDedupe(final int capacity, final EventPublisher journal,
                          final TopicSpec<String, WebhookDelivery> topic, final String endpoint, final Clock clock) {
        this.capacity = capacity;
        this.journal = journal;
        this.topic = topic;
        this.endpoint = endpoint;
        this.clock = clock;
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
                return size() > DeliveryDedupe.this.capacity;
            }
        };
    }

    /** Claims {@code deliveryId} for publishing, unless it was accepted already or is being published. */
    public synchronized Claim claim(final String deliveryId) {
        if (seen.containsKey(deliveryId)) {
            return Claim.DUPLICATE;
        }
        return inFlight.add(deliveryId) ? Claim.NEW : Claim.IN_FLIGHT;
    }

    /** Whether {@code deliveryId} was already accepted. */
    public synchronized boolean seen(final String deliveryId) {
        return seen.containsKey(deliveryId);
    }

    /** Marks a claimed {@code deliveryId} as accepted (call only after Kafka acknowledged its records). */
    public synchronized void accepted(final String deliveryId) {
        inFlight.remove(deliveryId);
        if (capacity > 0) {
            seen.put(deliveryId, Boolean.TRUE);
        }
    }

    /**
     * Reads the most recent accepted ids of this endpoint back from the journal (at most the window's capacity per
     * partition); returns how many ids the window holds.
     */
    public int load(final Map<String, Object> kafkaSettings, final Duration timeout) {
        if (journal == null || capacity == 0) {
            return 0;
        }
        final String prefix = endpoint + "|";
        try {
            TopicReader.read(kafkaSettings, topic, capacity, timeout, (key, value) -> {
                if (value != null && key != null && key.startsWith(prefix)) {
                    synchronized (this) {
                        seen.put(key.substring(prefix.length()), Boolean.TRUE);
                    }
                }
            });
        } catch (final org.apache.kafka.common.KafkaException e) {
            // ingest still starts (and answers 503 while Kafka is away); only replays of older deliveries are
            // published again, and consumers deduplicate those by event id
            log.warn("Replay window of {} starts empty: {} not read: {}", endpoint, topic.name(), e.toString());
        }
        synchronized (this) {
            return seen.size();
        }
    }

    /**
     * Writes the accepted {@code deliveryId} to the journal; completes once Kafka acknowledged it (at once without a
     * journal). Answer 2xx only after it completed, then call {@link #accepted}.
     */
    public CompletableFuture<Void> keep(final String deliveryId, final int records) {
        if (journal == null) {
            return CompletableFuture.completedFuture(null);
        }
        // not on the caller's thread: it is often the producer's own I/O thread (completing the delivery's acks),
        // where a send that waits for metadata would wait for itself
        return CompletableFuture.supplyAsync(() -> journal.publish(topic, new Outgoing<>(endpoint + "|" + deliveryId,
                WebhookDelivery.newBuilder().setEndpoint(endpoint).setDeliveryId(deliveryId).setRecords(records)
                    .setAcceptedAt(clock.instant()).build())))
            .thenCompose(ack -> ack).thenApply(ack -> null);
    }

    /** Gives up a claim whose records were not acknowledged: the sender's retry is published again. */
    public synchronized void released(final String deliveryId) {
        inFlight.remove(deliveryId);
    }
}
