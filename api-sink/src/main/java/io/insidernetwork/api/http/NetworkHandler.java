package io.insidernetwork.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.Dtos.Edge;
import io.insidernetwork.api.query.Dtos.InsiderFacts;
import io.insidernetwork.api.query.Dtos.Purchase;
import io.insidernetwork.api.query.NetworkExpansion;
import io.insidernetwork.api.query.NetworkExpansion.Reached;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.Pager;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.LastSharedAcrossNetwork;
import io.insidernetwork.schemas.graph.LastSharedWithPartner;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code GET /api/v1/insiders/{insider_id}/network?degree=1|2|3} (SPEC A.3.4): the insiders at exactly that distance,
 * each with its connection data and a page of its activity with other partners. Adjacency reads of each hop go to
 * the instance hosting each insider.
 */
final class NetworkHandler implements Handler {

    private static final String TOKEN_ERROR = "Invalid activitiesToken format";
    private static final String PAGE_TOKEN_ERROR = "Invalid connectionsToken format";
    /** Connections a page lists when the request names no limit (or the configured maximum, when smaller). */
    static final int DEFAULT_LIMIT = 20;
    /** The total generated amount of an insider without state yet (the scale of the Avro decimals). */
    private static final BigDecimal NO_AMOUNT = new BigDecimal("0.0000");

    private final InsiderResolver resolver;
    private final NetworkQueries queries;
    private final TokenCodec tokens;
    private final int maxLimit;

    NetworkHandler(final InsiderResolver resolver, final NetworkQueries queries, final TokenCodec tokens,
                   final int maxLimit) {
        this.resolver = resolver;
        this.queries = queries;
        this.tokens = tokens;
        this.maxLimit = maxLimit;
    }

    /** A decoded activitiesToken: the page of {@code connection}'s activities after/before (timestamp, seq). */
    private record ActivityToken(String connection, long timestamp, long seq, boolean backward) {
    }

    /** A decoded connectionsToken: the page of connections after/before (path weight, id). */
    private record PageToken(Reached at, boolean backward) {
    }

    @Override
    public void handle(final Context ctx) {
        final String id = Params.insiderId(ctx);
        final String degreeRaw = ctx.queryParam("degree");
        if (degreeRaw == null || !degreeRaw.matches("[123]")) {
            throw ApiError.badRequest("degree", "Invalid degree parameter (must be 1, 2, or 3)");
        }
        final int degree = Integer.parseInt(degreeRaw);
        final int limit = Params.intIn(ctx, "limit", Math.min(DEFAULT_LIMIT, maxLimit), 1, maxLimit,
            "Invalid limit value (must be 1-" + maxLimit + ")");
        final int activitiesLimit = Params.intIn(ctx, "activitiesLimit", 50, 1, 200,
            "Invalid activitiesLimit value (must be 1-200)");
        final Optional<Instant> since = Params.optionalInstant(ctx, "since", "Invalid since timestamp format");
        final Optional<ActivityToken> token = Optional.ofNullable(ctx.queryParam("activitiesToken"))
            .map(raw -> decode(raw, id));
        final Optional<PageToken> pageToken = Optional.ofNullable(ctx.queryParam("connectionsToken"))
            .map(raw -> decodePage(raw, id, degree, since));
        resolver.resolve(ctx, id).ifPresent(insider -> {
            if (degree > 1 && insider.state().getSignupStatus() == SignupStatus.ANONYMOUS) {
                throw ApiError.unprocessable("degree", "Network analysis not available for this insider",
                    "NETWORK_ANALYSIS_UNAVAILABLE");
            }
            answer(ctx, insider, degree, limit, pageToken, since, activitiesLimit, token);
        });
    }

