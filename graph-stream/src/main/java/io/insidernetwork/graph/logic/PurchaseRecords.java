package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Builds the purchase-behaviour record of a purchase event (summaries and spending range, docs/graph-model.md). */
public final class PurchaseRecords {

    private static final long[] RANGE_BOUNDS = {0, 25, 50, 100, 250, 500, 1000};

    private PurchaseRecords() {
    }

    /** The record of {@code purchase}, the {@code seq}-th purchase record of its buyer. */
    public static PurchaseRecord of(final PartnerEvent event, final Purchase purchase, final long seq) {
        final BigDecimal amount = purchase.getAmount().setScale(4, RoundingMode.HALF_EVEN);
        final boolean ownNetwork = purchase.getStoreName().equalsIgnoreCase(event.getPartnerNetworkId());
        return PurchaseRecord.newBuilder()
            .setInsiderId(purchase.getBuyerId())
            .setSeq(seq)
            .setEventId(event.getEventId())
            .setOrderId(purchase.getOrderId())
            .setTimestamp(event.getEventTime())
            .setPartnerNetworkId(event.getPartnerNetworkId())
            .setStoreName(purchase.getStoreName())
            .setStoreCategory(purchase.getStoreCategory())
            .setInstanceId(purchase.getInstanceId())
            .setCampaignId(purchase.getCampaignId())
            .setAmount(amount)
            .setCurrency(purchase.getCurrency())
            .setAttributedTo(null)
            .setOrderSummary("Order " + purchase.getOrderId() + ": " + purchase.getInstanceId() + " at "
                + purchase.getStoreName() + " for " + amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString()
                + " " + purchase.getCurrency())
            .setCampaignSummary(purchase.getCampaignId() == null ? "No campaign"
                : "Campaign " + purchase.getCampaignId())
            .setBehaviorSummary((purchase.getStoreCategory() == null ? "Purchase" : purchase.getStoreCategory()
                + " purchase") + (ownNetwork ? " in the partner's own store" : " in another partner's store"))
            .setSpendingRange(spendingRange(amount))
            .build();
    }

    /** Bucket of an amount: "$0-$25", "$25-$50", ..., "$1000+". */
    public static String spendingRange(final BigDecimal amount) {
        for (int i = 1; i < RANGE_BOUNDS.length; i++) {
            if (amount.compareTo(BigDecimal.valueOf(RANGE_BOUNDS[i])) < 0) {
                return "$" + RANGE_BOUNDS[i - 1] + "-$" + RANGE_BOUNDS[i];
            }
        }
        return "$" + RANGE_BOUNDS[RANGE_BOUNDS.length - 1] + "+";
    }
}
