package io.insidernetwork.api;

import io.insidernetwork.api.auth.Hmac;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstancePurchased;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.LastSharedAcrossNetwork;
import io.insidernetwork.schemas.graph.LastSharedWithPartner;
import io.insidernetwork.schemas.graph.NetworkSize;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records of graph-stream's output topics, built as graph-stream would write them. */
public final class Fixtures {

    /** The API key every test sends, and the configured entry for it (all networks). */
    public static final String KEY = "test-key-all-networks";
    public static final String KEY_ENTRY = "tests:" + Hmac.sha256Hex(KEY) + ":*";
    /** A key scoped to one partner network. */
    public static final String BRAND_KEY = "test-key-brand-only";
    public static final String BRAND_KEY_ENTRY = "brand:" + Hmac.sha256Hex(BRAND_KEY) + ":brand-a";
    /** A key scoped to the other partner network. */
    public static final String BRAND_B_KEY = "test-key-brand-b-only";
    public static final String BRAND_B_KEY_ENTRY = "brand-b:" + Hmac.sha256Hex(BRAND_B_KEY) + ":brand-b";
    /** A key with a tiny rate limit. */
    public static final String SLOW_KEY = "test-key-slow";
    public static final String SLOW_KEY_ENTRY = "slow:" + Hmac.sha256Hex(SLOW_KEY) + ":*:1";
    public static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    private Fixtures() {
    }

    /** A UUID-shaped insider id numbered {@code n}. */
    public static String id(final int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private static BigDecimal money(final String v) {
        return new BigDecimal(v).setScale(4);
    }

    /** An insider of {@code network} with numeric id {@code seq}. */
    public static InsiderState insider(final String id, final String network, final long seq, final Instant joined) {
        return insider(id, network, seq, joined, SignupStatus.SIGNED_UP);
    }

    public static InsiderState insider(final String id, final String network, final long seq, final Instant joined,
                                       final SignupStatus status) {
        final Instant updated = joined.plusSeconds(60);
        return InsiderState.newBuilder()
            .setInsiderId(id).setNetworkId(network).setSeq(seq).setJoinedDate(joined).setTimeUpdated(updated)
            .setSignupStatus(status)
            .setInstancesPurchased(List.of(new InstancePurchased("sku-1", joined.plusSeconds(30), "spring", updated)))
            .setInstancesShared(List.of(new InstanceShared("sku-1", 2L, List.of("instagram"),
                List.of(id(999), "@handle"), List.of(id(999)), updated, 2L, 1L)))
            .setConversionRate(0.5).setConversionRateUpdated(updated)
            .setTotalShares(2L).setSharesUpdated(updated)
            .setUserValue(money("150.5")).setValueUpdated(updated)
            .setTotalPurchaseAmount(money("100.5")).setPurchaseAmountUpdated(updated)
            .setTotalGeneratedAmount(money("50")).setGeneratedAmountUpdated(updated)
            // not maintained by graph-stream (the sizes are NetworkSizes records): stale values no answer may show
            .setNetworkSize(new NetworkSize(97L, 98L, 99L, joined))
            .setLastSharedWithPartner(new LastSharedWithPartner(updated, network, "sku-1", updated))
            .setLastSharedAcrossNetwork(new LastSharedAcrossNetwork(updated, "shared sku-1 on instagram", null, 2L,
                updated))
            .setCrossPartnerConversionRate(0.25).setCrossPartnerUpdated(updated)
            .build();
    }

    /** The network sizes graph-stream writes for {@code insider}. */
    public static NetworkSizes sizes(final String insider, final long first, final long second, final long third,
                                     final Instant time) {
        return new NetworkSizes(insider, first, second, third, time);
    }

    /**
     * Connection source → target with {@code weight}. The copies of the target's figures hold values graph-stream no
     * longer maintains and no answer may show (the figures are the target's own InsiderState).
     */
    public static ConnectionState edge(final String source, final String target, final double weight,
                                       final Instant time) {
        return ConnectionState.newBuilder()
            .setSourceId(source).setTargetId(target).setNetworkId("brand-a").setWeight(weight).setScore(1.0)
            .setScoreTime(time).setSignupStatus(SignupStatus.INVITED)
            .setPlatformStrengths(Map.of("instagram", 0.9, "facebook", 0.4)).setPartnerConversionRate(0.99)
            .setTotalGenerated(money("999")).setConversionRateUpdated(time.plusSeconds(999))
            .setLastSharedInstanceId("sku-1")
            .setLastSharedAt(time).setFirstConnected(time).setTimeUpdated(time).build();
    }

    /** Key of a connection record. */
    public static String edgeKey(final String source, final String target) {
        return source + "|" + target;
    }

    /** A purchase of {@code insider}. */
    public static PurchaseRecord purchase(final String insider, final long seq, final String network,
                                          final String store, final Instant time, final String amount) {
        return PurchaseRecord.newBuilder()
            .setInsiderId(insider).setSeq(seq).setEventId("evt-" + seq).setOrderId("order-" + seq).setTimestamp(time)
            .setPartnerNetworkId(network).setStoreName(store).setStoreCategory(seq % 2 == 0 ? "shoes" : null)
            .setInstanceId("sku-" + seq).setCampaignId("spring").setAmount(money(amount)).setCurrency("USD")
            .setAttributedTo(null).setOrderSummary("order " + seq).setCampaignSummary("spring campaign")
            .setBehaviorSummary("repeat buyer").setSpendingRange("$50-$100").build();
    }

    /** Key of a purchase record. */
    public static String purchaseKey(final PurchaseRecord p) {
        return p.getInsiderId() + "|" + p.getEventId();
    }

    /** A change-feed entry. */
    public static NetworkUpdate update(final String insider, final String network, final Instant at,
                                       final String target) {
        return NetworkUpdate.newBuilder().setInsiderId(insider).setNetworkId(network)
            .setUpdateType(NetworkUpdateType.CONNECTIONS_UPDATED).setJoinedDate(at.minusSeconds(3600))
            .setUpdatedAt(at).setConnections(List.of(new ConnectionChange(target, 0.18, ChangeType.ADDED))).build();
    }
}
