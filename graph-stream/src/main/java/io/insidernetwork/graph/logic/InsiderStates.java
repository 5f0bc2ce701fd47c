package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstancePurchased;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.LastSharedAcrossNetwork;
import io.insidernetwork.schemas.graph.LastSharedWithPartner;
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

    /**
     * Records one share of {@code instanceId} on {@code platform} with {@code recipients}; {@code totals} are the
     * exact counts after it (from the index store), the lists keep their most recent entries ({@code bounds}).
     */
    public static void applyShare(final InsiderState state, final String instanceId, final String platform,
                                  final List<String> recipients, final Instant time, final RecordBounds bounds,
                                  final ShareTotals totals) {
        state.setTotalShares(state.getTotalShares() + 1);
        state.setSharesUpdated(later(state.getSharesUpdated(), time));
        final InstanceShared entry = sharedEntry(state, instanceId, time, bounds);
        entry.setShares(totals.instanceShares());
        entry.setPlatforms(bounds.newest(recent(entry.getPlatforms(), List.of(platform)), bounds.platforms(),
            String::length));
        entry.setSharedWith(bounds.newest(recent(entry.getSharedWith(), recipients), bounds.recipients(),
            String::length));
        entry.setTimeUpdated(later(entry.getTimeUpdated(), time));
        applyTotals(state, entry, totals);
        touch(state, time);
    }

    /** Exact counts of an insider's shares after a change, from the index store. */
    public record ShareTotals(long instanceShares, long instanceRecipients, long instanceSignups, long instances,
                              long distinctRecipients) {
    }

    private static void applyTotals(final InsiderState state, final InstanceShared entry, final ShareTotals totals) {
        entry.setSharedWithTotal(totals.instanceRecipients());
        entry.setSignupTotal(totals.instanceSignups());
        state.setInstancesSharedTotal(totals.instances());
        state.setDistinctRecipients(totals.distinctRecipients());
    }

    /** Records the latest share in the insider's own partner network and across all networks. */
    public static void applyLastShared(final InsiderState state, final String partner, final String instanceId,
                                       final int reach, final Instant time) {
        final LastSharedWithPartner own = state.getLastSharedWithPartner();
        if (partner.equals(state.getNetworkId()) && (own == null || !time.isBefore(own.getTimestamp()))) {
            state.setLastSharedWithPartner(new LastSharedWithPartner(time, partner, instanceId, time));
        }
        final LastSharedAcrossNetwork any = state.getLastSharedAcrossNetwork();
        if (any == null || !time.isBefore(any.getTimestamp())) {
            state.setLastSharedAcrossNetwork(new LastSharedAcrossNetwork(time,
                "Shared " + instanceId + " in " + partner + " with " + reach + " recipient" + (reach == 1 ? "" : "s"),
                null, (long) reach, time));
        }
    }

    /** Records one purchase by the insider. */
    public static void applyPurchase(final InsiderState state, final String instanceId, final String campaignId,
                                     final BigDecimal amount, final Instant time, final RecordBounds bounds) {
        final List<InstancePurchased> purchased = new ArrayList<>(state.getInstancesPurchased());
        if (state.getInstancesPurchasedTotal() < purchased.size()) {
            // a record written before the total existed: its list held every purchase up to the old cap
            state.setInstancesPurchasedTotal(purchased.size());
        }
        int at = purchased.size();
        while (at > 0 && purchased.get(at - 1).getTimestamp().isAfter(time)) {
            at--;
        }
        purchased.add(at, new InstancePurchased(instanceId, time, campaignId, time));
        // the state is rewritten on every change: a big buyer's list must not grow without bound
        state.setInstancesPurchased(bounds.newest(purchased, bounds.purchases(),
            p -> p.getInstanceId().length() + (p.getCampaignId() == null ? 0 : p.getCampaignId().length())));
        state.setInstancesPurchasedTotal(state.getInstancesPurchasedTotal() + 1);
        state.setTotalPurchaseAmount(Amounts.add(state.getTotalPurchaseAmount(), amount));
        state.setPurchaseAmountUpdated(later(state.getPurchaseAmountUpdated(), time));
        updateValue(state, time);
        touch(state, time);
    }

    /** Adds a purchase attributed to the insider's shares. */
    public static void addGenerated(final InsiderState state, final BigDecimal amount, final Instant time) {
        state.setTotalGeneratedAmount(Amounts.add(state.getTotalGeneratedAmount(), amount));
        state.setGeneratedAmountUpdated(later(state.getGeneratedAmountUpdated(), time));
        updateValue(state, time);
        touch(state, time);
    }

    /**
     * Records that {@code recipient} signed up after the insider shared {@code instanceId} (or referred them);
     * {@code totals} are the exact counts after it.
     */
    public static void applySignupCredit(final InsiderState state, final String instanceId, final String recipient,
                                         final Instant time, final RecordBounds bounds, final ShareTotals totals) {
        final InstanceShared entry = sharedEntry(state, instanceId, time, bounds);
        entry.setShares(totals.instanceShares());
        entry.setSharedWith(bounds.newest(recent(entry.getSharedWith(), List.of(recipient)), bounds.recipients(),
            String::length));
        entry.setSignup(bounds.newest(recent(entry.getSignup(), List.of(recipient)), bounds.signups(),
            String::length));
        entry.setTimeUpdated(later(entry.getTimeUpdated(), time));
        applyTotals(state, entry, totals);
        touch(state, time);
    }

    /** Takes back a signup credit: {@code recipient} no longer counts as a signup of {@code instanceId}. */
    public static void removeSignupCredit(final InsiderState state, final String instanceId, final String recipient,
                                          final Instant time, final RecordBounds bounds, final ShareTotals totals) {
        final InstanceShared entry = sharedEntry(state, instanceId, time, bounds);
        entry.setShares(totals.instanceShares());
        final List<String> signups = new ArrayList<>(entry.getSignup());
        signups.remove(recipient);
        entry.setSignup(signups);
        entry.setTimeUpdated(later(entry.getTimeUpdated(), time));
        applyTotals(state, entry, totals);
        touch(state, time);
    }

    /** Sets the conversion rate from the number of converted recipients; false when unchanged. */
    public static boolean setConverted(final InsiderState state, final long converted, final Instant time) {
        // distinct recipients over all instances, counted in the index (the lists hold only the newest)
        final long recipients = state.getDistinctRecipients();
        final double rate = recipients == 0 ? 0.0 : Math.min(1.0, (double) converted / recipients);
        if (rate == state.getConversionRate() && state.getConversionRateUpdated() != null) {
            return false;
        }
        state.setConversionRate(rate);
        state.setConversionRateUpdated(later(state.getConversionRateUpdated(), time));
        touch(state, time);
        return true;
    }

    /**
     * Sets the cross-partner conversion rate: {@code converted} of the {@code shared} recipients the insider shared
     * with in other partner networks converted for it; false when unchanged.
     */
    public static boolean setCrossPartnerConverted(final InsiderState state, final long converted, final long shared,
                                                   final Instant time) {
        final double rate = shared == 0 ? 0.0 : Math.min(1.0, (double) converted / shared);
        if (rate == state.getCrossPartnerConversionRate()
            && (state.getCrossPartnerUpdated() != null || shared == 0)) {
            return false;
        }
        state.setCrossPartnerConversionRate(rate);
        state.setCrossPartnerUpdated(later(state.getCrossPartnerUpdated(), time));
        touch(state, time);
        return true;
    }

    private static void updateValue(final InsiderState state, final Instant time) {
        state.setUserValue(Amounts.add(state.getTotalPurchaseAmount(), state.getTotalGeneratedAmount()));
        state.setValueUpdated(later(state.getValueUpdated(), time));
    }

    /**
     * The entry of {@code instanceId}, created (with zero counts) when not listed; the list keeps the
     * {@code bounds.instances()} most recently active entries, the new one included.
     */
    private static InstanceShared sharedEntry(final InsiderState state, final String instanceId, final Instant time,
                                              final RecordBounds bounds) {
        for (final InstanceShared s : state.getInstancesShared()) {
            if (s.getInstanceId().equals(instanceId)) {
                return s;
            }
        }
        final InstanceShared entry = InstanceShared.newBuilder().setInstanceId(instanceId).setShares(0)
            .setPlatforms(new ArrayList<>()).setSharedWith(new ArrayList<>()).setSignup(new ArrayList<>())
            .setTimeUpdated(time).setSharedWithTotal(0).setSignupTotal(0).build();
        final List<InstanceShared> shared = new ArrayList<>(state.getInstancesShared());
        while (shared.size() >= bounds.instances()) {
            // the least recently active entry makes room; its counts stay in the index and come back with it
            InstanceShared oldest = shared.get(0);
            for (final InstanceShared s : shared) {
                if (s.getTimeUpdated().isBefore(oldest.getTimeUpdated())) {
                    oldest = s;
                }
            }
            shared.remove(oldest);
        }
        shared.add(entry);
        state.setInstancesShared(shared);
        return entry;
    }

    /** Marks {@code state} signed up (an insider that acts has signed up), touched at {@code time} if it was not. */
    public static void markSignedUp(final InsiderState state, final Instant time) {
        if (state.getSignupStatus() != SignupStatus.SIGNED_UP) {
            state.setSignupStatus(SignupStatus.SIGNED_UP);
            touch(state, time);
        }
    }

    /** Moves the record's time_updated forward to {@code time} (never back). */
    public static void touch(final InsiderState state, final Instant time) {
        state.setTimeUpdated(later(state.getTimeUpdated(), time));
    }

    /** The later of two times; {@code a} may be null. */
    public static Instant later(final Instant a, final Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** {@code a} with {@code b} moved to (or added at) its end, distinct: most recent last. */
    private static List<String> recent(final List<String> a, final List<String> b) {
        final LinkedHashSet<String> all = new LinkedHashSet<>(a);
        b.forEach(all::remove);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
