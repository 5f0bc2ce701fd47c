package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.ConnectionStates;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InboundShare;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.MergeVisitor;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.graph.VisitorIdentified;
import io.insidernetwork.schemas.graph.VisitorSeen;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.ReferralVisit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Anonymous visitors (docs/graph-model.md, "Anonymous visitors merge"): a referral-link visit makes a
 * {@code referrer|fingerprint} connection and tells the fingerprint's task ({@code VisitorSeen}); a signup with that
 * fingerprint identifies it there ({@code VisitorIdentified}, the first insider keeps it), and every referrer whose
 * link it opened, before or after, folds its fingerprint connection into one to the insider ({@code MergeVisitor}).
 */
final class Visitors {

    private final GraphParameters parameters;
    private final NetworkStores stores;
    private final ExactTotals totals;
    private final InsiderLoader loader;
    private final InsightIqEngagement insightIq;
    private final StateCache<InsiderState> insiders;
    private final StateCache<ConnectionState> connections;
    private final KeyValueStore<String, String> index;

    Visitors(final GraphParameters parameters, final NetworkStores stores, final ExactTotals totals,
             final InsiderLoader loader, final InsightIqEngagement insightIq) {
        this.parameters = parameters;
        this.stores = stores;
        this.totals = totals;
        this.loader = loader;
        this.insightIq = insightIq;
        this.insiders = stores.insiders;
        this.connections = stores.connections;
        this.index = stores.index;
    }

    void onVisit(final PartnerEvent event, final ReferralVisit visit) {
        final Instant time = event.getEventTime();
        final String referrer = visit.getReferringInsiderId();
        final String fingerprint = visit.getVisitorFingerprint();
        final LoadedInsider insider = loader.load(referrer, event.getPartnerNetworkId(), time, SignupStatus.SIGNED_UP);
        InsiderStates.markSignedUp(insider.state(), time);
        final String key = ConnectionKeys.of(referrer, fingerprint);
        final ConnectionState before = connections.get(key);
        final ConnectionState after = before != null ? before : ConnectionStates.create(referrer, fingerprint,
            event.getPartnerNetworkId(), SignupStatus.ANONYMOUS, time);
        final double expiredBefore = before == null ? -1 : stores.expiry(before);
        ConnectionStates.addPoints(after, parameters.weights(), parameters.visitPoints(), time);
        ConnectionStates.applyShare(after, parameters, event.getPartnerNetworkId(), visit.getPlatform(),
            visit.getInstanceId(), insightIq.engagement(referrer, visit.getPlatform()), time);
        stores.putConnection(key, expiredBefore, after);
        InsiderStates.touch(insider.state(), time);
        stores.save(insider, List.of(new ConnectionChange(fingerprint, after.getWeight(),
            before == null ? ChangeType.ADDED : ChangeType.UPDATED)), time);
        stores.command(fingerprint, time, new VisitorSeen(fingerprint, referrer));
    }

    void onVisitorSeen(final VisitorSeen seen, final Instant time) {
        index.put(IndexKeys.visited(seen.getFingerprint(), seen.getReferrerId()), "");
        final String identified = index.get(IndexKeys.visitor(seen.getFingerprint()));
        if (identified != null) {
            final String[] parts = identified.split(",", 2);
            stores.command(seen.getReferrerId(), time, new MergeVisitor(seen.getReferrerId(), seen.getFingerprint(),
                parts[0], parts[1]));
        }
    }

    void onVisitorIdentified(final VisitorIdentified identified, final Instant time) {
        final String fingerprint = identified.getFingerprint();
        if (index.get(IndexKeys.visitor(fingerprint)) != null) {
            return;
        }
        index.put(IndexKeys.visitor(fingerprint), identified.getInsiderId() + "," + identified.getEventId());
        final List<String> referrers = new ArrayList<>();
        try (KeyValueIterator<String, String> all = index.prefixScan(IndexKeys.visitedPrefix(fingerprint),
            new StringSerializer())) {
            all.forEachRemaining(kv -> referrers.add(IndexKeys.last(kv.key)));
        }
        referrers.forEach(referrer -> stores.command(referrer, time, new MergeVisitor(referrer, fingerprint,
            identified.getInsiderId(), identified.getEventId())));
    }

    void onMergeVisitor(final MergeVisitor merge, final Instant time) {
        final String referrer = merge.getReferrerId();
        final String anonymousKey = ConnectionKeys.of(referrer, merge.getFingerprint());
        final ConnectionState anonymous = connections.get(anonymousKey);
        final InsiderState existing = insiders.get(referrer);
        if (anonymous == null || existing == null) {
            return;
        }
        totals.seedLegacyTotals(existing);
        final LoadedInsider insider = new LoadedInsider(existing, false);
        final List<ConnectionChange> changes = new ArrayList<>();
        changes.add(stores.removeConnection(anonymousKey, anonymous));
        final String target = merge.getInsiderId();
        if (!target.equals(referrer)) {
            final String key = ConnectionKeys.of(referrer, target);
            final ConnectionState before = connections.get(key);
            final ConnectionState after = before != null ? before : ConnectionStates.create(referrer, target,
                anonymous.getNetworkId(), SignupStatus.INVITED, anonymous.getFirstConnected());
            final double expiredBefore = before == null ? -1 : stores.expiry(before);
            ConnectionStates.merge(after, anonymous, parameters,
                platform -> insightIq.engagement(referrer, platform));
            if (totals.adjustCount(IndexKeys.signupCredited(referrer, target), 1) == 1) {
                ConnectionStates.addPoints(after, parameters.weights(), parameters.weights().signupPoints(), time);
                final String instance = anonymous.getLastSharedInstanceId() == null ? NetworkProcessor.REFERRAL
                    : anonymous.getLastSharedInstanceId();
                InsiderStates.applySignupCredit(existing, instance, target, time, parameters.bounds(),
                    totals.noteSignup(existing, referrer, instance, target, true));
            }
            stores.putConnection(key, expiredBefore, after);
            changes.add(new ConnectionChange(target, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
            totals.adjustConverted(referrer, target, 1);
            totals.updateConversion(existing, time);
            stores.command(target, time, new InboundShare(referrer, target, null, anonymous.getNetworkId(),
                before == null));
        }
        InsiderStates.touch(existing, time);
        stores.save(insider, changes, time);
    }
}
