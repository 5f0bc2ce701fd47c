package io.insidernetwork.api.http;

import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstancePurchased;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.NetworkSize;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/insiders/{insider_id}}: profile and achievements (SPEC A.3.3). */
final class ProfileHandler implements Handler {

    /** The string of an id the data has none of (campaign of a purchase without one, order of a share without one). */
    static final String NO_ID = "";

    private final InsiderResolver resolver;
    private final NetworkQueries queries;

    ProfileHandler(final InsiderResolver resolver, final NetworkQueries queries) {
        this.resolver = resolver;
        this.queries = queries;
    }

    @Override
    public void handle(final Context ctx) {
        final String id = Params.insiderId(ctx);
        resolver.resolve(ctx, id).ifPresent(insider -> {
            // recipients who are insiders of networks outside the key's scope are not named
            final List<String> recipients = insider.state().getInstancesShared().stream()
                .flatMap(s -> java.util.stream.Stream.concat(s.getSharedWith().stream(), s.getSignup().stream()))
                .toList();
            final ScopeView view = ScopeView.of(Caller.of(ctx).key().scope(), recipients, queries);
            ctx.json(Envelope.ok(render(insider, view), RequestMeta.of(ctx)));
        });
    }

    static Map<String, Object> render(final ResolvedInsider insider, final ScopeView view) {
        final InsiderState s = insider.state();
        final Map<String, Object> profile = new LinkedHashMap<>();
        // an aggregate that kept its initial value since the insider joined was last updated when it joined
        profile.put("instances_purchased", s.getInstancesPurchased().stream().map(ProfileHandler::purchased).toList());
        profile.put("instances_shared", s.getInstancesShared().stream().map(i -> shared(i, view)).toList());
        profile.put("conversion_rate", s.getConversionRate());
        profile.put("conversion_rate_updated", Params.isoOr(s.getConversionRateUpdated(), s.getJoinedDate()));
        profile.put("total_shares", s.getTotalShares());
        profile.put("shares_updated", Params.isoOr(s.getSharesUpdated(), s.getJoinedDate()));
        profile.put("user_value", s.getUserValue());
        profile.put("value_updated", Params.isoOr(s.getValueUpdated(), s.getJoinedDate()));
        profile.put("total_purchase_amount", s.getTotalPurchaseAmount());
        profile.put("purchase_amount_updated", Params.isoOr(s.getPurchaseAmountUpdated(), s.getJoinedDate()));
        profile.put("total_generated_amount", s.getTotalGeneratedAmount());
        profile.put("generated_amount_updated", Params.isoOr(s.getGeneratedAmountUpdated(), s.getJoinedDate()));
        final NetworkSize size = insider.networkSize();
        final Map<String, Object> networkSize = new LinkedHashMap<>();
        networkSize.put("first_degree", size.getFirstDegree());
        networkSize.put("second_degree", size.getSecondDegree());
        networkSize.put("third_degree", size.getThirdDegree());
        networkSize.put("time_updated", Params.iso(size.getTimeUpdated()));
        profile.put("network_size", networkSize);
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("insider_id", s.getInsiderId());
        data.put("joined_date", Params.iso(s.getJoinedDate()));
        data.put("time_updated", Params.iso(insider.timeUpdated()));
        data.put("profile", profile);
        return data;
    }

    private static Map<String, Object> purchased(final InstancePurchased p) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance_id", p.getInstanceId());
        out.put("timestamp", Params.iso(p.getTimestamp()));
        // a purchase without a campaign has the empty campaign id (the seed types it as a string)
        out.put("campaign_id", p.getCampaignId() == null ? NO_ID : p.getCampaignId());
        out.put("time_updated", Params.iso(p.getTimeUpdated()));
        return out;
    }

    private static Map<String, Object> shared(final InstanceShared s, final ScopeView view) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance_id", s.getInstanceId());
        out.put("shares", s.getShares());
        out.put("platforms", s.getPlatforms());
        out.put("shared_with", view.visible(s.getSharedWith()));
        out.put("signup", view.visible(s.getSignup()));
        out.put("time_updated", Params.iso(s.getTimeUpdated()));
        return out;
    }
}
