package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.AccountSummary;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.IiqAccountEngagement;
import io.insidernetwork.schemas.graph.IiqAccountStatus;
import io.insidernetwork.schemas.graph.IiqContentEngagement;
import io.insidernetwork.schemas.graph.IiqProfileReputation;
import io.insidernetwork.schemas.graph.InsightIqFact;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task of an InsightIQ account (facts keyed by account id): keeps the account's owner, platform, status,
 * follower count and the latest interactions of each of its contents, and sends the account's
 * {@link IiqAccountEngagement} to its owner's user task whenever it changes. Facts may arrive in any order: a
 * content before its account or profile is kept and counts once owner and platform are known; a content updated
 * twice counts with its latest value (by updated_at) only.
 */
public final class InsightIqAccountProcessor implements Processor<String, InsightIqFact, String, InsightIqFact> {

    /** Child that writes facts keyed by InsightIQ user id. */
    public static final String USER_SINK = "insightiq-account-engagement-sink";

    private static final String SUMMARY = "s|";
    private static final String CONTENT = "c|";
    private static final String SEP = "|";

    private ProcessorContext<String, InsightIqFact> context;
    private KeyValueStore<String, String> store;

    @Override
    public void init(final ProcessorContext<String, InsightIqFact> context) {
        this.context = context;
        store = context.getStateStore(StoreNames.INSIGHTIQ_ACCOUNTS);
    }

    @Override
    public void process(final Record<String, InsightIqFact> record) {
        final InsightIqFact fact = record.value();
        if (fact == null || record.key() == null) {
            return;
        }
        final String account = record.key();
        final long time = fact.getFactTime().toEpochMilli();
        final AccountSummary before = AccountSummary.decode(store.get(SUMMARY + account));
        final AccountSummary after;
        final Object payload = fact.getPayload();
        if (payload instanceof IiqAccountStatus status) {
            after = before.withStatus(status, time);
        } else if (payload instanceof IiqProfileReputation profile) {
            after = before.withProfile(profile, time);
        } else if (payload instanceof IiqContentEngagement content) {
            after = before.withContent(content.getUserId(), content.getPlatform(),
                before.interactions() + contentDelta(account, content, time));
        } else {
            return;
        }
        if (after.equals(before)) {
            return;
        }
        store.put(SUMMARY + account, after.encode());
        final Optional<IiqAccountEngagement> engagement = after.engagement(account);
        if (engagement.isPresent() && !engagement.equals(before.engagement(account))) {
            context.forward(new Record<>(engagement.get().getUserId(),
                new InsightIqFact(Instant.ofEpochMilli(time), engagement.get()), time), USER_SINK);
        }
    }

    /** Stores the content's interactions when this fact is not older than the known one; the change of the sum. */
    private long contentDelta(final String account, final IiqContentEngagement content, final long time) {
        final String key = CONTENT + account + SEP + content.getContentId();
        final String known = store.get(key);
        long previous = 0;
        if (known != null) {
            final int comma = known.indexOf(',');
            if (Long.parseLong(known.substring(0, comma)) > time) {
                return 0;
            }
            previous = Long.parseLong(known.substring(comma + 1));
        }
        store.put(key, time + "," + content.getInteractions());
        return content.getInteractions() - previous;
    }
}