    private void answer(final Context ctx, final ResolvedInsider resolved, final int degree, final int limit,
                        final Optional<PageToken> pageToken, final Optional<Instant> since,
                        final int activitiesLimit, final Optional<ActivityToken> token) {
        final InsiderState insider = resolved.state();
        final String root = insider.getInsiderId();
        final NetworkScope scope = Caller.of(ctx).key().scope();
        List<Reached> reached = NetworkExpansion.expand(root, degree, queries::edges);
        if (since.isPresent()) {
            final long from = since.get().toEpochMilli();
            reached = reached.stream().filter(r -> r.edge().timeUpdated() >= from).toList();
        }
        // an insider of a network outside the key's scope is counted, never described; nor is one whose connection
        // (the edge and its predecessor) belongs to such an insider. A scoped key reads the facts of every insider
        // reached and of its predecessor once, for the scope check and the figures alike
        final Map<String, InsiderFacts> reachedFacts = scope.all() ? Map.of() : queries.facts(reached.stream()
            .flatMap(r -> Stream.of(r.id(), r.through())).filter(Params::isUuid).distinct().toList());
        final ScopeView view = ScopeView.of(scope, reachedFacts);
        final List<Reached> described = reached.stream().filter(r -> !view.hides(r.id()) && !view.hides(r.through()))
            .toList();
        final int outOfScope = reached.size() - described.size();
        // one page of the described set, best path weight first; insiders and handles share the order and the page
        final Pager.Page<Reached> page = Pager.page(described, NetworkExpansion.ORDER,
            pageToken.map(PageToken::at), pageToken.map(PageToken::backward).orElse(false), limit);
        final List<Reached> insiders = page.items().stream().filter(r -> Params.isUuid(r.id())).toList();
        final List<String> insiderIds = insiders.stream().map(Reached::id).toList();
        // each connection shows its target's own status and figures, read where the target is hosted
        final Map<String, InsiderFacts> facts = scope.all() ? queries.facts(insiderIds) : reachedFacts;
        final Map<String, List<Purchase>> purchases = queries.purchases(insiderIds);
        final List<Map<String, Object>> connections = new ArrayList<>(insiders.size());
        for (final Reached r : insiders) {
            connections.add(connection(r, degree, facts.get(r.id()), activities(root, insider.getNetworkId(), r.id(),
                purchases.getOrDefault(r.id(), List.of()), scope, since, activitiesLimit, token)));
        }
        final List<Map<String, Object>> anonymous = page.items().stream().filter(r -> !Params.isUuid(r.id()))
            .map(r -> anonymous(r, degree)).toList();
        final Map<String, Object> analysis = new LinkedHashMap<>();
        if (degree == 1) {
            analysis.put("partner_activity", partnerActivity(insider, scope));
        }
        analysis.put("connections", connections);
        analysis.put("anonymous_connections", anonymous);
        analysis.put("out_of_scope", outOfScope);
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("insider_id", root);
        data.put("time_updated", Params.iso(resolved.timeUpdated()));
        data.put("degree", degree);
        data.put("network_analysis", analysis);
        final List<Reached> items = page.items();
        final Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("hasNext", page.hasNext() && !items.isEmpty());
        pagination.put("hasPrevious", page.hasPrevious() && !items.isEmpty());
        pagination.put("nextToken", page.hasNext() && !items.isEmpty()
            ? encodePage(root, degree, since, items.get(items.size() - 1), false) : null);
        pagination.put("previousToken", page.hasPrevious() && !items.isEmpty()
            ? encodePage(root, degree, since, items.get(0), true) : null);
        pagination.put("count", items.size());
        pagination.put("total", described.size());
        pagination.put("limit", limit);
        pagination.put("sortBy", "path_weight");
        pagination.put("sortOrder", "desc");
        ctx.json(Envelope.page(data, pagination, RequestMeta.of(ctx)));
    }

    /** A recipient known only by a handle or fingerprint, reached at {@code degree}. */
    private static Map<String, Object> anonymous(final Reached r, final int degree) {
        final Edge e = r.edge();
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("recipient", r.id());
        c.put("signup_status", SignupStatus.ANONYMOUS.name());
        if (degree > 1) {
            c.put("connecting_through", r.through());
        }
        c.put("weight", e.weight());
        c.put("path_weight", r.pathWeight());
        c.put("first_contact", Params.iso(e.firstConnected()));
        c.put("last_contact", Params.iso(e.timeUpdated()));
        return c;
    }

