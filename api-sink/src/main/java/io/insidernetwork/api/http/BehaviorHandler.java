package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.Purchase;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.Pager;
import io.insidernetwork.schemas.graph.InsiderState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/insiders/{insider_id}/behavior} (SPEC A.3.5): the insider's purchases in keyset pages ordered by
 * (sortBy value, purchase seq), with summary statistics over every purchase the filters select.
 */
final class BehaviorHandler implements Handler {

    private static final String KEYSET_ERROR = "Invalid lastId or lastValue for pagination";

    private final InsiderResolver resolver;
    private final NetworkQueries queries;

    BehaviorHandler(final InsiderResolver resolver, final NetworkQueries queries) {
        this.resolver = resolver;
        this.queries = queries;
    }

    @Override
    public void handle(final Context ctx) {
        final String id = Params.insiderId(ctx);
        final int limit = Params.intIn(ctx, "limit", 50, 1, 200, "Invalid limit value (must be 1-200)");
        final String sortBy = Params.oneOf(ctx, "sortBy", "timestamp", "Invalid sortBy parameter",
            "timestamp", "store_name", "store_category");
        final String sortOrder = Params.oneOf(ctx, "sortOrder", "desc", "Invalid sortOrder parameter", "asc", "desc");
        final String storeFilter = Params.oneOf(ctx, "store_filter", "all", "Invalid store_filter parameter",
            "all", "current");
        final Optional<Instant> since = Params.optionalInstant(ctx, "since", "Invalid since timestamp format");
        final Optional<Purchase> pivot = keyset(Params.query(ctx), sortBy);
        resolver.resolve(ctx, id).ifPresent(insider ->
            answer(ctx, insider, limit, sortBy, sortOrder, storeFilter, since, pivot));
    }

    private void answer(final Context ctx, final ResolvedInsider resolved, final int limit, final String sortBy,
                        final String sortOrder, final String storeFilter, final Optional<Instant> since,
                        final Optional<Purchase> pivot) {
        final InsiderState insider = resolved.state();
        final String current = insider.getNetworkId();
        final long from = since.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        final NetworkScope scope = Caller.of(ctx).key().scope();
        // purchases at partners outside the key's scope are neither listed nor counted
        final List<Purchase> inWindow = queries.purchases(List.of(insider.getInsiderId()))
            .getOrDefault(insider.getInsiderId(), List.of()).stream()
            .filter(p -> p.timestamp() >= from && scope.allows(p.partnerNetworkId())).toList();
        final Comparator<Purchase> order = order(sortBy, sortOrder);
        final List<Purchase> selected = inWindow.stream()
            .filter(p -> "all".equals(storeFilter) || p.partnerNetworkId().equals(current))
            .sorted(order).toList();
        final Pager.Page<Purchase> page = Pager.page(selected, order, pivot, false, limit);
        final Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("hasNext", page.hasNext());
        pagination.put("hasPrevious", page.hasPrevious());
        pagination.put("nextKeyset", page.hasNext() && !page.items().isEmpty()
            ? keyset(sortBy, page.items().get(page.items().size() - 1)) : null);
        pagination.put("previousKeyset", pivot.isPresent() && !page.items().isEmpty()
            ? keyset(sortBy, page.items().get(0)) : null);
        pagination.put("count", page.items().size());
        pagination.put("sortBy", sortBy);
        pagination.put("sortOrder", sortOrder);
        final Map<String, Object> behavior = new LinkedHashMap<>();
        behavior.put("data", page.items().stream().map(p -> item(p, current)).toList());
        behavior.put("pagination", pagination);
        behavior.put("summary_stats", stats(selected, inWindow, current));
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("insider_id", insider.getInsiderId());
        data.put("time_updated", Params.iso(resolved.timeUpdated()));
        data.put("store_filter", storeFilter);
        data.put("purchase_behavior", behavior);
        ctx.json(Envelope.ok(data, RequestMeta.of(ctx)));
    }

    static Comparator<Purchase> order(final String sortBy, final String sortOrder) {
        final Comparator<Purchase> byValue = switch (sortBy) {
            case "store_name" -> Comparator.comparing(Purchase::storeName);
            case "store_category" -> Comparator.comparing(Purchase::storeCategory);
            default -> Comparator.comparingLong(Purchase::timestamp);
        };
        final Comparator<Purchase> asc = byValue.thenComparingLong(Purchase::seq);
        return "desc".equals(sortOrder) ? asc.reversed() : asc;
    }

