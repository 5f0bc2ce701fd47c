package io.insidernetwork.ingest.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent accepted webhook-ids, so that a replayed delivery is acknowledged without being
 * published again. Bounded (least recently seen ids are forgotten first); downstream consumers also deduplicate by
 * event id, so a forgotten id costs a duplicate record, never a loss.
 */
public final class DeliveryDedupe {

    private final Map<String, Boolean> seen;
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

    /** Whether {@code deliveryId} was already accepted. */
    public synchronized boolean seen(final String deliveryId) {
        return seen.containsKey(deliveryId);
    }

    /** Marks {@code deliveryId} as accepted (call only after Kafka acknowledged its records). */
    public synchronized void accepted(final String deliveryId) {
        if (capacity > 0) {
            seen.put(deliveryId, Boolean.TRUE);
        }
    }
}