    /**
     * An insider reached at {@code degree}; {@code target} holds its own status and figures, null while it has no
     * state yet (an invited recipient: INVITED and zeros).
     */
    private static Map<String, Object> connection(final Reached r, final int degree, final InsiderFacts target,
                                                  final Map<String, Object> otherPartners) {
        final Edge e = r.edge();
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("insider_id", r.id());
        c.put("signup_status", target == null ? SignupStatus.INVITED.name() : target.signupStatus());
        if (degree > 1) {
            c.put("connecting_through", r.through());
        }
        c.put("platform_strengths", e.platformStrengths());
        final Map<String, Object> performance = new LinkedHashMap<>();
        performance.put("partner_conversion_rate", target == null ? 0.0 : target.conversionRate());
        performance.put("total_generated", target == null ? NO_AMOUNT : target.totalGeneratedAmount());
        // a rate that never changed took effect when the connection began
        performance.put("conversion_rate_updated",
            Params.isoOr(target == null ? null : target.conversionRateUpdated(), e.firstConnected()));
        c.put("performance_metrics", performance);
        final Map<String, Object> lastShared = new LinkedHashMap<>();
        if (e.lastSharedAt() == null) {
            lastShared.put("partner", null);
        } else {
            final Map<String, Object> partner = new LinkedHashMap<>();
            partner.put("timestamp", Params.iso(e.lastSharedAt()));
            partner.put("instance_id", e.lastSharedInstanceId());
            lastShared.put("partner", partner);
        }
        lastShared.put("other_partners", otherPartners);
        c.put("last_shared", lastShared);
        c.put("time_updated", Params.iso(e.timeUpdated()));
        c.put("path_weight", r.pathWeight());
        return c;
    }

    private Map<String, Object> activities(final String root, final String currentPartner, final String connection,
                                           final List<Purchase> all, final NetworkScope scope,
                                           final Optional<Instant> since, final int limit,
                                           final Optional<ActivityToken> token) {
        final long from = since.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        final List<Purchase> sorted = all.stream()
            .filter(p -> !p.partnerNetworkId().equals(currentPartner) && scope.allows(p.partnerNetworkId())
                && p.timestamp() >= from)
            .sorted(Purchase.NEWEST_FIRST).toList();
        final Optional<ActivityToken> mine = token.filter(t -> t.connection().equals(connection));
        final Pager.Page<Purchase> page = Pager.page(sorted, Purchase.NEWEST_FIRST,
            mine.map(t -> probe(t.timestamp(), t.seq())), mine.map(ActivityToken::backward).orElse(false), limit);
        final List<Map<String, Object>> data = page.items().stream().map(p -> activity(p, currentPartner)).toList();
        final Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("hasNext", page.hasNext());
        pagination.put("hasPrevious", page.hasPrevious());
        pagination.put("nextToken", page.hasNext() && !page.items().isEmpty()
            ? encode(root, connection, page.items().get(page.items().size() - 1), false) : null);
        pagination.put("previousToken", page.hasPrevious() && !page.items().isEmpty()
            ? encode(root, connection, page.items().get(0), true) : null);
        pagination.put("count", data.size());
        pagination.put("sortBy", "timestamp");
        pagination.put("sortOrder", "desc");
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", data);
        out.put("pagination", pagination);
        return out;
    }

    private static Map<String, Object> activity(final Purchase p, final String currentPartner) {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("timestamp", Params.iso(p.timestamp()));
        a.put("order_summary", p.orderSummary());
        a.put("campaign_summary", p.campaignSummary());
        a.put("behavior_summary", PurchaseTexts.behaviorSummary(p, currentPartner));
        a.put("approximate_spending", p.amount().setScale(0, RoundingMode.HALF_UP));
        return a;
    }

