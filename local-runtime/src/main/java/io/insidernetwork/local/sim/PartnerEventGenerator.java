package io.insidernetwork.local.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Generates partner events over a power-law referral graph, reproducibly from a seed: insiders join through
 * referrals, and sharers are picked by preferential attachment (an insider's chance grows with its past shares), so a
 * few hubs share with many. The same seed and size give the same sequence of events (ids, insiders, recipients,
 * amounts); only event times come from the clock.
 */
public final class PartnerEventGenerator {

    private static final String[] PLATFORMS = {"instagram", "tiktok", "twitter", "facebook"};
    private static final String[] STORES = {"main-store", "outlet", "marketplace", "pop-up"};
    private static final String[] CATEGORIES = {"apparel", "beauty", "electronics", "home"};
    private static final String[] CURRENCIES = {"USD", "EUR"};

    private final Random random;
    private final int size;
    private final String networkId;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> joined = new ArrayList<>();
    /** Insider ids repeated once per past share (plus once on joining): a pick is preferential. */
    private final List<String> attachment = new ArrayList<>();
    private final String runId;
    private long sequence;

    public PartnerEventGenerator(final long seed, final int size, final String networkId, final Clock clock) {
        if (size < 2) {
            throw new IllegalArgumentException("size must be at least 2");
        }
        this.random = new Random(seed);
        this.size = size;
        this.networkId = networkId;
        this.clock = clock;
        this.runId = Long.toHexString(seed);
    }

    /** Insiders that joined so far, in joining order. */
    public List<String> insiders() {
        return List.copyOf(joined);
    }

    /** The next event. */
    public GeneratedEvent next() {
        final double roll = random.nextDouble();
        if (joined.size() < 2 || (joined.size() < size && roll < 0.25)) {
            return signup();
        }
        final double kind = random.nextDouble();
        if (kind < 0.6) {
            return share();
        }
        if (kind < 0.8) {
            return visit();
        }
        return purchase();
    }

    private GeneratedEvent signup() {
        final String insider = uuid();
        final String referrer = joined.isEmpty() || random.nextDouble() < 0.1 ? null : preferential();
        joined.add(insider);
        attachment.add(insider);
        final ObjectNode data = json.createObjectNode().put("insider_id", insider);
        if (referrer != null) {
            data.put("referrer_insider_id", referrer);
        }
        return event("signup", insider, List.of(), referrer, data);
    }

    private GeneratedEvent share() {
        final String sharer = preferential();
        final Set<String> recipients = new LinkedHashSet<>();
        final int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            if (random.nextDouble() < 0.15) {
                recipients.add("@friend-" + Integer.toString(random.nextInt(size * 4), 36));
            } else {
                final String r = joined.get(random.nextInt(joined.size()));
                if (!r.equals(sharer)) {
                    recipients.add(r);
                }
            }
        }
        if (recipients.isEmpty()) {
            recipients.add("@friend-" + Integer.toString(random.nextInt(size * 4), 36));
        }
        attachment.add(sharer);
        final ArrayNode to = json.createArrayNode();
        recipients.forEach(to::add);
        final ObjectNode data = json.createObjectNode()
            .put("sharer_id", sharer)
            .put("instance_id", "sku-" + random.nextInt(200))
            .put("platform", PLATFORMS[random.nextInt(PLATFORMS.length)]);
        data.set("recipients", to);
        if (random.nextBoolean()) {
            data.put("campaign_id", "campaign-" + random.nextInt(10));
        }
        return event("share", sharer, List.copyOf(recipients), null, data);
    }

    private GeneratedEvent visit() {
        final String referrer = preferential();
        final ObjectNode data = json.createObjectNode()
            .put("referring_insider_id", referrer)
            .put("visitor_fingerprint", "fp-" + Long.toHexString(random.nextLong()))
            .put("instance_id", "sku-" + random.nextInt(200))
            .put("platform", PLATFORMS[random.nextInt(PLATFORMS.length)]);
        return event("referral_visit", referrer, List.of(), null, data);
    }

    private GeneratedEvent purchase() {
        final String buyer = joined.get(random.nextInt(joined.size()));
        final BigDecimal amount = BigDecimal.valueOf(Math.exp(3.0 + random.nextGaussian()))
            .setScale(2, RoundingMode.HALF_UP);
        final ObjectNode data = json.createObjectNode()
            .put("buyer_id", buyer)
            .put("order_id", "order-" + runId + "-" + sequence)
            .put("instance_id", "sku-" + random.nextInt(200))
            .put("store_name", STORES[random.nextInt(STORES.length)])
            .put("store_category", CATEGORIES[random.nextInt(CATEGORIES.length)])
            .put("amount", amount.toPlainString())
            .put("currency", CURRENCIES[random.nextInt(CURRENCIES.length)]);
        return event("purchase", buyer, List.of(), null, data);
    }

    private GeneratedEvent event(final String type, final String subject, final List<String> recipients,
                                 final String referrer, final ObjectNode data) {
        final String id = "sim-" + runId + "-" + sequence++;
        final Instant time = clock.instant();
        final ObjectNode event = json.createObjectNode()
            .put("id", id)
            .put("type", type)
            .put("timestamp", time.toString())
            .put("network_id", networkId);
        event.set("data", data);
        return new GeneratedEvent(id, type, time, subject, recipients, referrer, event.toString());
    }

    private String preferential() {
        return attachment.get(random.nextInt(attachment.size()));
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
