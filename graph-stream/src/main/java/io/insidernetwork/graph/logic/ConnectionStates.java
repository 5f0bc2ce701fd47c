package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Pure functions over {@link ConnectionState}: creation and the changes each interaction makes. */
public final class ConnectionStates {

    private static final BigDecimal ZERO = new BigDecimal("0.0000");

    private ConnectionStates() {
    }

    /** A new connection without interactions yet; weight and score 0 as of {@code time}. */
    public static ConnectionState create(final String source, final String target, final String networkId,
                                         final SignupStatus status, final Instant time) {
        return ConnectionState.newBuilder()
            .setSourceId(source)
            .setTargetId(target)
            .setNetworkId(networkId)
            .setWeight(0.0)
            .setScore(0.0)
            .setScoreTime(time)
            .setSignupStatus(status)
            .setPlatformStrengths(new HashMap<>())
            .setTotalGenerated(ZERO)
            .setFirstConnected(time)
            .setTimeUpdated(time)
            .build();
    }

    /** Adds {@code points} at {@code time} to the decayed score and recomputes the weight. */
    public static void addPoints(final ConnectionState state, final WeightModel weights, final double points,
                                 final Instant time) {
        final boolean fresh = state.getScore() == 0.0 && state.getWeight() == 0.0;
        final WeightModel.Score current = fresh ? null : new WeightModel.Score(state.getScore(), state.getScoreTime());
        final WeightModel.Score score = weights.add(current, points, time);
        state.setScore(score.value());
        state.setScoreTime(score.at());
        state.setWeight(weights.weight(score.value()));
        touch(state, time);
    }

    /** Records a share (or referral visit) on {@code platform} (may be null) of {@code instanceId} (may be null). */
    public static void applyShare(final ConnectionState state, final GraphParameters parameters,
                                  final String partner, final String platform, final String instanceId,
                                  final Instant time) {
        if (platform != null && !platform.isBlank()) {
            final Map<String, Double> strengths = new HashMap<>(state.getPlatformStrengths());
            final String key = platform.toLowerCase(java.util.Locale.ROOT);
            final long shares = strengths.containsKey(key) ? parameters.sharesOf(strengths.get(key)) : 0;
            strengths.put(key, parameters.platformStrength(shares + 1));
            state.setPlatformStrengths(strengths);
        }
        if (instanceId != null && (state.getLastSharedAt() == null || !time.isBefore(state.getLastSharedAt()))) {
            state.setLastSharedAt(time);
            state.setLastSharedInstanceId(instanceId);
            state.setNetworkId(partner);
        }
        if (time.isBefore(state.getFirstConnected())) {
            state.setFirstConnected(time);
        }
    }

    /**
     * Folds an anonymous connection into {@code into} (same source): scores add (decayed to a common time),
     * platform share counts add, the latest share wins.
     */
    public static void merge(final ConnectionState into, final ConnectionState anonymous,
                             final GraphParameters parameters) {
        if (anonymous.getScore() > 0.0) {
            addPoints(into, parameters.weights(), anonymous.getScore(), anonymous.getScoreTime());
        }
        final Map<String, Double> strengths = new HashMap<>(into.getPlatformStrengths());
        anonymous.getPlatformStrengths().forEach((platform, strength) -> strengths.put(platform,
            parameters.platformStrength(parameters.sharesOf(strength)
                + (strengths.containsKey(platform) ? parameters.sharesOf(strengths.get(platform)) : 0))));
        into.setPlatformStrengths(strengths);
        if (anonymous.getLastSharedAt() != null && (into.getLastSharedAt() == null
            || anonymous.getLastSharedAt().isAfter(into.getLastSharedAt()))) {
            into.setLastSharedAt(anonymous.getLastSharedAt());
            into.setLastSharedInstanceId(anonymous.getLastSharedInstanceId());
        }
        if (anonymous.getFirstConnected().isBefore(into.getFirstConnected())) {
            into.setFirstConnected(anonymous.getFirstConnected());
        }
        touch(into, anonymous.getTimeUpdated());
    }

    /** Applies the target's status and metrics; false when nothing changed. */
    public static boolean applyTargetStatus(final ConnectionState state, final boolean signedUp,
                                            final double conversionRate, final BigDecimal totalGenerated,
                                            final Instant conversionRateUpdated, final Instant time) {
        final SignupStatus status = signedUp ? SignupStatus.SIGNED_UP : state.getSignupStatus();
        if (status == state.getSignupStatus() && conversionRate == state.getPartnerConversionRate()
            && totalGenerated.compareTo(state.getTotalGenerated()) == 0) {
            return false;
        }
        state.setSignupStatus(status);
        state.setPartnerConversionRate(conversionRate);
        state.setTotalGenerated(totalGenerated);
        state.setConversionRateUpdated(conversionRateUpdated);
        touch(state, time);
        return true;
    }

    /** Moves time_updated forward (never back). */
    public static void touch(final ConnectionState state, final Instant time) {
        if (time.isAfter(state.getTimeUpdated())) {
            state.setTimeUpdated(time);
        }
    }
}
