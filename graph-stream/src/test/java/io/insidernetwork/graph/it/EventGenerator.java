package io.insidernetwork.graph.it;

import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded stream of partner events over {@code insiders} insiders with power-law (Zipf-like) popularity, in
 * increasing event time: shares to 1-3 recipients, signups (some referred), purchases, and redeliveries.
 */
final class EventGenerator {

    private final Random random;
    private final int insiders;
    private final double[] cumulative;
    private final Set<String> signedUp = new HashSet<>();
    private final List<PartnerEvent> sent = new ArrayList<>();
    private Instant time;
    private long next;

    EventGenerator(final long seed, final int insiders, final Instant start) {
        this.random = new Random(seed);
        this.insiders = insiders;
        this.time = start;
        cumulative = new double[insiders];
        double sum = 0;
        for (int i = 0; i < insiders; i++) {
            sum += 1.0 / Math.pow(i + 1, 1.1);
            cumulative[i] = sum;
        }
        for (int i = 0; i < insiders; i++) {
            cumulative[i] /= sum;
        }
    }

    static String insider(final int n) {
        return String.format("%08x-0000-4000-8000-%012x", n, (long) n * 7919);
    }

    /** A power-law pick: insider 0 is the biggest hub. */
    String pick() {
        final double u = random.nextDouble();
        int lo = 0;
        int hi = insiders - 1;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return insider(lo);
    }

    /** The next event (or a redelivery of an earlier one, 3 %). */
    PartnerEvent next() {
        if (!sent.isEmpty() && random.nextInt(100) < 3) {
            return sent.get(random.nextInt(sent.size()));
        }
        time = time.plusMillis(1 + random.nextInt(1000));
        final String id = "ev-" + next++;
        final int kind = random.nextInt(100);
        final Object payload;
        if (kind < 65) {
            final String sharer = insider(random.nextInt(insiders));
            final Set<String> to = new LinkedHashSet<>();
            for (int i = 0; i <= random.nextInt(3); i++) {
                to.add(pick());
            }
            payload = Share.newBuilder().setSharerId(sharer).setInstanceId("sku-" + random.nextInt(3))
                .setPlatform(random.nextBoolean() ? "instagram" : "tiktok").setRecipients(new ArrayList<>(to))
                .build();
        } else if (kind < 75) {
            final String who = insider(random.nextInt(insiders));
            if (!signedUp.add(who)) {
                return next();
            }
            final String referrer = random.nextInt(3) == 0 ? pick() : null;
            payload = Signup.newBuilder().setInsiderId(who)
                .setReferrerInsiderId(who.equals(referrer) ? null : referrer).build();
        } else {
            payload = Purchase.newBuilder().setBuyerId(pick()).setOrderId("o-" + id)
                .setInstanceId("sku-" + random.nextInt(3)).setStoreName("mybrand")
                .setAmount(BigDecimal.valueOf(100 + random.nextInt(20_000), 2).setScale(4)).setCurrency("USD")
                .build();
        }
        final PartnerEvent event = PartnerEvent.newBuilder().setEventId(id).setEventTime(time)
            .setPartnerNetworkId("mybrand").setReceivedAt(time).setSource("test").setPayload(payload).build();
        sent.add(event);
        return event;
    }

    /** Event time of the latest generated event. */
    Instant lastTime() {
        return time;
    }

    /** The insider an event is about: its Kafka key. */
    static String keyOf(final PartnerEvent event) {
        final Object p = event.getPayload();
        if (p instanceof Share s) {
            return s.getSharerId();
        }
        if (p instanceof Signup s) {
            return s.getInsiderId();
        }
        return ((Purchase) p).getBuyerId();
    }
}
