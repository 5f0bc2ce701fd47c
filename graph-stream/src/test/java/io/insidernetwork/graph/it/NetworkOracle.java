package io.insidernetwork.graph.it;

import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What graph-stream must compute from a stream of partner events, written plainly and independently of the
 * topology: counts, sums, last-touch attribution (a purchase is credited to the sharer of the latest share of the
 * same instance in the window, a signup to the sharer of the latest share of any instance; ties by sharer id),
 * conversion rates and exact network sizes by BFS. Duplicates (same event id) count once. No decay.
 */
final class NetworkOracle {

    /** The expected aggregates of one insider. */
    record Expected(long totalShares, BigDecimal purchaseAmount, BigDecimal generatedAmount, BigDecimal userValue,
                    double conversionRate, List<Long> networkSize) {
    }

    private final Duration window;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> shares = new HashMap<>();
    private final Map<String, BigDecimal> purchased = new HashMap<>();
    private final Map<String, BigDecimal> generated = new HashMap<>();
    private final Map<String, Set<String>> recipients = new HashMap<>();
    private final Map<String, Set<String>> converted = new HashMap<>();
    private final Map<String, Set<String>> edges = new HashMap<>();
    /** recipient → instance → sharer → share times. */
    private final Map<String, Map<String, Map<String, List<Long>>>> inbound = new HashMap<>();
    private final Set<String> insiders = new LinkedHashSet<>();
    private int purchaseCount;

    NetworkOracle(final Duration window) {
        this.window = window;
    }

    /** Applies events in event-time order (the generator produces them so). */
    void apply(final PartnerEvent event) {
        if (!seen.add(event.getEventId())) {
            return;
        }
        final long time = event.getEventTime().toEpochMilli();
        if (event.getPayload() instanceof Share share) {
            final String a = share.getSharerId();
            insiders.add(a);
            shares.merge(a, 1L, Long::sum);
            for (final String b : share.getRecipients()) {
                if (b.equals(a)) {
                    continue;
                }
                insiders.add(b);
                recipients.computeIfAbsent(a, k -> new HashSet<>()).add(b);
                edges.computeIfAbsent(a, k -> new HashSet<>()).add(b);
                inbound.computeIfAbsent(b, k -> new HashMap<>()).computeIfAbsent(share.getInstanceId(),
                    k -> new HashMap<>()).computeIfAbsent(a, k -> new java.util.ArrayList<>()).add(time);
            }
        } else if (event.getPayload() instanceof Signup signup) {
            final String b = signup.getInsiderId();
            insiders.add(b);
            final String referrer = signup.getReferrerInsiderId();
            if (referrer != null && !referrer.equals(b)) {
                insiders.add(referrer);
                recipients.computeIfAbsent(referrer, k -> new HashSet<>()).add(b);
                converted.computeIfAbsent(referrer, k -> new HashSet<>()).add(b);
                edges.computeIfAbsent(referrer, k -> new HashSet<>()).add(b);
            } else {
                final String a = latestSharer(inbound.getOrDefault(b, Map.of()).values(), time);
                if (a != null) {
                    converted.computeIfAbsent(a, k -> new HashSet<>()).add(b);
                }
            }
        } else if (event.getPayload() instanceof Purchase purchase) {
            final String b = purchase.getBuyerId();
            insiders.add(b);
            purchased.merge(b, purchase.getAmount(), BigDecimal::add);
            purchaseCount++;
            final String a = latestSharer(List.of(inbound.getOrDefault(b, Map.of())
                .getOrDefault(purchase.getInstanceId(), Map.of())), time);
            if (a != null) {
                generated.merge(a, purchase.getAmount(), BigDecimal::add);
                converted.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            }
        }
    }

    /** The sharer of the latest share at or before {@code time} within the window (ties: the greatest sharer id). */
    private String latestSharer(final Collection<Map<String, List<Long>>> bySharer, final long time) {
        String best = null;
        long bestTime = Long.MIN_VALUE;
        for (final Map<String, List<Long>> sharers : bySharer) {
            for (final Map.Entry<String, List<Long>> entry : sharers.entrySet()) {
                for (final long t : entry.getValue()) {
                    if (t <= time && time - t <= window.toMillis()
                        && (t > bestTime || t == bestTime && entry.getKey().compareTo(best) > 0)) {
                        best = entry.getKey();
                        bestTime = t;
                    }
                }
            }
        }
        return best;
    }

    /** Distinct purchase events. */
    int purchaseCount() {
        return purchaseCount;
    }

    Set<String> insiders() {
        return insiders;
    }

    Expected expected(final String insider) {
        final BigDecimal zero = new BigDecimal("0.0000");
        final BigDecimal own = purchased.getOrDefault(insider, zero);
        final BigDecimal gen = generated.getOrDefault(insider, zero);
        final int denominator = recipients.getOrDefault(insider, Set.of()).size();
        final double rate = denominator == 0 ? 0.0
            : Math.min(1.0, (double) converted.getOrDefault(insider, Set.of()).size() / denominator);
        return new Expected(shares.getOrDefault(insider, 0L), own, gen, own.add(gen), rate, bfs(insider));
    }

    private List<Long> bfs(final String start) {
        final Map<String, Integer> distance = new HashMap<>(Map.of(start, 0));
        final ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
        final long[] counts = new long[4];
        while (!queue.isEmpty()) {
            final String node = queue.poll();
            final int d = distance.get(node);
            if (d < 3) {
                for (final String next : edges.getOrDefault(node, Set.of())) {
                    if (distance.putIfAbsent(next, d + 1) == null) {
                        counts[d + 1]++;
                        queue.add(next);
                    }
                }
            }
        }
        return List.of(counts[1], counts[2], counts[3]);
    }
}
