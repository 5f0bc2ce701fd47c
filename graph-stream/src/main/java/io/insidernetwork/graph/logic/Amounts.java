package io.insidernetwork.graph.logic;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Sums of money in graph-stream's records: Avro decimals of precision 38 and scale 4 (schemas v2 of InsiderState and
 * PurchaseRecord, v3 of ConnectionState, v4 of GraphCommand), so any realistic sum of accepted amounts fits:
 * one amount is at most 99,999,999,999,999.9999 (18 digits), and 10^20 of them would be needed to pass 34 integer
 * digits. A sum beyond that saturates at {@link #MAX} (or {@code -MAX}) instead of failing to encode: encoding a
 * decimal wider than its schema's precision throws, which stopped the stream thread on the store's changelog write.
 * A saturated sum stays at the cap (a later retraction subtracts from the cap, not from the true sum).
 */
public final class Amounts {

    /** Scale of every amount. */
    public static final int SCALE = 4;
    /** Precision of every stored amount or sum. */
    public static final int PRECISION = 38;
    /** The largest amount a precision-38, scale-4 decimal holds: 10^34 - 0.0001. */
    public static final BigDecimal MAX = BigDecimal.TEN.pow(PRECISION - SCALE).subtract(BigDecimal.ONE.movePointLeft(
        SCALE)).setScale(SCALE);

    private Amounts() {
    }

    /** {@code a + b} at scale 4, saturated to [-MAX, MAX]. */
    public static BigDecimal add(final BigDecimal a, final BigDecimal b) {
        return clamp(a.add(b));
    }

    /** {@code value} at scale 4 (half-even), saturated to [-MAX, MAX]. */
    public static BigDecimal clamp(final BigDecimal value) {
        final BigDecimal scaled = value.setScale(SCALE, RoundingMode.HALF_EVEN);
        if (scaled.compareTo(MAX) > 0) {
            return MAX;
        }
        return scaled.compareTo(MAX.negate()) < 0 ? MAX.negate() : scaled;
    }
}
