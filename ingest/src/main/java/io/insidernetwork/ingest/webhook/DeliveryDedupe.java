package io.insidernetwork.ingest.webhook;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the most recent accepted delivery ids, so that a replayed delivery is acknowledged without being
 * published again, and the ids being published right now, so that a concurrent replay is told to come back later
 * instead of being published twice. Bounded (least recently seen ids are forgotten first); downstream consumers also
 * deduplicate by event id, so a forgotten id costs a duplicate record, never a loss.
 */
public final class DeliveryDedupe {

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

    public DeliveryDedupe(final int capacity) {
        this.capacity = capacity;
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

    /** Gives up a claim whose records were not acknowledged: the sender's retry is published again. */
    public synchronized void released(final String deliveryId) {
        inFlight.remove(deliveryId);
    }
}
