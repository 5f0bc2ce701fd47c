package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Pure functions over {@link ConnectionState}: creation and the changes each interaction makes. */
public final class ConnectionStates {

    /** Platforms a connection keeps strengths for: 16 x 2 maps x (512 characters x 3 bytes) stays under 50 kB. */
    public static final int MAX_PLATFORMS = 16;

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
            .setPlatformActivity(new HashMap<>())
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

    /**
     * Records a share (or referral visit) on {@code platform} (may be null) of {@code instanceId} (may be null);
     * {@code engagement} is the source's InsightIQ engagement e_p on that platform (0 without one).
     */
    public static void applyShare(final ConnectionState state, final GraphParameters parameters,
                                  final String partner, final String platform, final String instanceId,
                                  final double engagement, final Instant time) {
        final String key = platformKey(platform);
        if (key != null) {
            final Map<String, Long> activity = activity(state, parameters);
            final long shares = activity.getOrDefault(key, 0L) + 1;
            activity.put(key, shares);
            final Map<String, Double> strengths = new HashMap<>(state.getPlatformStrengths());
            strengths.put(key, parameters.platformStrength(shares, engagement));
            keepMostActive(activity, strengths, key);
            state.setPlatformActivity(activity);
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
     * platform share counts add (strengths recomputed with the source's {@code engagement} per platform), the latest
     * share wins.
     */
    /**
     * Bounds the platform maps (platforms are partner-supplied texts): at most {@link #MAX_PLATFORMS}, the least
     * active ones (fewest shares) dropped first, never {@code keep} (the platform just shared on).
     */
    static void keepMostActive(final Map<String, Long> activity, final Map<String, Double> strengths,
                               final String keep) {
        while (activity.size() > MAX_PLATFORMS) {
            String least = null;
            for (final Map.Entry<String, Long> entry : activity.entrySet()) {
                if (!entry.getKey().equals(keep) && (least == null || entry.getValue() < activity.get(least)
                    || entry.getValue().equals(activity.get(least)) && entry.getKey().compareTo(least) > 0)) {
                    least = entry.getKey();
                }
            }
            activity.remove(least);
            strengths.remove(least);
        }
    }

    public static void merge(final ConnectionState into, final ConnectionState anonymous,
                             final GraphParameters parameters, final ToDoubleFunction<String> engagement) {
        if (anonymous.getScore() > 0.0) {
            addPoints(into, parameters.weights(), anonymous.getScore(), anonymous.getScoreTime());
        }
        final Map<String, Long> activity = activity(into, parameters);
        activity(anonymous, parameters).forEach((platform, n) -> activity.merge(platform, n, Long::sum));
        final Map<String, Double> strengths = new HashMap<>();
        activity.forEach((platform, n) -> strengths.put(platform,
            parameters.platformStrength(n, engagement.applyAsDouble(platform))));
        keepMostActive(activity, strengths, null);
        into.setPlatformActivity(activity);
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

    /**
     * Recomputes the strength on {@code platform} with the source's new engagement {@code e}; only when the
     * connection has activity there ("only platforms with data"). False when nothing changed.
     */
    public static boolean applyEngagement(final ConnectionState state, final GraphParameters parameters,
                                          final String platform, final double engagement, final Instant time) {
        final Map<String, Long> activity = activity(state, parameters);
        final long shares = activity.getOrDefault(platform, 0L);
        if (shares <= 0) {
            return false;
        }
        final double strength = parameters.platformStrength(shares, engagement);
        final Double current = state.getPlatformStrengths().get(platform);
        if (current != null && current == strength) {
            return false;
        }
        final Map<String, Double> strengths = new HashMap<>(state.getPlatformStrengths());
        strengths.put(platform, strength);
        state.setPlatformActivity(activity);
        state.setPlatformStrengths(strengths);
        touch(state, time);
        return true;
    }

    /** True when {@code platform} is the only platform the connection has activity on. */
    public static boolean onlyOn(final ConnectionState state, final String platform) {
        return state.getPlatformStrengths().keySet().equals(Set.of(platform))
            && state.getPlatformActivity().keySet().stream().allMatch(platform::equals);
    }

    /** Removes {@code platform} from the connection's strengths and activity; false when it had none there. */
    public static boolean dropPlatform(final ConnectionState state, final GraphParameters parameters,
                                       final String platform, final Instant time) {
        if (!state.getPlatformStrengths().containsKey(platform)
            && !state.getPlatformActivity().containsKey(platform)) {
            return false;
        }
        final Map<String, Long> activity = activity(state, parameters);
        activity.remove(platform);
        final Map<String, Double> strengths = new HashMap<>(state.getPlatformStrengths());
        strengths.remove(platform);
        state.setPlatformActivity(activity);
        state.setPlatformStrengths(strengths);
        touch(state, time);
        return true;
    }

    /**
     * The share/visit count n_p per platform, as a new mutable map. Connections written before platform_activity
     * existed carry only strengths, which then had no engagement in them: their count is the inverse of the strength.
     */
    public static Map<String, Long> activity(final ConnectionState state, final GraphParameters parameters) {
        final Map<String, Long> activity = new HashMap<>(state.getPlatformActivity());
        state.getPlatformStrengths().forEach((platform, strength) ->
            activity.computeIfAbsent(platform, p -> parameters.sharesOf(strength)));
        return activity;
    }

    /** The platform key of a platform name: trimmed and lower-cased; null when blank. */
    public static String platformKey(final String platform) {
        return platform == null || platform.isBlank() ? null : platform.trim().toLowerCase(Locale.ROOT);
    }

    /** Moves time_updated forward (never back). */
    public static void touch(final ConnectionState state, final Instant time) {
        if (time.isAfter(state.getTimeUpdated())) {
            state.setTimeUpdated(time);
        }
    }
}
