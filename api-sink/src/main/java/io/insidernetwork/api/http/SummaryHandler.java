package io.insidernetwork.api.http;

import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.NetworkSummary;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/v1/networks/summary}: the key's partner networks at a glance (what the dashboard's figures and
 * leaderboards show): insiders, connections, shares and purchases, the top insiders by total generated amount and
 * by first-degree network size per network, and how old the newest change-feed entry is. Computing it reads every
 * local store once, so an answer is kept for {@code maxAge} per scope and {@code top}: many dashboards polling cost
 * one pass per instance per {@code maxAge}.
 */
final class SummaryHandler implements Handler {

    private final NetworkQueries queries;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    SummaryHandler(final NetworkQueries queries, final Clock clock, final Duration maxAge) {
        this.queries = queries;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    private record Cached(long at, NetworkSummary summary) {
    }

    @Override
    public void handle(final Context ctx) {
        final int top = Params.intIn(ctx, "top", 10, 1, NetworkSummary.MAX_TOP,
            "Invalid top value (must be 1-" + NetworkSummary.MAX_TOP + ")");
        final NetworkScope scope = Caller.of(ctx).key().scope();
        final String cacheKey = scope.wire() + "#" + top;
        final long now = System.nanoTime();
        final Cached cached = cache.get(cacheKey);
        final NetworkSummary summary;
        if (cached != null && now - cached.at() < maxAge.toNanos()) {
            summary = cached.summary();
        } else {
            summary = queries.summary(scope, top);
            cache.put(cacheKey, new Cached(now, summary));
        }
        final Instant generated = clock.instant();
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("generated_at", generated.toString());
        data.put("newest_update", Params.iso(summary.newestUpdate()));
        data.put("seconds_behind", summary.newestUpdate() == null ? null
            : Math.max(0L, (generated.toEpochMilli() - summary.newestUpdate()) / 1000));
        data.put("insiders", summary.networks().stream().mapToLong(NetworkSummary.Network::insiders).sum());
        data.put("connections", summary.networks().stream().mapToLong(NetworkSummary.Network::connections).sum());
        data.put("shares", summary.networks().stream().mapToLong(NetworkSummary.Network::shares).sum());
        data.put("purchases", summary.networks().stream().mapToLong(NetworkSummary.Network::purchases).sum());
        data.put("networks", summary.networks().stream().map(SummaryHandler::render).toList());
        ctx.json(Envelope.ok(data, RequestMeta.of(ctx)));
    }

    private static Map<String, Object> render(final NetworkSummary.Network n) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("network_id", n.networkId());
        out.put("insiders", n.insiders());
        out.put("connections", n.connections());
        out.put("shares", n.shares());
        out.put("purchases", n.purchases());
        out.put("top_by_generated_amount", leaders(n.topByGeneratedAmount()));
        out.put("top_by_first_degree", leaders(n.topByFirstDegree()));
        return out;
    }

    private static List<Map<String, Object>> leaders(final List<NetworkSummary.Leader> leaders) {
        return leaders.stream().map(l -> {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("insider_id", l.insiderId());
            out.put("total_generated_amount", l.totalGeneratedAmount());
            out.put("first_degree", l.firstDegree());
            return out;
        }).toList();
    }
}
