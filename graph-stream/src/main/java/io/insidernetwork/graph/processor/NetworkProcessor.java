package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.ConnectionStates;
import io.insidernetwork.graph.logic.EventValidator;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.graph.logic.PurchaseRecords;
import io.insidernetwork.graph.metrics.ProcessedEvents;
import io.insidernetwork.schemas.graph.Attribution;
import io.insidernetwork.schemas.graph.AttributionKind;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InboundShare;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InsightIqFact;
import io.insidernetwork.schemas.graph.MergeVisitor;
import io.insidernetwork.schemas.graph.NetworkSizeUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.graph.TargetStatus;
import io.insidernetwork.schemas.graph.VisitorIdentified;
import io.insidernetwork.schemas.graph.VisitorSeen;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.ReferralVisit;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies partner events (keyed by the insider they are about), commands from other tasks (keyed by the insider,
 * connection source or fingerprint they concern) and InsightIQ facts to the insider, connection, purchase and index
 * stores, and forwards changed states, change-feed entries and commands. One instance per partition; every event id
 * is applied once within the dedupe retention; a record it cannot apply goes to the dead-letter topic.
 *
 * <p>This class validates, deduplicates and dispatches, and applies shares, signups and purchases to the insider that
 * made them. Each other concern has a class of its own, all writing through {@link NetworkStores}:
 * <ul>
 *   <li>{@link LastTouchAttribution}: touches, pending credits, their settlement and the credits a sharer gets;</li>
 *   <li>{@link ExactTotals}: the counters behind an insider's exact share and conversion totals;</li>
 *   <li>{@link Visitors}: referral-link visits and the merge of an anonymous visitor into the insider it became;</li>
 *   <li>{@link DecayScan}: removal of decayed connections and of expired event ids;</li>
 *   <li>{@link InsightIqEngagement}: InsightIQ engagement in platform strengths;</li>
 *   <li>{@link LegacyIndexUpgrades}: bounded conversion of index entries older versions wrote.</li>
 * </ul>
 */
