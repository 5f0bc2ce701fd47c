package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.Purchase;
import java.math.BigDecimal;

/**
 * The texts of a purchase that depend on who reads it, rendered at read time so they agree with the numbers beside
 * them: whose store the purchase was in is relative to the requested insider's partner network (the one
 * {@code summary_stats} counts as "current"), and the spending range is in the order's own currency.
 */
final class PurchaseTexts {

    private static final long[] RANGE_BOUNDS = {0, 25, 50, 100, 250, 500, 1000};

    private PurchaseTexts() {
    }

    /**
     * "{category} purchase in the current partner's store" or "… in another partner's store" ("Purchase …" without
     * a category), where current means {@code currentNetwork}.
     */
    static String behaviorSummary(final Purchase p, final String currentNetwork) {
        final String what = Purchase.UNCATEGORIZED.equals(p.storeCategory()) ? "Purchase"
            : p.storeCategory() + " purchase";
        return what + (p.partnerNetworkId().equals(currentNetwork) ? " in the current partner's store"
            : " in another partner's store");
    }

    /** The amount's bucket in its currency: "EUR 0-25", "USD 50-100", ..., "GBP 1000+". */
    static String spendingRange(final BigDecimal amount, final String currency) {
        for (int i = 1; i < RANGE_BOUNDS.length; i++) {
            if (amount.compareTo(BigDecimal.valueOf(RANGE_BOUNDS[i])) < 0) {
                return currency + " " + RANGE_BOUNDS[i - 1] + "-" + RANGE_BOUNDS[i];
            }
        }
        return currency + " " + RANGE_BOUNDS[RANGE_BOUNDS.length - 1] + "+";
    }
}
