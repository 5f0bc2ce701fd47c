package io.insidernetwork.graph.logic;

import java.time.Duration;
import java.util.Objects;

/**
 * The model parameters of graph-stream (docs/graph-model.md), validated once: every duration positive.
 *
 * @param weights             connection weight model
 * @param visitPoints         score points of a referral-link visit on an anonymous connection
 * @param removalThreshold    a connection whose decayed weight falls below this is removed
 * @param platformK           saturation constant of platform strengths: 1 - exp(-shares / platformK)
 * @param attributionWindow   a signup or purchase is credited to shares at most this long before it
 * @param dedupeRetention     how long (in stream time) event ids are remembered for deduplication
 * @param decayScanInterval   stream-time interval of the scan that removes decayed connections
 * @param networkSizeInterval wall-clock interval at which pending network sizes are recomputed
 * @param attributionSettle   wall-clock time a purchase or signup waits before it is credited to the latest share
 *                            known, so that shares still in flight from other partitions are seen first
 * @param engagementAlpha     weight α of InsightIQ engagement in platform strengths (docs/graph-model.md)
 * @param networkSizeRate     network sizes recomputed per second at most
 * @param bounds              how many entries the lists of an insider state keep ({@link RecordBounds})
 * @param maxFutureSkew       a partner event dated more than this after the wall clock is dead-lettered
 */
