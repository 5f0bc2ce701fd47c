package io.insidernetwork.graph.logic;

import java.time.Duration;
import java.time.Instant;

/**
 * Connection weight from interactions: every interaction adds its type's points to a score that halves every
 * {@code halfLife}; the weight is {@code 1 - exp(-score / k)}, in [0, 1), saturating. Points are added at the
 * interaction's event time, so the result does not depend on arrival order (docs/graph-model.md).
 */
public record WeightModel(double sharePoints, double signupPoints, double purchasePoints, double k,
                          Duration halfLife) {

    /** A score at a point in event time. */
    public record Score(double value, Instant at) {
    }

    public WeightModel {
        if (k <= 0 || halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("k and halfLife must be positive");
        }
    }

    /** The score after adding {@code points} at {@code time} to {@code current} (null for a new connection). */
    public Score add(final Score current, final double points, final Instant time) {
        if (current == null) {
            return new Score(points, time);
        }
        if (time.isBefore(current.at())) {
            // a late event: decay its points to the score's time instead of moving the score back
            return new Score(current.value() + points * decay(Duration.between(time, current.at())), current.at());
        }
        return new Score(current.value() * decay(Duration.between(current.at(), time)) + points, time);
    }

    /** The score decayed to {@code time} (not before the score's own time). */
    public double valueAt(final Score score, final Instant time) {
        return time.isAfter(score.at()) ? score.value() * decay(Duration.between(score.at(), time)) : score.value();
    }

    /** Weight of a score, in [0, 1). */
    public double weight(final double score) {
        return 1.0 - Math.exp(-Math.max(0.0, score) / k);
    }

    private double decay(final Duration age) {
        return Math.pow(0.5, (double) age.toMillis() / halfLife.toMillis());
    }
}
