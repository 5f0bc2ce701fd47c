package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.NetworkSize;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Pure functions over {@link InsiderState}: creation and the aggregates changed by each event. */
public final class InsiderStates {

    private static final BigDecimal ZERO = new BigDecimal("0.0000");

    private InsiderStates() {
    }

    /** A new insider first seen at {@code time}. */
    public static InsiderState create(final String insiderId, final String networkId, final long seq,
                                      final Instant time, final SignupStatus status) {
        return InsiderState.newBuilder()
            .setInsiderId(insiderId)
            .setNetworkId(networkId)
            .setSeq(seq)
            .setJoinedDate(time)
            .setTimeUpdated(time)
            .setSignupStatus(status)
            .setInstancesPurchased(new ArrayList<>())
            .setInstancesShared(new ArrayList<>())
            .setUserValue(ZERO)
            .setTotalPurchaseAmount(ZERO)
            .setTotalGeneratedAmount(ZERO)
            .setNetworkSize(NetworkSize.newBuilder().setFirstDegree(0).setSecondDegree(0).setThirdDegree(0)
                .setTimeUpdated(time).build())
            .build();
    }

    /** Records one share of {@code instanceId} on {@code platform} with {@code recipients}. */
    public static void applyShare(final InsiderState state, final String instanceId, final String platform,
                                  final List<String> recipients, final Instant time) {
        state.setTotalShares(state.getTotalShares() + 1);
        state.setSharesUpdated(later(state.getSharesUpdated(), time));
        final List<InstanceShared> shared = new ArrayList<>(state.getInstancesShared());
        InstanceShared entry = shared.stream().filter(s -> s.getInstanceId().equals(instanceId)).findFirst()
            .orElse(null);
        if (entry == null) {
            entry = InstanceShared.newBuilder().setInstanceId(instanceId).setShares(0).setPlatforms(new ArrayList<>())
                .setSharedWith(new ArrayList<>()).setSignup(new ArrayList<>()).setTimeUpdated(time).build();
            shared.add(entry);
        }
        entry.setShares(entry.getShares() + 1);
        entry.setPlatforms(union(entry.getPlatforms(), List.of(platform)));
        entry.setSharedWith(union(entry.getSharedWith(), recipients));
        entry.setTimeUpdated(later(entry.getTimeUpdated(), time));
        state.setInstancesShared(shared);
        touch(state, time);
    }

    /** Sets the first-degree size (outgoing connections). */
    public static void setFirstDegree(final InsiderState state, final long firstDegree, final Instant time) {
        if (state.getNetworkSize().getFirstDegree() != firstDegree) {
            state.getNetworkSize().setFirstDegree(firstDegree);
            state.getNetworkSize().setTimeUpdated(later(state.getNetworkSize().getTimeUpdated(), time));
        }
    }

    /** Moves the record's time_updated forward to {@code time} (never back). */
    public static void touch(final InsiderState state, final Instant time) {
        state.setTimeUpdated(later(state.getTimeUpdated(), time));
    }

    static Instant later(final Instant a, final Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static List<String> union(final List<String> a, final List<String> b) {
        final LinkedHashSet<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