    private static Map<String, Object> partnerActivity(final InsiderState s, final NetworkScope scope) {
        final Map<String, Object> activity = new LinkedHashMap<>();
        final LastSharedWithPartner partner = s.getLastSharedWithPartner();
        if (partner == null || !scope.allows(partner.getPartnerId())) {
            activity.put("last_shared_with_partner", null);
        } else {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("timestamp", Params.iso(partner.getTimestamp()));
            p.put("partner_id", partner.getPartnerId());
            p.put("instance_id", partner.getInstanceId());
            p.put("time_updated", Params.iso(partner.getTimeUpdated()));
            activity.put("last_shared_with_partner", p);
        }
        final LastSharedAcrossNetwork across = s.getLastSharedAcrossNetwork();
        if (across == null) {
            activity.put("last_shared_across_network", null);
        } else {
            final Map<String, Object> a = new LinkedHashMap<>();
            a.put("timestamp", Params.iso(across.getTimestamp()));
            a.put("summary", across.getSummary());
            // a share that led to no order has the empty order id (the seed types it as a string)
            a.put("order_id", across.getOrderId() == null ? ProfileHandler.NO_ID : across.getOrderId());
            a.put("reach", across.getReach());
            a.put("time_updated", Params.iso(across.getTimeUpdated()));
            activity.put("last_shared_across_network", a);
        }
        activity.put("cross_partner_conversion_rate", s.getCrossPartnerConversionRate());
        activity.put("cross_partner_updated", Params.isoOr(s.getCrossPartnerUpdated(), s.getJoinedDate()));
        return activity;
    }

    private String encode(final String root, final String connection, final Purchase at, final boolean backward) {
        final ObjectNode payload = tokens.payload();
        payload.put("r", root);
        payload.put("c", connection);
        payload.put("t", at.timestamp());
        payload.put("s", at.seq());
        payload.put("d", backward ? "p" : "n");
        return tokens.encode(payload);
    }

    private ActivityToken decode(final String raw, final String root) {
        final JsonNode p = tokens.decode(raw).orElseThrow(() -> ApiError.badRequest("activitiesToken", TOKEN_ERROR));
        if (!root.equals(p.path("r").asText()) || !p.path("c").isTextual() || !p.path("t").canConvertToLong()
            || !p.path("s").canConvertToLong() || !p.path("d").isTextual()) {
            throw ApiError.badRequest("activitiesToken", TOKEN_ERROR);
        }
        return new ActivityToken(p.path("c").asText(), p.path("t").asLong(), p.path("s").asLong(),
            "p".equals(p.path("d").asText()));
    }

    private String encodePage(final String root, final int degree, final Optional<Instant> since, final Reached at,
                              final boolean backward) {
        final ObjectNode payload = tokens.payload();
        payload.put("r", root);
        payload.put("g", degree);
        payload.put("since", since.map(Instant::toString).orElse(""));
        payload.put("w", at.pathWeight());
        payload.put("i", at.id());
        payload.put("d", backward ? "p" : "n");
        return tokens.encode(payload);
    }

    private PageToken decodePage(final String raw, final String root, final int degree,
                                 final Optional<Instant> since) {
        final JsonNode p = tokens.decode(raw)
            .orElseThrow(() -> ApiError.badRequest("connectionsToken", PAGE_TOKEN_ERROR));
        // bound to the insider, the degree and the since filter it was issued for
        if (!root.equals(p.path("r").asText()) || p.path("g").asInt(-1) != degree
            || !since.map(Instant::toString).orElse("").equals(p.path("since").asText(null))
            || !p.path("w").isNumber() || !p.path("i").isTextual() || !p.path("d").isTextual()) {
            throw ApiError.badRequest("connectionsToken", PAGE_TOKEN_ERROR);
        }
        return new PageToken(new Reached(p.path("i").asText(), degree, null, p.path("w").asDouble(), null),
            "p".equals(p.path("d").asText()));
    }

    private static Purchase probe(final long timestamp, final long seq) {
        return new Purchase(null, seq, null, timestamp, null, null, null, null, null, null, null, null, null, null,
            null);
    }

}