public final class NetworkProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /** Child that writes insider states. */
    public static final String INSIDER_SINK = "insider-state-sink";
    /** Child that writes connection states. */
    public static final String CONNECTION_SINK = "connection-state-sink";
    /** Child that writes the network-updates change feed. */
    public static final String UPDATES_SINK = "network-updates-sink";
    /** Child that writes purchase records. */
    public static final String PURCHASE_SINK = "purchases-sink";
    /** Child that writes commands to other tasks. */
    public static final String COMMAND_SINK = "commands-sink";
    /** Child that writes records that could not be applied. */
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** Dead-letter header with the reason (the same header name as Kafka Streams' own dead-letter records). */
    public static final String REASON_HEADER = "__streams.errors.message";
    static final String EXCEPTION_HEADER = "__streams.errors.exception";
    static final String REFERRAL = "referral";

    private static final Logger log = LoggerFactory.getLogger(NetworkProcessor.class);

    private final GraphParameters parameters;
    private ProcessorContext<String, SpecificRecord> context;
    private NetworkStores stores;
    private ExactTotals totals;
    private LastTouchAttribution attribution;
    private Visitors visitors;
    private DecayScan decay;
    private LegacyIndexUpgrades upgrades;
    private InsightIqEngagement insightIq;
    private StateCache<InsiderState> insiders;
    private StateCache<ConnectionState> connections;
    private KeyValueStore<String, String> index;
    private Sensor deadLetters;
    private DeadLetters deadLetterCounter;
    private ProcessedEvents processed;
    private final CommandDelay commandDelay = new CommandDelay();

    public NetworkProcessor(final GraphParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        deadLetters = context.metrics().addRateTotalSensor("graph-stream", "network-processor", "dead-letter",
            Sensor.RecordingLevel.INFO);
        deadLetterCounter = DeadLetters.from(context.appConfigs());
        processed = ProcessedEvents.from(context.appConfigs());
        stores = new NetworkStores(context, parameters, deadLetters, deadLetterCounter);
        insiders = stores.insiders;
        connections = stores.connections;
        index = stores.index;
        totals = new ExactTotals(stores);
        upgrades = new LegacyIndexUpgrades(stores, totals);
        insightIq = new InsightIqEngagement(parameters, context, new InsightIqNetwork());
        attribution = new LastTouchAttribution(parameters, context, stores, totals, this::load);
        visitors = new Visitors(parameters, stores, totals, this::load, insightIq);
        decay = new DecayScan(parameters, stores);
        context.schedule(parameters.decayScanInterval(), PunctuationType.STREAM_TIME,
            streamTime -> guarded(() -> decay.removeDecayed(streamTime)));
        context.schedule(Duration.ofMillis(Math.max(10, parameters.attributionSettle().toMillis() / 2)),
            PunctuationType.WALL_CLOCK_TIME, now -> guarded(() -> {
                // a fact settled before every share entry is migrated could miss its latest touch
                if (upgrades.sharesMigrated()) {
                    attribution.settleAttributions(now,
                        commandDelay.settleWait(parameters.attributionSettle().toMillis(), now));
                }
                upgrades.cleanUp();
            }));
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        try {
            apply(record);
        } catch (final RuntimeException e) {
            // the processing exception handler dead-letters the record and resumes: decoded states it changed in
            // place may not have been written back, so the cache must not outlive the failure
            stores.clearCaches();
            throw e;
        }
    }

    private void apply(final Record<String, SpecificRecord> record) {
        final SpecificRecord value = record.value();
        if (value instanceof GraphCommand command) {
            commandDelay.observe(record.headers(), context.currentSystemTimeMs());
            onCommand(command);
        } else if (value instanceof InsightIqFact fact) {
            insightIq.apply(fact);
        } else if (value == null || value instanceof PartnerEvent) {
            onEvent(record.key(), (PartnerEvent) value, record);
        } else {
            deadLetter(record, "value: unexpected type " + value.getClass().getName(), DeadLetters.INVALID_EVENT);
        }
    }

    /** Runs a punctuation; on failure drops the decoded-state caches (see {@link #process}) and rethrows. */
    private void guarded(final Runnable punctuation) {
        try {
            punctuation.run();
        } catch (final RuntimeException e) {
            stores.clearCaches();
            throw e;
        }
    }

    // ---------------------------------------------------------------- partner events

    private void onEvent(final String key, final PartnerEvent event, final Record<String, SpecificRecord> record) {
        final Optional<String> problem = EventValidator.problem(key, event);
        if (problem.isPresent()) {
            deadLetter(record, problem.get(), DeadLetters.INVALID_EVENT);
            return;
        }
        // an event dated far ahead did not advance stream time (PartnerEventTimestampExtractor); applied, it would
        // date states and connections in the future: it goes aside with the reason
        final long wallClock = System.currentTimeMillis();
        if (event.getEventTime().toEpochMilli() > wallClock + parameters.maxFutureSkew().toMillis()) {
            deadLetter(record, "event_time: " + event.getEventTime() + " is more than " + parameters.maxFutureSkew()
                + " after the wall clock (" + Instant.ofEpochMilli(wallClock) + ")", DeadLetters.FUTURE_EVENT);
            return;
        }
        final long now = context.currentStreamTimeMs();
        if (stores.seenEvents.get(event.getEventId()) != null) {
            log.debug("Event {} already applied", event.getEventId());
            return;
        }
        final Object payload = event.getPayload();
        if (payload instanceof Share share) {
            onShare(event, share);
        } else if (payload instanceof Signup signup) {
            onSignup(event, signup);
        } else if (payload instanceof ReferralVisit visit) {
            visitors.onVisit(event, visit);
        } else if (payload instanceof Purchase purchase) {
            onPurchase(event, purchase);
        }
        stores.seenEvents.put(event.getEventId(), now);
        decay.eventStored();
        processed.record();
    }

    private void onShare(final PartnerEvent event, final Share share) {
        final Instant time = event.getEventTime();
        final String sharer = share.getSharerId();
        final LoadedInsider insider = load(sharer, event.getPartnerNetworkId(), time, SignupStatus.SIGNED_UP);
        InsiderStates.markSignedUp(insider.state(), time);
        final List<ConnectionChange> changes = new ArrayList<>();
        final Set<String> recipients = new LinkedHashSet<>(share.getRecipients());
        recipients.remove(sharer);
        final double engagement = insightIq.engagement(sharer, share.getPlatform());
        for (final String recipient : recipients) {
            final boolean isInsider = EventValidator.isInsiderId(recipient);
            final String key = ConnectionKeys.of(sharer, recipient);
            final ConnectionState before = connections.get(key);
            final ConnectionState after = before != null ? before : ConnectionStates.create(sharer, recipient,
                event.getPartnerNetworkId(), isInsider ? SignupStatus.INVITED : SignupStatus.ANONYMOUS, time);
            final double expiredBefore = before == null ? -1 : stores.expiry(before);
            ConnectionStates.addPoints(after, parameters.weights(), parameters.weights().sharePoints(), time);
            ConnectionStates.applyShare(after, parameters, event.getPartnerNetworkId(), share.getPlatform(),
                share.getInstanceId(), engagement, time);
            stores.putConnection(key, expiredBefore, after);
            changes.add(new ConnectionChange(recipient, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
            if (isInsider) {
                stores.command(recipient, time, new InboundShare(sharer, recipient, share.getInstanceId(),
                    event.getPartnerNetworkId(), before == null));
            }
        }
        InsiderStates.applyShare(insider.state(), share.getInstanceId(), share.getPlatform(),
            new ArrayList<>(recipients), time, parameters.bounds(),
            totals.noteShare(insider.state(), sharer, share.getInstanceId(), recipients));
        InsiderStates.applyLastShared(insider.state(), event.getPartnerNetworkId(), share.getInstanceId(),
            recipients.size(), time);
        if (!event.getPartnerNetworkId().equals(insider.state().getNetworkId())) {
            recipients.forEach(recipient -> totals.addCrossPartnerRecipient(sharer, recipient));
        }
        totals.updateConversion(insider.state(), time);
        stores.save(insider, changes, time);
    }

    private void onSignup(final PartnerEvent event, final Signup signup) {
        final Instant time = event.getEventTime();
        final String id = signup.getInsiderId();
        final LoadedInsider insider = load(id, event.getPartnerNetworkId(), time, SignupStatus.SIGNED_UP);
        if (time.isBefore(insider.state().getJoinedDate())) {
            insider.state().setJoinedDate(time);
        }
        InsiderStates.markSignedUp(insider.state(), time);
        InsiderStates.touch(insider.state(), time);
        final String signupKey = IndexKeys.signup(id);
        final boolean first = index.get(signupKey) == null;
        final String referrer = signup.getReferrerInsiderId();
        final boolean referred = referrer != null && !referrer.equals(id);
        if (first) {
            index.put(signupKey, new SignupFact(time.toEpochMilli(), event.getEventId(), referred).encode());
            if (referred) {
                stores.command(referrer, time, new Attribution(referrer, id, AttributionKind.SIGNUP,
                    event.getEventId(), signup.getInstanceId(), null, false));
            } else {
                // credited to the last touch once shares still in flight had time to arrive (settleSignup)
                attribution.markPending(IndexKeys.signupCredit(id), null);
            }
        }
        if (signup.getVisitorFingerprint() != null && !signup.getVisitorFingerprint().isBlank()) {
            stores.command(signup.getVisitorFingerprint(), time,
                new VisitorIdentified(signup.getVisitorFingerprint(), id, event.getEventId()));
        }
        stores.save(insider, List.of(), time);
    }

    private void onPurchase(final PartnerEvent event, final Purchase purchase) {
        final Instant time = event.getEventTime();
        final String buyer = purchase.getBuyerId();
        final LoadedInsider insider = load(buyer, event.getPartnerNetworkId(), time, SignupStatus.INVITED);
        final PurchaseRecord record = PurchaseRecords.of(event, purchase,
            stores.nextCounter("p" + IndexKeys.SEP + buyer));
        // credited to the last touch once shares still in flight had time to arrive (settlePurchase); the record
        // is published then, with attributed_to
        attribution.markPending(IndexKeys.purchase(buyer, purchase.getInstanceId(), time.toEpochMilli(),
            event.getEventId()), null);
        stores.purchases.put(buyer + ConnectionKeys.SEPARATOR + record.getEventId(), record);
        InsiderStates.applyPurchase(insider.state(), purchase.getInstanceId(), purchase.getCampaignId(),
            record.getAmount(), time, parameters.bounds());
        stores.save(insider, List.of(), time);
    }

    // ---------------------------------------------------------------- commands from other tasks

    private void onCommand(final GraphCommand command) {
        final Instant time = command.getCommandTime();
        final Object payload = command.getPayload();
        if (payload instanceof InboundShare share) {
            attribution.onInboundShare(share, time);
        } else if (payload instanceof Attribution credit) {
            attribution.onAttribution(credit, time);
        } else if (payload instanceof NetworkSizeUpdate || payload instanceof TargetStatus) {
            // written by a version that copied sizes into insider states and targets' figures into connections:
            // sizes are on their own topic now (computed by the network-size service) and the target's figures are
            // its own record, joined where read
            log.debug("Dropped a retired {} command", payload.getClass().getSimpleName());
        } else if (payload instanceof VisitorSeen seen) {
            visitors.onVisitorSeen(seen, time);
        } else if (payload instanceof VisitorIdentified identified) {
            visitors.onVisitorIdentified(identified, time);
        } else if (payload instanceof MergeVisitor merge) {
            visitors.onMergeVisitor(merge, time);
        }
    }

    // ---------------------------------------------------------------- helpers

    private LoadedInsider load(final String id, final String networkId, final Instant time, final SignupStatus status) {
        final InsiderState existing = insiders.get(id);
        if (existing != null) {
            totals.seedLegacyTotals(existing);
            return new LoadedInsider(existing, false);
        }
        final InsiderState created = InsiderStates.create(id, networkId, stores.nextSeq(), time, status);
        insightIq.joinedBeforeCreation(id).filter(joined -> joined.isBefore(time)).ifPresent(created::setJoinedDate);
        return new LoadedInsider(created, true);
    }

    private void deadLetter(final Record<String, SpecificRecord> record, final String reason,
                            final String reasonClass) {
        final RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(EXCEPTION_HEADER, "InvalidPartnerEvent".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REASON_HEADER, reasonClass.getBytes(StandardCharsets.UTF_8));
        final Optional<RecordMetadata> metadata = context.recordMetadata();
        // the source coordinates, as in Kafka Streams' own dead-letter records (KIP-1034 headers)
        metadata.ifPresent(m -> {
            headers.add("__streams.errors.topic", m.topic().getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.partition", Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.offset", Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
        });
        log.warn("Dead-lettered record of {} at offset {}: {}", metadata.map(RecordMetadata::topic).orElse("?"),
            metadata.map(RecordMetadata::offset).orElse(-1L), reason);
        deadLetters.record();
        deadLetterCounter.record(reasonClass);
        context.forward(record.withHeaders(headers), DEAD_LETTER_SINK);
    }

    // ---------------------------------------------------------------- InsightIQ facts (InsightIqEngagement)

    /** The primitives {@link InsightIqEngagement} changes connections and insiders through. */
    private final class InsightIqNetwork implements InsightIqEngagement.Network {

        @Override
        public ConnectionState connection(final String key) {
            return connections.get(key);
        }

        @Override
        public void updateConnection(final String key, final ConnectionState connection, final Instant time) {
            final double expiry = stores.expiry(connection);
            stores.putConnection(key, expiry, connection);
        }

        @Override
        public ConnectionChange removeConnection(final String key, final ConnectionState connection,
                                                 final Instant time) {
            return stores.removeConnection(key, connection);
        }

        @Override
        public InsiderState insider(final String id) {
            return insiders.get(id);
        }

        @Override
        public void connectionsUpdated(final InsiderState insider, final List<ConnectionChange> changes,
                                       final Instant time) {
            stores.noteUpdate(insider, NetworkUpdateType.CONNECTIONS_UPDATED, changes, time);
        }

        @Override
        public void insiderUpdated(final InsiderState insider, final Instant time) {
            InsiderStates.touch(insider, time);
            stores.save(new LoadedInsider(insider, false), List.of(), time);
        }
    }
}
