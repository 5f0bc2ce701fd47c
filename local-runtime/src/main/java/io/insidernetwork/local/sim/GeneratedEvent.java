package io.insidernetwork.local.sim;

import java.time.Instant;
import java.util.List;

/**
 * One simulated partner event: its JSON body for the partner webhook and the facts an oracle needs.
 *
 * @param subject    the insider the event is about (sharer, new insider, referrer or buyer)
 * @param recipients share recipients (empty for other types)
 * @param referrer   referrer of a signup, or null
 */
public record GeneratedEvent(String id, String type, Instant time, String subject, List<String> recipients,
                             String referrer, String json) {
}
