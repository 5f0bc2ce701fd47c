package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies partner events, keyed by the insider they are about, to the insider and connection stores and forwards
 * the changed states and a change-feed entry. Runs once per partition (task); every event id is applied once.
 */
public final class NetworkProcessor implements Processor<String, PartnerEvent, String, SpecificRecord> {

    /** Child that writes insider states. */
    public static final String INSIDER_SINK = "insider-state-sink";
    /** Child that writes connection states. */
    public static final String CONNECTION_SINK = "connection-state-sink";
    /** Child that writes the network-updates change feed. */
    public static final String UPDATES_SINK = "network-updates-sink";

    /** Keys of connections: source and target joined by this separator (a UUID never contains it). */
    public static final String KEY_SEPARATOR = "|";

    private static final Logger log = LoggerFactory.getLogger(NetworkProcessor.class);
    private static final String NEXT_SEQ_KEY = "next";
    private static final BigDecimal ZERO = new BigDecimal("0.0000");
    /** Sequence numbers are counter * SEQ_STRIDE + partition: unique across tasks without coordination. */
    private static final long SEQ_STRIDE = 1024;

    private final WeightModel weights;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, InsiderState> insiders;
    private KeyValueStore<String, ConnectionState> connections;
    private KeyValueStore<String, Long> seenEvents;
    private KeyValueStore<String, Long> sequences;

    public NetworkProcessor(final WeightModel weights) {
        this.weights = weights;
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        insiders = context.getStateStore(StoreNames.INSIDERS);
        connections = context.getStateStore(StoreNames.CONNECTIONS);
        seenEvents = context.getStateStore(StoreNames.SEEN_EVENTS);
        sequences = context.getStateStore(StoreNames.SEQUENCES);
    }

    @Override
    public void process(final Record<String, PartnerEvent> record) {
        final PartnerEvent event = record.value();
        if (event == null) {
            return;
        }
        if (seenEvents.get(event.getEventId()) != null) {
            log.debug("Event {} already applied", event.getEventId());
            return;
        }
        final Object payload = event.getPayload();
        if (payload instanceof Share share) {
            applyShare(event, share);
        } else if (payload instanceof Signup signup) {
            applySignup(event, signup);
        }
        seenEvents.put(event.getEventId(), event.getEventTime().toEpochMilli());
    }

    private void applyShare(final PartnerEvent event, final Share share) {
        final Instant time = event.getEventTime();
        final String sharer = share.getSharerId();
        final InsiderState existing = insiders.get(sharer);
        final InsiderState insider = existing != null ? existing
            : InsiderStates.create(sharer, event.getPartnerNetworkId(), nextSeq(), time, SignupStatus.SIGNED_UP);
        final List<ConnectionChange> changes = new ArrayList<>();
        int added = 0;
        for (final String recipient : share.getRecipients()) {
            final String key = sharer + KEY_SEPARATOR + recipient;
            final ConnectionState before = connections.get(key);
            final ConnectionState after = shareOn(before, event, share, recipient);
            connections.put(key, after);
            context.forward(new Record<String, SpecificRecord>(key, after,
                time.toEpochMilli()), CONNECTION_SINK);
            changes.add(new ConnectionChange(recipient, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
            if (before == null) {
                added++;
            }
        }
        InsiderStates.applyShare(insider, share.getInstanceId(), share.getPlatform(), share.getRecipients(), time);
        if (added > 0) {
            InsiderStates.setFirstDegree(insider, insider.getNetworkSize().getFirstDegree() + added, time);
        }
        insiders.put(sharer, insider);
        context.forward(new Record<String, SpecificRecord>(sharer, insider, time.toEpochMilli()), INSIDER_SINK);
        final NetworkUpdateType type = existing == null ? NetworkUpdateType.INSIDER_ADDED
            : NetworkUpdateType.CONNECTIONS_UPDATED;
        forwardUpdate(insider, type, changes, time);
    }

    private void applySignup(final PartnerEvent event, final Signup signup) {
        final Instant time = event.getEventTime();
        final InsiderState existing = insiders.get(signup.getInsiderId());
        final InsiderState insider;
        if (existing == null) {
            insider = InsiderStates.create(signup.getInsiderId(), event.getPartnerNetworkId(), nextSeq(), time,
                SignupStatus.SIGNED_UP);
        } else {
            insider = existing;
            if (time.isBefore(insider.getJoinedDate())) {
                insider.setJoinedDate(time);
            }
            insider.setSignupStatus(SignupStatus.SIGNED_UP);
            InsiderStates.touch(insider, time);
        }
        insiders.put(insider.getInsiderId(), insider);
        context.forward(new Record<String, SpecificRecord>(insider.getInsiderId(), insider, time.toEpochMilli()),
            INSIDER_SINK);
        forwardUpdate(insider, existing == null ? NetworkUpdateType.INSIDER_ADDED : NetworkUpdateType.INSIDER_UPDATED,
            List.of(), time);
    }

    private ConnectionState shareOn(final ConnectionState before, final PartnerEvent event, final Share share,
                                    final String recipient) {
        final Instant time = event.getEventTime();
        final WeightModel.Score current = before == null ? null
            : new WeightModel.Score(before.getScore(), before.getScoreTime());
        final WeightModel.Score score = weights.add(current, weights.sharePoints(), time);
        final ConnectionState state = before != null ? before : ConnectionState.newBuilder()
            .setSourceId(share.getSharerId())
            .setTargetId(recipient)
            .setNetworkId(event.getPartnerNetworkId())
            .setWeight(0.0)
            .setScore(0.0)
            .setScoreTime(time)
            .setSignupStatus(SignupStatus.INVITED)
            .setPlatformStrengths(Map.of())
            .setTotalGenerated(ZERO)
            .setFirstConnected(time)
            .setTimeUpdated(time)
            .build();
        state.setScore(score.value());
        state.setScoreTime(score.at());
        state.setWeight(weights.weight(score.value()));
        if (state.getLastSharedAt() == null || !time.isBefore(state.getLastSharedAt())) {
            state.setLastSharedAt(time);
            state.setLastSharedInstanceId(share.getInstanceId());
            state.setNetworkId(event.getPartnerNetworkId());
        }
        if (time.isBefore(state.getFirstConnected())) {
            state.setFirstConnected(time);
        }
        if (time.isAfter(state.getTimeUpdated())) {
            state.setTimeUpdated(time);
        }
        return state;
    }

    private void forwardUpdate(final InsiderState insider, final NetworkUpdateType type,
                               final List<ConnectionChange> changes, final Instant time) {
        final NetworkUpdate update = NetworkUpdate.newBuilder()
            .setInsiderId(insider.getInsiderId())
            .setNetworkId(insider.getNetworkId())
            .setUpdateType(type)
            .setJoinedDate(insider.getJoinedDate())
            .setUpdatedAt(time)
            .setConnections(changes)
            .build();
        context.forward(new Record<String, SpecificRecord>(insider.getInsiderId(), update, time.toEpochMilli()),
            UPDATES_SINK);
    }

    private long nextSeq() {
        final Long next = sequences.get(NEXT_SEQ_KEY);
        final long counter = next == null ? 1 : next;
        sequences.put(NEXT_SEQ_KEY, counter + 1);
        return counter * SEQ_STRIDE + context.taskId().partition();
    }

}
