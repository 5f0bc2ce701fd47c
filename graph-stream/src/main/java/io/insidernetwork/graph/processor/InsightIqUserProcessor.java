package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.IiqAccountEngagement;
import io.insidernetwork.schemas.graph.IiqInsiderJoined;
import io.insidernetwork.schemas.graph.IiqUserSeen;
import io.insidernetwork.schemas.graph.InsightIqFact;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task of an InsightIQ user (facts keyed by user id): knows the user's external id (our insider id) and the
 * latest engagement of each of the user's accounts. Sends account engagements to the insider's task once the user
 * is known; account facts that arrive before their user are kept and sent when the user arrives.
 */
public final class InsightIqUserProcessor implements Processor<String, InsightIqFact, String, InsightIqFact> {

    /** Child that writes facts keyed by insider id. */
    public static final String INSIDER_SINK = "insightiq-insider-sink";

    private static final String USER = "u|";
    private static final String ACCOUNT = "a|";
    private static final String SEP = "|";

    private ProcessorContext<String, InsightIqFact> context;
    private KeyValueStore<String, InsightIqFact> store;

    @Override
    public void init(final ProcessorContext<String, InsightIqFact> context) {
        this.context = context;
        store = context.getStateStore(StoreNames.INSIGHTIQ_USERS);
    }

    @Override
    public void process(final Record<String, InsightIqFact> record) {
        final InsightIqFact fact = record.value();
        if (fact == null || record.key() == null) {
            return;
        }
        final Object payload = fact.getPayload();
        if (payload instanceof IiqUserSeen user) {
            onUser(record.key(), user, fact);
        } else if (payload instanceof IiqAccountEngagement account) {
            onAccount(record.key(), account, fact);
        }
    }

    private void onUser(final String userId, final IiqUserSeen user, final InsightIqFact fact) {
        final InsightIqFact known = store.get(USER + userId);
        final IiqUserSeen before = known == null ? null : (IiqUserSeen) known.getPayload();
        if (before != null && known.getFactTime().isAfter(fact.getFactTime())) {
            return;
        }
        store.put(USER + userId, fact);
        final String insider = user.getExternalId();
        final boolean newInsider = before == null || !before.getExternalId().equals(insider);
        if (newInsider || !before.getCreatedAt().equals(user.getCreatedAt())) {
            send(insider, new InsightIqFact(fact.getFactTime(),
                new IiqInsiderJoined(insider, userId, user.getCreatedAt())));
        }
        if (newInsider) {
            final List<InsightIqFact> accounts = new ArrayList<>();
            try (KeyValueIterator<String, InsightIqFact> all = store.prefixScan(ACCOUNT + userId + SEP,
                new StringSerializer())) {
                all.forEachRemaining(kv -> accounts.add(kv.value));
            }
            accounts.forEach(account -> send(insider, withInsider(account, insider)));
        }
    }

    private void onAccount(final String userId, final IiqAccountEngagement account, final InsightIqFact fact) {
        store.put(ACCOUNT + userId + SEP + account.getAccountId(), fact);
        final InsightIqFact user = store.get(USER + userId);
        if (user != null) {
            final String insider = ((IiqUserSeen) user.getPayload()).getExternalId();
            send(insider, withInsider(fact, insider));
        }
    }

    private static InsightIqFact withInsider(final InsightIqFact fact, final String insider) {
        final IiqAccountEngagement account = IiqAccountEngagement.newBuilder((IiqAccountEngagement) fact.getPayload())
            .setInsiderId(insider).build();
        return new InsightIqFact(fact.getFactTime(), account);
    }

    private void send(final String insider, final InsightIqFact fact) {
        context.forward(new Record<>(insider, fact, fact.getFactTime().toEpochMilli()), INSIDER_SINK);
    }
}