public record GraphParameters(WeightModel weights, double visitPoints, double removalThreshold, double platformK,
                              Duration attributionWindow, Duration dedupeRetention, Duration decayScanInterval,
                              Duration networkSizeInterval, Duration attributionSettle, double engagementAlpha,
                              int networkSizeRate, RecordBounds bounds, Duration maxFutureSkew) {

    /** Default skew: events dated more than an hour after the wall clock are dead-lettered. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);

    /** Default α of InsightIQ engagement in platform strengths. */
    public static final double DEFAULT_ENGAGEMENT_ALPHA = 10.0;
    /** Default shortest wall-clock wait before a purchase or signup is credited (longer while commands are slow). */
    public static final Duration DEFAULT_ATTRIBUTION_SETTLE = Duration.ofMillis(300);
    /** Default network sizes recomputed per second. */
    public static final int DEFAULT_NETWORK_SIZE_RATE = 10_000;

    public GraphParameters {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bounds, "bounds");
        if (removalThreshold < 0 || removalThreshold >= 1 || platformK <= 0 || visitPoints < 0
            || engagementAlpha < 0 || Double.isNaN(engagementAlpha) || networkSizeRate < 1) {
            throw new IllegalArgumentException("removalThreshold must be in [0, 1), platformK positive, "
                + "engagementAlpha not negative, networkSizeRate at least 1");
        }
        for (final Duration d : new Duration[] {attributionWindow, dedupeRetention, decayScanInterval,
            networkSizeInterval, attributionSettle, maxFutureSkew}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
    }

    /** Parameters with the default record bounds and future skew. */
    public GraphParameters(final WeightModel weights, final double visitPoints, final double removalThreshold,
                           final double platformK, final Duration attributionWindow, final Duration dedupeRetention,
                           final Duration decayScanInterval, final Duration networkSizeInterval,
                           final Duration attributionSettle, final double engagementAlpha,
                           final int networkSizeRate) {
        this(weights, visitPoints, removalThreshold, platformK, attributionWindow, dedupeRetention, decayScanInterval,
            networkSizeInterval, attributionSettle, engagementAlpha, networkSizeRate, RecordBounds.DEFAULTS,
            DEFAULT_MAX_FUTURE_SKEW);
    }

    /** Parameters with the default engagement α and network-size rate. */
    public GraphParameters(final WeightModel weights, final double visitPoints, final double removalThreshold,
                           final double platformK, final Duration attributionWindow, final Duration dedupeRetention,
                           final Duration decayScanInterval, final Duration networkSizeInterval,
                           final Duration attributionSettle) {
        this(weights, visitPoints, removalThreshold, platformK, attributionWindow, dedupeRetention, decayScanInterval,
            networkSizeInterval, attributionSettle, DEFAULT_ENGAGEMENT_ALPHA, DEFAULT_NETWORK_SIZE_RATE);
    }

    /** Defaults of the documented model, with {@code weights}. */
    public static GraphParameters defaults(final WeightModel weights) {
        return new GraphParameters(weights, 0.5, 0.01, 3.0, Duration.ofDays(30), Duration.ofDays(7),
            Duration.ofMinutes(1), Duration.ofMillis(200), DEFAULT_ATTRIBUTION_SETTLE);
    }

    /** These parameters with another engagement α. */
    public GraphParameters withEngagementAlpha(final double alpha) {
        return new GraphParameters(weights, visitPoints, removalThreshold, platformK, attributionWindow,
            dedupeRetention, decayScanInterval, networkSizeInterval, attributionSettle, alpha, networkSizeRate, bounds,
            maxFutureSkew);
    }

    /** These parameters with another network-size rate. */
    public GraphParameters withNetworkSizeRate(final int rate) {
        return new GraphParameters(weights, visitPoints, removalThreshold, platformK, attributionWindow,
            dedupeRetention, decayScanInterval, networkSizeInterval, attributionSettle, engagementAlpha, rate, bounds,
            maxFutureSkew);
    }

    /** These parameters with other record bounds. */
    public GraphParameters withBounds(final RecordBounds newBounds) {
        return new GraphParameters(weights, visitPoints, removalThreshold, platformK, attributionWindow,
            dedupeRetention, decayScanInterval, networkSizeInterval, attributionSettle, engagementAlpha,
            networkSizeRate, newBounds, maxFutureSkew);
    }

    /** These parameters with another future skew. */
    public GraphParameters withMaxFutureSkew(final Duration skew) {
        return new GraphParameters(weights, visitPoints, removalThreshold, platformK, attributionWindow,
            dedupeRetention, decayScanInterval, networkSizeInterval, attributionSettle, engagementAlpha,
            networkSizeRate, bounds, skew);
    }

    /**
     * InsightIQ engagement of one account: {@code α × interactions / max(followers, 1)}; 0 while the follower
     * count is unknown (no profile yet), so an account without a profile never inflates strengths.
     */
    public double engagement(final long interactions, final Long followers) {
        if (followers == null || interactions <= 0) {
            return 0.0;
        }
        return engagementAlpha * interactions / Math.max(followers, 1L);
    }

    /**
     * Event time at which a score of {@code score} at {@code at} (epoch ms) decays below the removal threshold;
     * {@code at} itself when it already is below. Saturates instead of overflowing.
     */
    public long expiryMillis(final double score, final long at) {
        final double minScore = -weights.k() * Math.log(1.0 - removalThreshold);
        if (score <= minScore || minScore <= 0) {
            return minScore <= 0 ? Long.MAX_VALUE / 2 : at;
        }
        final double halfLives = Math.log(score / minScore) / Math.log(2.0);
        final double millis = halfLives * weights.halfLife().toMillis();
        return millis > Long.MAX_VALUE / 4.0 ? Long.MAX_VALUE / 2 : at + (long) Math.ceil(millis);
    }

    /** Strength in [0, 1) of {@code shares} shares on one platform. */
    public double platformStrength(final long shares) {
        return 1.0 - Math.exp(-shares / platformK);
    }

    /** Strength in [0, 1) of {@code shares} shares on one platform plus the source's engagement {@code e} there. */
    public double platformStrength(final long shares, final double engagement) {
        return 1.0 - Math.exp(-(shares + engagement) / platformK);
    }

    /** Number of shares a strength stands for (inverse of {@link #platformStrength}). */
    public long sharesOf(final double strength) {
        return strength >= 1.0 ? Long.MAX_VALUE / 4 : Math.round(-platformK * Math.log(1.0 - strength));
    }
}