    /** The keyset pivot of lastId/lastValue, if given ({@code query} maps a name to its raw value or null). */
    static Optional<Purchase> keyset(final Function<String, String> query, final String sortBy) {
        final String lastId = query.apply("lastId");
        final String lastValue = query.apply("lastValue");
        if (lastId == null && lastValue == null) {
            return Optional.empty();
        }
        if (lastId == null || lastValue == null) {
            throw ApiError.badRequest(lastId == null ? "lastId" : "lastValue", KEYSET_ERROR);
        }
        final long seq = Params.digits(lastId, "lastId", KEYSET_ERROR);
        long timestamp = 0;
        String text = null;
        if ("timestamp".equals(sortBy)) {
            timestamp = Params.instant(lastValue, "lastValue", KEYSET_ERROR).toEpochMilli();
        } else {
            text = lastValue;
        }
        return Optional.of(new Purchase(null, seq, null, timestamp, null, text, text, null, null, null, null, null,
            null, null, null));
    }

    private static Map<String, Object> keyset(final String sortBy, final Purchase p) {
        final Map<String, Object> keyset = new LinkedHashMap<>();
        keyset.put("id", p.seq());
        keyset.put("value", switch (sortBy) {
            case "store_name" -> p.storeName();
            case "store_category" -> p.storeCategory();
            default -> Params.iso(p.timestamp());
        });
        return keyset;
    }

    private static Map<String, Object> item(final Purchase p, final String current) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("timestamp", Params.iso(p.timestamp()));
        out.put("store_name", p.storeName());
        out.put("store_category", p.storeCategory());
        out.put("instance_id", p.instanceId());
        out.put("order_summary", p.orderSummary());
        out.put("campaign_summary", p.campaignSummary());
        out.put("behavior_summary", PurchaseTexts.behaviorSummary(p, current));
        out.put("spending_range", PurchaseTexts.spendingRange(p.amount(), p.currency()));
        return out;
    }

    /** Statistics over every selected purchase (not only the page); amounts per currency, as the seed's strings. */
    static Map<String, Object> stats(final List<Purchase> selected, final List<Purchase> inWindow,
                                     final String current) {
        final long currentCount = inWindow.stream().filter(p -> p.partnerNetworkId().equals(current)).count();
        final Map<String, List<Purchase>> byCurrency = selected.stream()
            .collect(Collectors.groupingBy(Purchase::currency, TreeMap::new, Collectors.toList()));
        final Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("total_purchases", selected.size());
        stats.put("current_partner_purchases", currentCount);
        stats.put("other_partner_purchases", inWindow.size() - currentCount);
        stats.put("total_approximate_spending", money(byCurrency, list -> sum(list)));
        stats.put("avg_spending_per_purchase", money(byCurrency,
            list -> sum(list).divide(BigDecimal.valueOf(list.size()), 2, RoundingMode.HALF_UP)));
        stats.put("most_active_period", mostActiveMonth(selected));
        stats.put("purchase_frequency", frequency(selected));
        return stats;
    }

    private static BigDecimal sum(final List<Purchase> list) {
        return list.stream().map(Purchase::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String money(final Map<String, List<Purchase>> byCurrency,
                                final Function<List<Purchase>, BigDecimal> amount) {
        if (byCurrency.isEmpty()) {
            return "0.00";
        }
        return byCurrency.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %,.2f", e.getKey(), amount.apply(e.getValue())))
            .collect(Collectors.joining(" + "));
    }

    private static String mostActiveMonth(final List<Purchase> selected) {
        final Map<YearMonth, Long> perMonth = selected.stream().collect(Collectors.groupingBy(
            p -> YearMonth.from(Instant.ofEpochMilli(p.timestamp()).atZone(ZoneOffset.UTC)), TreeMap::new,
            Collectors.counting()));
        // ties go to the latest month
        return perMonth.entrySet().stream()
            .max(Map.Entry.<YearMonth, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
            .map(e -> e.getKey().toString()).orElse("none");
    }

    private static String frequency(final List<Purchase> selected) {
        if (selected.isEmpty()) {
            return "0.0 per month";
        }
        final long first = selected.stream().mapToLong(Purchase::timestamp).min().orElseThrow();
        final long last = selected.stream().mapToLong(Purchase::timestamp).max().orElseThrow();
        final double days = Math.max(30.0, ChronoUnit.MILLIS.getDuration().multipliedBy(last - first).toHours() / 24.0);
        return String.format(Locale.ROOT, "%.1f per month", selected.size() / (days / 30.0));
    }
}
