package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.ConnectionStates;
import io.insidernetwork.graph.logic.EventValidator;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.graph.logic.PurchaseRecords;
import io.insidernetwork.graph.metrics.ProcessedEvents;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.Attribution;
import io.insidernetwork.schemas.graph.AttributionKind;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InboundShare;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.InsightIqFact;
import io.insidernetwork.schemas.graph.MergeVisitor;
import io.insidernetwork.schemas.graph.NetworkSizeUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdate;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies partner events (keyed by the insider they are about) and commands from other tasks (keyed by the insider,
 * connection source or fingerprint they concern) to the insider, connection, purchase and index stores, and forwards
 * changed states, change-feed entries, commands and insider-graph changes. One instance per partition; every event
 * id is applied once within the dedupe retention; a record it cannot apply goes to the dead-letter topic.
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
    private static final String NEXT_SEQ_KEY = "next";
    /** Sequence numbers are counter * SEQ_STRIDE + partition: unique across tasks without coordination. */
    private static final long SEQ_STRIDE = 1024;
    /** Decoded states kept per task: hubs and recently active insiders are read far more often than the rest. */
    private static final int INSIDER_CACHE = 10_000;
    private static final int CONNECTION_CACHE = 20_000;
    /** Legacy index entries migrated or deleted per wall-clock run. */
    private static final int LEGACY_MIGRATION_BATCH = 10_000;
    /** Connection changes per network-updates record: 100 x (512 characters x 3 bytes) stays far under 1 MB. */
    static final int CHANGES_PER_UPDATE = 100;

    private final GraphParameters parameters;
    private ProcessorContext<String, SpecificRecord> context;
    private StateCache<InsiderState> insiders;
    private StateCache<ConnectionState> connections;
    private KeyValueStore<String, Long> seenEvents;
    private KeyValueStore<String, Long> sequences;
    private KeyValueStore<String, PurchaseRecord> purchases;
    private KeyValueStore<String, String> index;
    private Sensor deadLetters;
    private DeadLetters deadLetterCounter;
    private ProcessedEvents processed;
    private InsightIqEngagement insightIq;
    /** Whether share entries of the legacy index layout may be left to migrate. */
    private boolean legacyInbound = true;
    /** Whether index entries of retired kinds ({@link IndexKeys#retiredPrefixes}) may be left to delete. */
    private boolean retiredEntries = true;
    /** Whether shared-instance entries of the older layout (counts under their own keys) may be left to convert. */
    private boolean legacyInstances;
    /** The last shared-instance entry {@link #convertLegacyInstances} looked at, or null to start at the first. */
    private String instanceCursor;

    public NetworkProcessor(final GraphParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        insiders = new StateCache<>(context.getStateStore(StoreNames.INSIDERS), INSIDER_CACHE);
        connections = new StateCache<>(context.getStateStore(StoreNames.CONNECTIONS), CONNECTION_CACHE);
        seenEvents = context.getStateStore(StoreNames.SEEN_EVENTS);
        sequences = context.getStateStore(StoreNames.SEQUENCES);
        purchases = context.getStateStore(StoreNames.PURCHASES);
        index = context.getStateStore(StoreNames.INDEX);
        legacyInstances = index.get(IndexKeys.instanceCountsConverted()) == null;
        deadLetters = context.metrics().addRateTotalSensor("graph-stream", "network-processor", "dead-letter",
            Sensor.RecordingLevel.INFO);
        deadLetterCounter = DeadLetters.from(context.appConfigs());
        processed = ProcessedEvents.from(context.appConfigs());
        context.schedule(parameters.decayScanInterval(), PunctuationType.STREAM_TIME,
            streamTime -> guarded(() -> removeDecayed(streamTime)));
        context.schedule(Duration.ofMillis(Math.max(10, parameters.attributionSettle().toMillis() / 2)),
            PunctuationType.WALL_CLOCK_TIME, now -> guarded(() -> {
                if (legacyInbound) {
                    legacyInbound = migrateLegacyInbound(LEGACY_MIGRATION_BATCH);
                }
                if (!legacyInbound) {
                    // a fact settled before every share entry is migrated could miss its latest touch
                    settleAttributions(now);
                }
                if (retiredEntries) {
                    retiredEntries = deleteRetiredEntries(LEGACY_MIGRATION_BATCH);
                }
                if (legacyInstances) {
                    legacyInstances = convertLegacyInstances(LEGACY_MIGRATION_BATCH);
                }
            }));
        insightIq = new InsightIqEngagement(parameters, context, new InsightIqNetwork());
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        try {
            apply(record);
        } catch (final RuntimeException e) {
            // the processing exception handler dead-letters the record and resumes: decoded states it changed in
            // place may not have been written back, so the cache must not outlive the failure
            insiders.clear();
            connections.clear();
            throw e;
        }
    }

    private void apply(final Record<String, SpecificRecord> record) {
        final SpecificRecord value = record.value();
        if (value instanceof GraphCommand command) {
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
            insiders.clear();
            connections.clear();
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
        if (seenEvents.get(event.getEventId()) != null) {
            log.debug("Event {} already applied", event.getEventId());
            return;
        }
        final Object payload = event.getPayload();
        if (payload instanceof Share share) {
            onShare(event, share);
        } else if (payload instanceof Signup signup) {
            onSignup(event, signup);
        } else if (payload instanceof ReferralVisit visit) {
            onVisit(event, visit);
        } else if (payload instanceof Purchase purchase) {
            onPurchase(event, purchase);
        }
        seenEvents.put(event.getEventId(), now);
        index.put(IndexKeys.seen(now, event.getEventId()), "");
        processed.record();
    }

    private void onShare(final PartnerEvent event, final Share share) {
        final Instant time = event.getEventTime();
        final String sharer = share.getSharerId();
        final Loaded insider = load(sharer, event.getPartnerNetworkId(), time, SignupStatus.SIGNED_UP);
        markSignedUp(insider.state(), time);
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
            final double expiredBefore = before == null ? -1 : expiry(before);
            ConnectionStates.addPoints(after, parameters.weights(), parameters.weights().sharePoints(), time);
            ConnectionStates.applyShare(after, parameters, event.getPartnerNetworkId(), share.getPlatform(),
                share.getInstanceId(), engagement, time);
            putConnection(key, expiredBefore, after, time);
            changes.add(new ConnectionChange(recipient, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
            if (isInsider) {
                command(recipient, time, new InboundShare(sharer, recipient, share.getInstanceId(),
                    event.getPartnerNetworkId(), before == null));
            }
        }
        InsiderStates.applyShare(insider.state(), share.getInstanceId(), share.getPlatform(),
            new ArrayList<>(recipients), time, parameters.bounds(),
            noteShare(insider.state(), sharer, share.getInstanceId(), recipients));
        InsiderStates.applyLastShared(insider.state(), event.getPartnerNetworkId(), share.getInstanceId(),
            recipients.size(), time);
        if (!event.getPartnerNetworkId().equals(insider.state().getNetworkId())) {
            recipients.forEach(recipient -> addCrossPartnerRecipient(sharer, recipient));
        }
        updateConversion(insider.state(), time);
        save(insider, changes, time);
    }

    private void onSignup(final PartnerEvent event, final Signup signup) {
        final Instant time = event.getEventTime();
        final String id = signup.getInsiderId();
        final Loaded insider = load(id, event.getPartnerNetworkId(), time, SignupStatus.SIGNED_UP);
        if (time.isBefore(insider.state().getJoinedDate())) {
            insider.state().setJoinedDate(time);
        }
        markSignedUp(insider.state(), time);
        InsiderStates.touch(insider.state(), time);
        final String signupKey = IndexKeys.signup(id);
        final boolean first = index.get(signupKey) == null;
        final String referrer = signup.getReferrerInsiderId();
        final boolean referred = referrer != null && !referrer.equals(id);
        if (first) {
            index.put(signupKey, new SignupFact(time.toEpochMilli(), event.getEventId(), referred).encode());
            if (referred) {
                command(referrer, time, new Attribution(referrer, id, AttributionKind.SIGNUP, event.getEventId(),
                    signup.getInstanceId(), null, false));
            } else {
                // credited to the last touch once shares still in flight had time to arrive (settleSignup)
                markPending(IndexKeys.signupCredit(id), null);
            }
        }
        if (signup.getVisitorFingerprint() != null && !signup.getVisitorFingerprint().isBlank()) {
            command(signup.getVisitorFingerprint(), time,
                new VisitorIdentified(signup.getVisitorFingerprint(), id, event.getEventId()));
        }
        save(insider, List.of(), time);
    }

    private void onVisit(final PartnerEvent event, final ReferralVisit visit) {
        final Instant time = event.getEventTime();
        final String referrer = visit.getReferringInsiderId();
        final String fingerprint = visit.getVisitorFingerprint();
        final Loaded insider = load(referrer, event.getPartnerNetworkId(), time, SignupStatus.SIGNED_UP);
        markSignedUp(insider.state(), time);
        final String key = ConnectionKeys.of(referrer, fingerprint);
        final ConnectionState before = connections.get(key);
        final ConnectionState after = before != null ? before : ConnectionStates.create(referrer, fingerprint,
            event.getPartnerNetworkId(), SignupStatus.ANONYMOUS, time);
        final double expiredBefore = before == null ? -1 : expiry(before);
        ConnectionStates.addPoints(after, parameters.weights(), parameters.visitPoints(), time);
        ConnectionStates.applyShare(after, parameters, event.getPartnerNetworkId(), visit.getPlatform(),
            visit.getInstanceId(), insightIq.engagement(referrer, visit.getPlatform()), time);
        putConnection(key, expiredBefore, after, time);
        InsiderStates.touch(insider.state(), time);
        save(insider, List.of(new ConnectionChange(fingerprint, after.getWeight(),
            before == null ? ChangeType.ADDED : ChangeType.UPDATED)), time);
        command(fingerprint, time, new VisitorSeen(fingerprint, referrer));
    }

    private void onPurchase(final PartnerEvent event, final Purchase purchase) {
        final Instant time = event.getEventTime();
        final String buyer = purchase.getBuyerId();
        final Loaded insider = load(buyer, event.getPartnerNetworkId(), time, SignupStatus.INVITED);
        final PurchaseRecord record = PurchaseRecords.of(event, purchase, nextCounter("p" + IndexKeys.SEP + buyer));
        // credited to the last touch once shares still in flight had time to arrive (settlePurchase); the record
        // is published then, with attributed_to
        markPending(IndexKeys.purchase(buyer, purchase.getInstanceId(), time.toEpochMilli(), event.getEventId()),
            null);
        purchases.put(buyer + ConnectionKeys.SEPARATOR + record.getEventId(), record);
        InsiderStates.applyPurchase(insider.state(), purchase.getInstanceId(), purchase.getCampaignId(),
            record.getAmount(), time, parameters.bounds());
        save(insider, List.of(), time);
    }

    // ---------------------------------------------------------------- commands from other tasks

    private void onCommand(final GraphCommand command) {
        final Instant time = command.getCommandTime();
        final Object payload = command.getPayload();
        if (payload instanceof InboundShare share) {
            onInboundShare(share, time);
        } else if (payload instanceof Attribution attribution) {
            onAttribution(attribution, time);
        } else if (payload instanceof NetworkSizeUpdate || payload instanceof TargetStatus) {
            // written by a version that copied sizes into insider states and targets' figures into connections:
            // sizes are on their own topic now (the size task republishes its store once) and the target's figures
            // are its own record, joined where read
            log.debug("Dropped a retired {} command", payload.getClass().getSimpleName());
        } else if (payload instanceof VisitorSeen seen) {
            onVisitorSeen(seen, time);
        } else if (payload instanceof VisitorIdentified identified) {
            onVisitorIdentified(identified, time);
        } else if (payload instanceof MergeVisitor merge) {
            onMergeVisitor(merge, time);
        }
    }

    private void onInboundShare(final InboundShare share, final Instant time) {
        final String recipient = share.getRecipientId();
        final String sharer = share.getSharerId();
        final String instance = share.getInstanceId() == null ? "" : share.getInstanceId();
        final long at = time.toEpochMilli();
        final Loaded insider = load(recipient, share.getPartnerNetworkId(), time, SignupStatus.INVITED);
        final String touchKey = IndexKeys.touch(recipient, instance, at, sharer);
        if (!instance.isEmpty() && index.get(touchKey) == null) {
            index.put(touchKey, "");
            index.put(IndexKeys.anyTouch(recipient, at, sharer, instance), "");
            // a share that arrives after the facts it precedes: it takes the credit if it is now the latest
            final ShareTouch touch = new ShareTouch(at, sharer, instance);
            recreditPurchases(recipient, touch, nextTouchTime(recipient, instance, touchKey));
            recreditSignup(recipient, touch);
        }
        pruneTouches(recipient, context.currentStreamTimeMs() - parameters.dedupeRetention().toMillis()
            - parameters.attributionWindow().toMillis());
        if (insider.created()) {
            save(insider, List.of(), time);
        }
    }

    /**
     * Purchases of {@code touch}'s instance by {@code buyer} in the window after it, before {@code until}: a purchase
     * at or after a later share of the same instance is credited to that share or a later one, which this late share
     * cannot beat. So a late share to a hub that buys all the time visits the few purchases up to the next share, not
     * every purchase of the window (the work of one event does not grow with the hub).
     */
    private void recreditPurchases(final String buyer, final ShareTouch touch, final long until) {
        final long window = parameters.attributionWindow().toMillis();
        final String to = until <= touch.time() + window ? IndexKeys.purchase(buyer, touch.instance(), until, "")
            : IndexKeys.purchase(buyer, touch.instance(), touch.time() + window, "\uffff");
        final List<KeyValue<String, String>> matching = new ArrayList<>();
        // only purchases of this instance in that span: a time-ordered range, not a scan
        try (KeyValueIterator<String, String> range = index.range(IndexKeys.purchase(buyer, touch.instance(),
            touch.time(), ""), to)) {
            range.forEachRemaining(matching::add);
        }
        for (final KeyValue<String, String> entry : matching) {
            reconsider(entry.key, CreditSlot.decode(entry.value), touch);
        }
    }

    /**
     * Time of the first share of {@code instance} to {@code recipient} after the one under {@code touchKey} (in
     * touch order: time, then sharer), or {@link Long#MAX_VALUE} when there is none.
     */
    private long nextTouchTime(final String recipient, final String instance, final String touchKey) {
        final String prefix = IndexKeys.touchPrefix(recipient, instance);
        try (KeyValueIterator<String, String> later = index.range(touchKey, prefix + "\uffff")) {
            while (later.hasNext()) {
                final String key = later.next().key;
                if (!key.equals(touchKey)) {
                    try {
                        return touchOf(key, prefix, instance).time();
                    } catch (final IllegalArgumentException | IndexOutOfBoundsException e) {
                        malformed(key, e);
                    }
                }
            }
        }
        return Long.MAX_VALUE;
    }

    private void recreditSignup(final String recipient, final ShareTouch touch) {
        final SignupFact fact = SignupFact.decode(index.get(IndexKeys.signup(recipient)));
        if (fact == null || fact.referred() || touch.time() > fact.time()
            || fact.time() - touch.time() > parameters.attributionWindow().toMillis()) {
            return;
        }
        final String slotKey = IndexKeys.signupCredit(recipient);
        reconsider(slotKey, CreditSlot.decode(index.get(slotKey)), touch);
    }

    /**
     * A share arrived late for a fact it precedes. A settled fact whose credit it beats waits again; a fact already
     * waiting keeps its deadline (settlement reads the latest share then). So a credit moves at most once per
     * settle period however many late shares arrive, and a popular recipient's facts are credited on time even
     * while shares keep arriving (restarting the wait on each one kept them pending as long as the shares came).
     */
    private void reconsider(final String slotKey, final CreditSlot slot, final ShareTouch touch) {
        if (slot != null && !slot.pending() && touch.beats(slot.credit())) {
            markPending(slotKey, slot);
        }
    }

    /** The fact under {@code slotKey} waits {@code graph.attribution.settle.ms} from now to be (re)credited. */
    private void markPending(final String slotKey, final CreditSlot previous) {
        if (previous != null && previous.pending()) {
            index.delete(IndexKeys.pending(previous.pendingSince(), slotKey));
        }
        final long now = context.currentSystemTimeMs();
        final CreditSlot slot = previous == null ? new CreditSlot(Optional.empty(), now, false)
            : new CreditSlot(previous.credit(), now, previous.published());
        index.put(slotKey, slot.encode());
        index.put(IndexKeys.pending(now, slotKey), slotKey);
    }

    /** Credits the purchases and signups that have waited {@code graph.attribution.settle.ms} (wall clock). */
    private void settleAttributions(final long now) {
        final List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> range = index.range(IndexKeys.pendingPrefix(),
            IndexKeys.pending(now - parameters.attributionSettle().toMillis(), "\uffff"))) {
            range.forEachRemaining(due::add);
        }
        for (final KeyValue<String, String> entry : due) {
            index.delete(entry.key);
            try {
                final CreditSlot slot = CreditSlot.decode(index.get(entry.value));
                if (slot == null || !slot.pending()) {
                    continue;
                }
                if (entry.value.startsWith(IndexKeys.PURCHASE_KIND)) {
                    settlePurchase(entry.value, slot);
                } else {
                    settleSignup(entry.value, slot);
                }
            } catch (final IllegalArgumentException | IndexOutOfBoundsException e) {
                // an entry that does not parse is dropped (and counted): retrying it would fail forever
                malformed(entry.value, e);
                index.delete(entry.value);
            }
        }
    }

    private void settlePurchase(final String purchaseKey, final CreditSlot slot) {
        // pu|buyer|instance|time|eventId; no part contains the separator (IndexKeys.part)
        final List<String> parts = IndexKeys.split(purchaseKey);
        if (parts.size() != 5) {
            throw new IllegalArgumentException("purchase key with " + parts.size() + " parts instead of 5");
        }
        final String buyer = parts.get(1);
        final String instance = parts.get(2);
        final Instant bought = Instant.ofEpochMilli(IndexKeys.time(parts.get(3)));
        final PurchaseRecord record = purchases.get(buyer + ConnectionKeys.SEPARATOR + parts.get(4));
        if (record == null) {
            index.delete(purchaseKey);
            return;
        }
        // last touch: the latest share of this instance to the buyer within the window before the purchase
        final Optional<ShareTouch> latest = latestShareBefore(buyer, instance, bought.toEpochMilli());
        index.put(purchaseKey, new CreditSlot(latest, -1, true).encode());
        if (latest.equals(slot.credit()) && slot.published()) {
            return;
        }
        if (!latest.equals(slot.credit())) {
            slot.credit().ifPresent(old -> command(old.sharer(), bought, new Attribution(old.sharer(), buyer,
                AttributionKind.PURCHASE, record.getEventId(), instance, record.getAmount(), true)));
            latest.ifPresent(touch -> command(touch.sharer(), bought, new Attribution(touch.sharer(), buyer,
                AttributionKind.PURCHASE, record.getEventId(), instance, record.getAmount(), false)));
        }
        record.setAttributedTo(latest.map(ShareTouch::sharer).orElse(null));
        putPurchase(record);
    }

    private void settleSignup(final String slotKey, final CreditSlot slot) {
        final String recipient = slotKey.substring(IndexKeys.signupCredit("").length());
        final SignupFact fact = SignupFact.decode(index.get(IndexKeys.signup(recipient)));
        if (fact == null) {
            index.delete(slotKey);
            return;
        }
        // last touch: the latest share (any instance) to this insider within the window before the signup
        final Optional<ShareTouch> latest = latestShareBefore(recipient, null, fact.time());
        index.put(slotKey, new CreditSlot(latest, -1, true).encode());
        if (latest.equals(slot.credit())) {
            return;
        }
        final Instant signedUp = Instant.ofEpochMilli(fact.time());
        slot.credit().ifPresent(old -> command(old.sharer(), signedUp, new Attribution(old.sharer(), recipient,
            AttributionKind.SIGNUP, fact.eventId(), old.instance(), null, true)));
        latest.ifPresent(touch -> command(touch.sharer(), signedUp, new Attribution(touch.sharer(), recipient,
            AttributionKind.SIGNUP, fact.eventId(), touch.instance(), null, false)));
    }

    private void onAttribution(final Attribution attribution, final Instant time) {
        final String sharer = attribution.getSharerId();
        final String recipient = attribution.getRecipientId();
        final boolean signup = attribution.getKind() == AttributionKind.SIGNUP;
        final boolean retracted = attribution.getRetracted();
        final InsiderState existing = insiders.get(sharer);
        if (retracted && existing == null) {
            return;
        }
        final Loaded insider = load(sharer, existing == null ? "" : existing.getNetworkId(), time,
            SignupStatus.SIGNED_UP);
        final String key = ConnectionKeys.of(sharer, recipient);
        final ConnectionState before = connections.get(key);
        double points = 0;
        if (signup) {
            // a signup may be credited to the same sharer for several reasons (share, referral visit): count them
            final long reasons = adjustCount(IndexKeys.signupCredited(sharer, recipient), retracted ? -1 : 1);
            final String instance = attribution.getInstanceId() == null ? REFERRAL : attribution.getInstanceId();
            if (!retracted && reasons == 1) {
                points = parameters.weights().signupPoints();
                InsiderStates.applySignupCredit(insider.state(), instance, recipient, time, parameters.bounds(),
                    noteSignup(insider.state(), sharer, instance, recipient, true));
            } else if (retracted && reasons == 0) {
                points = -parameters.weights().signupPoints();
                InsiderStates.removeSignupCredit(insider.state(), instance, recipient, time, parameters.bounds(),
                    noteSignup(insider.state(), sharer, instance, recipient, false));
            }
        } else {
            points = retracted ? -parameters.weights().purchasePoints() : parameters.weights().purchasePoints();
            InsiderStates.addGenerated(insider.state(), retracted ? attribution.getAmount().negate()
                : attribution.getAmount(), time);
        }
        adjustConverted(sharer, recipient, retracted ? -1 : 1);
        updateConversion(insider.state(), time);
        final List<ConnectionChange> changes = new ArrayList<>();
        if (before != null || !retracted) {
            final ConnectionState after = before != null ? before : ConnectionStates.create(sharer, recipient,
                insider.state().getNetworkId(), SignupStatus.INVITED, time);
            final double expiredBefore = before == null ? -1 : expiry(before);
            if (points != 0) {
                ConnectionStates.addPoints(after, parameters.weights(), points, time);
            }
            putConnection(key, expiredBefore, after, time);
            changes.add(new ConnectionChange(recipient, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
        }
        save(insider, changes, time);
    }

    private void onVisitorSeen(final VisitorSeen seen, final Instant time) {
        index.put(IndexKeys.visited(seen.getFingerprint(), seen.getReferrerId()), "");
        final String identified = index.get(IndexKeys.visitor(seen.getFingerprint()));
        if (identified != null) {
            final String[] parts = identified.split(",", 2);
            command(seen.getReferrerId(), time, new MergeVisitor(seen.getReferrerId(), seen.getFingerprint(),
                parts[0], parts[1]));
        }
    }

    private void onVisitorIdentified(final VisitorIdentified identified, final Instant time) {
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
        referrers.forEach(referrer -> command(referrer, time, new MergeVisitor(referrer, fingerprint,
            identified.getInsiderId(), identified.getEventId())));
    }

    private void onMergeVisitor(final MergeVisitor merge, final Instant time) {
        final String referrer = merge.getReferrerId();
        final String anonymousKey = ConnectionKeys.of(referrer, merge.getFingerprint());
        final ConnectionState anonymous = connections.get(anonymousKey);
        final InsiderState existing = insiders.get(referrer);
        if (anonymous == null || existing == null) {
            return;
        }
        seedLegacyTotals(existing);
        final Loaded insider = new Loaded(existing, false);
        final List<ConnectionChange> changes = new ArrayList<>();
        changes.add(removeConnection(anonymousKey, anonymous, time));
        final String target = merge.getInsiderId();
        if (!target.equals(referrer)) {
            final String key = ConnectionKeys.of(referrer, target);
            final ConnectionState before = connections.get(key);
            final ConnectionState after = before != null ? before : ConnectionStates.create(referrer, target,
                anonymous.getNetworkId(), SignupStatus.INVITED, anonymous.getFirstConnected());
            final double expiredBefore = before == null ? -1 : expiry(before);
            ConnectionStates.merge(after, anonymous, parameters,
                platform -> insightIq.engagement(referrer, platform));
            if (adjustCount(IndexKeys.signupCredited(referrer, target), 1) == 1) {
                ConnectionStates.addPoints(after, parameters.weights(), parameters.weights().signupPoints(), time);
                final String instance = anonymous.getLastSharedInstanceId() == null ? REFERRAL
                    : anonymous.getLastSharedInstanceId();
                InsiderStates.applySignupCredit(existing, instance, target, time, parameters.bounds(),
                    noteSignup(existing, referrer, instance, target, true));
            }
            putConnection(key, expiredBefore, after, time);
            changes.add(new ConnectionChange(target, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
            adjustConverted(referrer, target, 1);
            updateConversion(existing, time);
            command(target, time, new InboundShare(referrer, target, null, anonymous.getNetworkId(),
                before == null));
        }
        InsiderStates.touch(existing, time);
        save(insider, changes, time);
    }

    // ---------------------------------------------------------------- decay

    private void removeDecayed(final long streamTime) {
        forgetOldEvents(streamTime);
        final List<KeyValue<String, String>> due = new ArrayList<>();
        final String prefix = IndexKeys.decayPrefix();
        final String until = IndexKeys.decay(streamTime, "\uffff");
        try (KeyValueIterator<String, String> all = index.range(prefix, until)) {
            all.forEachRemaining(due::add);
        }
        final Map<String, List<ConnectionChange>> removedBySource = new LinkedHashMap<>();
        final Instant time = Instant.ofEpochMilli(streamTime);
        for (final KeyValue<String, String> entry : due) {
            final String key = entry.value;
            final ConnectionState connection = connections.get(key);
            index.delete(entry.key);
            if (connection == null) {
                continue;
            }
            if (expiry(connection) <= streamTime) {
                connection.setWeight(parameters.weights().weight(parameters.weights()
                    .valueAt(new io.insidernetwork.graph.logic.WeightModel.Score(connection.getScore(),
                        connection.getScoreTime()), time)));
                removedBySource.computeIfAbsent(connection.getSourceId(), s -> new ArrayList<>())
                    .add(removeConnection(key, connection, time));
            } else {
                index.put(IndexKeys.decay((long) expiry(connection), key), key);
            }
        }
        removedBySource.forEach((source, changes) -> {
            final InsiderState state = insiders.get(source);
            if (state != null) {
                forwardUpdate(state, NetworkUpdateType.CONNECTIONS_UPDATED, changes, time);
            }
        });
        if (!removedBySource.isEmpty()) {
            log.info("Removed {} decayed connections of {} insiders at stream time {}",
                removedBySource.values().stream().mapToInt(List::size).sum(), removedBySource.size(), time);
        }
    }

    /**
     * Purges event ids applied more than the dedupe retention ago (stream time). A key-value store with its own purge
     * rather than a window store: a window store's changelog is also deleted by record time, which would lose the
     * ids of old (replayed) events on restore and apply their redeliveries twice.
     */
    private void forgetOldEvents(final long streamTime) {
        final List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, String> range = index.range(IndexKeys.seenPrefix(),
            IndexKeys.seen(streamTime - parameters.dedupeRetention().toMillis(), "\uffff"))) {
            range.forEachRemaining(kv -> old.add(kv.key));
        }
        for (final String key : old) {
            seenEvents.delete(IndexKeys.last(key));
            index.delete(key);
        }
    }

    // ---------------------------------------------------------------- helpers

    private record Loaded(InsiderState state, boolean created) {
    }

    private Loaded load(final String id, final String networkId, final Instant time, final SignupStatus status) {
        final InsiderState existing = insiders.get(id);
        if (existing != null) {
            seedLegacyTotals(existing);
            return new Loaded(existing, false);
        }
        final InsiderState created = InsiderStates.create(id, networkId, nextSeq(), time, status);
        insightIq.joinedBeforeCreation(id).filter(joined -> joined.isBefore(time)).ifPresent(created::setJoinedDate);
        return new Loaded(created, true);
    }

    private static void markSignedUp(final InsiderState state, final Instant time) {
        if (state.getSignupStatus() != SignupStatus.SIGNED_UP) {
            state.setSignupStatus(SignupStatus.SIGNED_UP);
            InsiderStates.touch(state, time);
        }
    }

    private void save(final Loaded insider, final List<ConnectionChange> changes, final Instant time) {
        final InsiderState state = insider.state();
        insiders.put(state.getInsiderId(), state);
        context.forward(new Record<String, SpecificRecord>(state.getInsiderId(), state, time.toEpochMilli()),
            INSIDER_SINK);
        final NetworkUpdateType type = insider.created() ? NetworkUpdateType.INSIDER_ADDED
            : changes.isEmpty() ? NetworkUpdateType.INSIDER_UPDATED : NetworkUpdateType.CONNECTIONS_UPDATED;
        forwardUpdate(state, type, changes, time);
    }

    /**
     * Forwards the change-feed entry of {@code insider}: one record per {@link #CHANGES_PER_UPDATE} connection changes
     * (a share may have 1,000 recipients with 512-character handles, more than a Kafka record holds in one).
     */
    private void forwardUpdate(final InsiderState insider, final NetworkUpdateType type,
                               final List<ConnectionChange> changes, final Instant time) {
        int from = 0;
        do {
            final int to = Math.min(changes.size(), from + CHANGES_PER_UPDATE);
            final NetworkUpdate update = NetworkUpdate.newBuilder()
                .setInsiderId(insider.getInsiderId())
                .setNetworkId(insider.getNetworkId())
                .setUpdateType(type)
                .setJoinedDate(insider.getJoinedDate())
                .setUpdatedAt(time)
                .setConnections(from == 0 && to == changes.size() ? changes : changes.subList(from, to))
                .build();
            context.forward(new Record<String, SpecificRecord>(insider.getInsiderId(), update,
                time.toEpochMilli()), UPDATES_SINK);
            from = to;
        } while (from < changes.size());
    }

    private double expiry(final ConnectionState connection) {
        return parameters.expiryMillis(connection.getScore(), connection.getScoreTime().toEpochMilli());
    }

    /**
     * Stores and forwards a connection. Its decay schedule is kept lazily: every connection has a schedule entry at
     * or before its expiry, and the decay scan re-schedules one that has not expired when it gets there. So only a
     * new connection, or one whose expiry moved earlier (a retracted credit), writes an entry; the many updates that
     * only push the expiry out write none (they used to delete and write one each).
     *
     * @param expiredBefore the connection's expiry before this change, or -1 for a new connection
     */
    private void putConnection(final String key, final double expiredBefore, final ConnectionState after,
                               final Instant time) {
        final double expiry = expiry(after);
        if (expiredBefore < 0 || expiry < expiredBefore) {
            index.put(IndexKeys.decay((long) expiry, key), key);
        }
        connections.put(key, after);
        context.forward(new Record<String, SpecificRecord>(key, after, time.toEpochMilli()), CONNECTION_SINK);
    }

    /** Deletes and forwards a connection; its schedule entries go when the decay scan reaches them. */
    private ConnectionChange removeConnection(final String key, final ConnectionState connection,
                                              final Instant time) {
        connections.delete(key);
        context.forward(new Record<String, SpecificRecord>(key, null, time.toEpochMilli()), CONNECTION_SINK);
        return new ConnectionChange(connection.getTargetId(), connection.getWeight(), ChangeType.REMOVED);
    }

    private void putPurchase(final PurchaseRecord record) {
        final String key = record.getInsiderId() + ConnectionKeys.SEPARATOR + record.getEventId();
        purchases.put(key, record);
        context.forward(new Record<String, SpecificRecord>(key, record, record.getTimestamp().toEpochMilli()),
            PURCHASE_SINK);
    }

    /**
     * The latest share to {@code recipient} within the attribution window before {@code at}: of {@code instance}, or
     * of any instance when it is null (referral links have no touch entry, so they never count). The touch entries
     * sort in {@link ShareTouch} order, so this is the last key of one bounded reverse range, whatever the number
     * of shares the recipient received.
     */
    private Optional<ShareTouch> latestShareBefore(final String recipient, final String instance, final long at) {
        final long from = at - parameters.attributionWindow().toMillis();
        final String prefix = instance == null ? IndexKeys.anyTouchPrefix(recipient)
            : IndexKeys.touchPrefix(recipient, instance);
        try (KeyValueIterator<String, String> range = index.reverseRange(prefix + IndexKeys.pad(from),
            prefix + IndexKeys.pad(at + 1))) {
            return range.hasNext() ? Optional.of(touchOf(range.next().key, prefix, instance)) : Optional.empty();
        }
    }

    /**
     * The share under a touch key: {@code time|sharer} after {@code prefix} with {@code instance}, or
     * {@code time|sharer|instance} for the any-instance entries ({@code instance} null).
     */
    private static ShareTouch touchOf(final String key, final String prefix, final String instance) {
        final List<String> parts = IndexKeys.split(key.substring(prefix.length()));
        if (parts.size() != (instance == null ? 3 : 2)) {
            throw new IllegalArgumentException("touch key with " + parts.size() + " parts after its prefix");
        }
        return new ShareTouch(IndexKeys.time(parts.get(0)), parts.get(1), instance == null ? parts.get(2) : instance);
    }

    /**
     * Deletes {@code recipient}'s share entries older than {@code cutoff} (stream time less the dedupe retention and
     * the attribution window): a fact they could be credited to is older than the dedupe retention, the lateness this
     * application accepts. Without it the share entries grew with every share ever received. Each entry is deleted
     * once, so the cost is that of writing it; entries of a recipient that receives no more shares stay.
     */
    private void pruneTouches(final String recipient, final long cutoff) {
        if (cutoff <= 0) {
            return;
        }
        final String prefix = IndexKeys.anyTouchPrefix(recipient);
        final List<String> old = new ArrayList<>();
        // keys of times before the cutoff sort before prefix + pad(cutoff); those of the cutoff itself after it
        try (KeyValueIterator<String, String> range = index.range(prefix, prefix + IndexKeys.pad(cutoff))) {
            range.forEachRemaining(kv -> old.add(kv.key));
        }
        for (final String key : old) {
            index.delete(key);
            try {
                final ShareTouch touch = touchOf(key, prefix, null);
                index.delete(IndexKeys.touch(recipient, touch.instance(), touch.time(), touch.sharer()));
            } catch (final IllegalArgumentException | IndexOutOfBoundsException e) {
                malformed(key, e);
            }
        }
    }

    /**
     * Moves up to {@code limit} share entries of the legacy layout ({@link IndexKeys#legacyInboundPrefix}) to the
     * touch entries; returns false once none is left. Runs in the wall-clock punctuation, so a store
     * written by an older version is converted in bounded steps while the task keeps processing.
     */
    private boolean migrateLegacyInbound(final int limit) {
        final List<String> legacy = new ArrayList<>();
        try (KeyValueIterator<String, String> all = index.prefixScan(IndexKeys.legacyInboundPrefix(),
            new StringSerializer())) {
            while (all.hasNext() && legacy.size() < limit) {
                legacy.add(all.next().key);
            }
        }
        for (final String key : legacy) {
            index.delete(key);
            try {
                // in|recipient|instance|sharer|time, the instance empty for referral links
                final List<String> parts = IndexKeys.split(key);
                if (parts.size() != 5) {
                    throw new IllegalArgumentException("legacy share key with " + parts.size() + " parts");
                }
                if (!parts.get(2).isEmpty()) {
                    final long time = Long.parseLong(parts.get(4));
                    index.put(IndexKeys.touch(parts.get(1), parts.get(2), time, parts.get(3)), "");
                    index.put(IndexKeys.anyTouch(parts.get(1), time, parts.get(3), parts.get(2)), "");
                }
            } catch (final IllegalArgumentException | IndexOutOfBoundsException e) {
                malformed(key, e);
            }
        }
        if (!legacy.isEmpty()) {
            log.info("Migrated {} share index entries to the time-ordered layout", legacy.size());
        }
        return legacy.size() == limit;
    }

    /**
     * Deletes up to {@code limit} index entries of retired kinds ({@link IndexKeys#retiredPrefixes}: those of the
     * retired status broadcast, and the counters of distinct recipients and instances that insider states hold now);
     * returns false once none is left. Runs in the wall-clock punctuation, so a store written by an older version is
     * cleaned in bounded steps.
     */
    private boolean deleteRetiredEntries(final int limit) {
        final List<String> retired = new ArrayList<>();
        for (final String prefix : IndexKeys.retiredPrefixes()) {
            try (KeyValueIterator<String, String> all = index.prefixScan(prefix, new StringSerializer())) {
                while (all.hasNext() && retired.size() < limit) {
                    retired.add(all.next().key);
                }
            }
        }
        retired.forEach(index::delete);
        if (!retired.isEmpty()) {
            log.info("Deleted {} index entries of retired kinds", retired.size());
        }
        return retired.size() == limit;
    }

    // ---------------------------------------------------------------- exact totals behind the bounded lists

    /**
     * Counts one share of {@code instance} by {@code sharer} with {@code recipients}; returns the totals after it.
     * The sets {@code rr} and {@code ir} make the counts distinct; the instance's counts are one entry written once
     * per share, the sharer's own counts are fields of its {@code state} (set from the totals by the caller).
     */
    private InsiderStates.ShareTotals noteShare(final InsiderState state, final String sharer, final String instance,
                                                final Iterable<String> recipients) {
        final InstanceCounts known = instanceCounts(sharer, instance);
        long newRecipients = 0;
        long distinctRecipients = state.getDistinctRecipients();
        for (final String recipient : recipients) {
            final int added = noteRecipient(sharer, instance, recipient);
            newRecipients += added > 0 ? 1 : 0;
            distinctRecipients += added > 1 ? 1 : 0;
        }
        final InstanceCounts counts = (known == null ? InstanceCounts.ZERO : known).plus(1, newRecipients, 0);
        index.put(IndexKeys.sharedInstance(sharer, instance), counts.encode());
        return totals(counts, state.getInstancesSharedTotal() + (known == null ? 1 : 0), distinctRecipients);
    }

    /**
     * Counts (or, {@code credited} false, takes back) the signup credit of {@code recipient} for {@code sharer}'s
     * {@code instance}; a credited recipient is also a recipient of the instance. Returns the totals after it.
     */
    private InsiderStates.ShareTotals noteSignup(final InsiderState state, final String sharer, final String instance,
                                                 final String recipient, final boolean credited) {
        final InstanceCounts known = instanceCounts(sharer, instance);
        final String key = IndexKeys.instanceSignup(sharer, instance, recipient);
        int added = 0;
        long signups = 0;
        if (credited) {
            added = noteRecipient(sharer, instance, recipient);
            if (index.get(key) == null) {
                index.put(key, "");
                signups = 1;
            }
        } else if (index.get(key) != null) {
            index.delete(key);
            signups = -1;
        }
        final InstanceCounts counts = (known == null ? InstanceCounts.ZERO : known)
            .plus(0, added > 0 ? 1 : 0, signups);
        if (known == null || !counts.equals(known)) {
            index.put(IndexKeys.sharedInstance(sharer, instance), counts.encode());
        }
        return totals(counts, state.getInstancesSharedTotal() + (known == null ? 1 : 0),
            state.getDistinctRecipients() + (added > 1 ? 1 : 0));
    }

    /**
     * Notes {@code recipient} of {@code sharer}'s {@code instance}: 0 when it was one already, 1 when it is new to
     * the instance only, 2 when it is also new to the sharer.
     */
    private int noteRecipient(final String sharer, final String instance, final String recipient) {
        final String key = IndexKeys.instanceRecipient(sharer, instance, recipient);
        if (index.get(key) != null) {
            return 0;
        }
        index.put(key, "");
        final String any = IndexKeys.recipient(sharer, recipient);
        if (index.get(any) != null) {
            return 1;
        }
        index.put(any, "");
        return 2;
    }

    /**
     * The counts of {@code sharer}'s {@code instance}, or null when it has no entry (never shared nor credited). An
     * entry an older version wrote is converted first ({@link #convertLegacyInstance}); one whose value does not
     * parse is counted and dropped (its counts start again from 0, the instance still known).
     */
    private InstanceCounts instanceCounts(final String sharer, final String instance) {
        final String key = IndexKeys.sharedInstance(sharer, instance);
        final String value = index.get(key);
        if (value == null) {
            return null;
        }
        if (value.equals(InstanceCounts.LEGACY)) {
            return convertLegacyInstance(sharer, instance);
        }
        try {
            return InstanceCounts.decode(value);
        } catch (final IllegalArgumentException e) {
            malformed(key, e);
            index.put(key, InstanceCounts.ZERO.encode());
            return InstanceCounts.ZERO;
        }
    }

    /**
     * Moves the counts an older version kept under their own keys ({@link IndexKeys#legacyInstanceCounters}) into the
     * entry of {@code sharer}'s {@code instance} and deletes them; returns the counts. A counter that does not parse
     * is counted as malformed and read as 0.
     */
    private InstanceCounts convertLegacyInstance(final String sharer, final String instance) {
        final List<String> keys = IndexKeys.legacyInstanceCounters(sharer, instance);
        final long[] counts = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            final String value = index.get(keys.get(i));
            if (value != null) {
                try {
                    counts[i] = Math.max(0, Long.parseLong(value));
                } catch (final NumberFormatException e) {
                    malformed(keys.get(i), e);
                }
                index.delete(keys.get(i));
            }
        }
        final InstanceCounts converted = new InstanceCounts(counts[0], counts[1], counts[2]);
        index.put(IndexKeys.sharedInstance(sharer, instance), converted.encode());
        return converted;
    }

    /**
     * Converts the shared-instance entries an older version wrote, up to {@code limit} entries looked at per run,
     * from {@link #instanceCursor} on; returns false once every entry was looked at (and marks the store, so a
     * restart does not look again). Runs in the wall-clock punctuation, so a store written by an older version is
     * converted in bounded steps while the task keeps processing; entries used before are converted on first use.
     */
    private boolean convertLegacyInstances(final int limit) {
        final String prefix = IndexKeys.sharedInstancePrefix();
        final List<String> legacy = new ArrayList<>();
        int seen = 0;
        String last = null;
        try (KeyValueIterator<String, String> range = index.range(instanceCursor == null ? prefix : instanceCursor,
            prefix + "\uffff")) {
            while (range.hasNext() && seen < limit) {
                final KeyValue<String, String> entry = range.next();
                if (entry.key.equals(instanceCursor)) {
                    continue;
                }
                seen++;
                last = entry.key;
                if (InstanceCounts.LEGACY.equals(entry.value)) {
                    legacy.add(entry.key);
                }
            }
        }
        for (final String key : legacy) {
            final List<String> parts = IndexKeys.split(key);
            if (parts.size() == 3) {
                convertLegacyInstance(parts.get(1), parts.get(2));
            } else {
                malformed(key, new IllegalArgumentException("shared-instance key with " + parts.size() + " parts"));
                index.delete(key);
            }
        }
        if (!legacy.isEmpty()) {
            log.info("Converted {} shared-instance index entries to hold their counts", legacy.size());
        }
        if (seen < limit) {
            index.put(IndexKeys.instanceCountsConverted(), "");
            return false;
        }
        instanceCursor = last;
        return true;
    }

    private static InsiderStates.ShareTotals totals(final InstanceCounts counts, final long instances,
                                                    final long distinctRecipients) {
        return new InsiderStates.ShareTotals(counts.shares(), counts.recipients(), counts.signups(), instances,
            distinctRecipients);
    }

    /**
     * A state written before the lists were bounded has no totals (0) but complete lists: its totals are seeded from
     * its lists once (and its instances' entries written), so its totals and conversion rate stay exact from then on.
     */
    private void seedLegacyTotals(final InsiderState state) {
        if (state.getInstancesSharedTotal() > 0 || state.getInstancesShared().isEmpty()) {
            return;
        }
        final String sharer = state.getInsiderId();
        long instances = 0;
        long distinctRecipients = state.getDistinctRecipients();
        for (final InstanceShared entry : state.getInstancesShared()) {
            final String instance = entry.getInstanceId();
            final InstanceCounts known = instanceCounts(sharer, instance);
            instances++;
            long newRecipients = 0;
            for (final String recipient : entry.getSharedWith()) {
                final int added = noteRecipient(sharer, instance, recipient);
                newRecipients += added > 0 ? 1 : 0;
                distinctRecipients += added > 1 ? 1 : 0;
            }
            long newSignups = 0;
            for (final String recipient : entry.getSignup()) {
                final int added = noteRecipient(sharer, instance, recipient);
                newRecipients += added > 0 ? 1 : 0;
                distinctRecipients += added > 1 ? 1 : 0;
                final String key = IndexKeys.instanceSignup(sharer, instance, recipient);
                if (index.get(key) == null) {
                    index.put(key, "");
                    newSignups++;
                }
            }
            InstanceCounts counts = (known == null ? InstanceCounts.ZERO : known).plus(0, newRecipients, newSignups);
            if (counts.shares() == 0 && entry.getShares() > 0) {
                counts = counts.plus(entry.getShares(), 0, 0);
            }
            index.put(IndexKeys.sharedInstance(sharer, instance), counts.encode());
            entry.setSharedWithTotal(counts.recipients());
            entry.setSignupTotal(counts.signups());
        }
        state.setInstancesSharedTotal(instances);
        state.setDistinctRecipients(distinctRecipients);
        log.info("Seeded the share totals of {} from its unbounded lists", sharer);
    }

    /** Adds {@code delta} to the count under {@code key} (deleted at 0) and returns the new count. */
    private long adjustCount(final String key, final long delta) {
        final String current = index.get(key);
        final long count = Math.max(0, (current == null ? 0 : Long.parseLong(current)) + delta);
        if (count == 0) {
            index.delete(key);
        } else {
            index.put(key, Long.toString(count));
        }
        return count;
    }

    /** Counts one credit more or less of {@code recipient} for {@code sharer}; converted while at least one. */
    private void adjustConverted(final String sharer, final String recipient, final long delta) {
        final String key = IndexKeys.converted(sharer, recipient);
        final boolean before = index.get(key) != null;
        final boolean after = adjustCount(key, delta) > 0;
        if (after != before) {
            adjustCount(IndexKeys.convertedCount(sharer), after ? 1 : -1);
            if (index.get(IndexKeys.crossPartnerRecipient(sharer, recipient)) != null) {
                adjustCount(IndexKeys.crossPartnerConverted(sharer), after ? 1 : -1);
            }
        }
    }

    /**
     * {@code sharer} shared with {@code recipient} in a partner network other than its own: the recipient counts in
     * the cross-partner conversion rate (once, converted or not).
     */
    private void addCrossPartnerRecipient(final String sharer, final String recipient) {
        final String key = IndexKeys.crossPartnerRecipient(sharer, recipient);
        if (index.get(key) == null) {
            index.put(key, "");
            adjustCount(IndexKeys.crossPartnerShared(sharer), 1);
            if (index.get(IndexKeys.converted(sharer, recipient)) != null) {
                adjustCount(IndexKeys.crossPartnerConverted(sharer), 1);
            }
        }
    }

    /** Sets the conversion rate and the cross-partner conversion rate from the current counts. */
    private void updateConversion(final InsiderState state, final Instant time) {
        final String id = state.getInsiderId();
        InsiderStates.setConverted(state, convertedCount(id), time);
        InsiderStates.setCrossPartnerConverted(state, count(IndexKeys.crossPartnerConverted(id)),
            count(IndexKeys.crossPartnerShared(id)), time);
    }

    private long count(final String key) {
        final String count = index.get(key);
        return count == null ? 0 : Long.parseLong(count);
    }

    private long convertedCount(final String sharer) {
        final String count = index.get(IndexKeys.convertedCount(sharer));
        return count == null ? 0 : Long.parseLong(count);
    }

    private void command(final String key, final Instant time, final SpecificRecord payload) {
        context.forward(new Record<String, SpecificRecord>(key, new GraphCommand(time, payload), time.toEpochMilli()),
            COMMAND_SINK);
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

    /** An index entry that does not parse (written before key parts were checked): logged, counted, dropped. */
    private void malformed(final String key, final RuntimeException e) {
        log.warn("Dropped index entry {} that does not parse: {}", key.replace(IndexKeys.SEP, "\\u0001"),
            e.toString());
        deadLetters.record();
        deadLetterCounter.record(DeadLetters.MALFORMED_INDEX_ENTRY);
    }

    private long nextCounter(final String key) {
        final Long next = sequences.get(key);
        final long counter = next == null ? 1 : next;
        sequences.put(key, counter + 1);
        return counter;
    }

    private long nextSeq() {
        return nextCounter(NEXT_SEQ_KEY) * SEQ_STRIDE + context.taskId().partition();
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
            final double expiry = expiry(connection);
            putConnection(key, expiry, connection, time);
        }

        @Override
        public ConnectionChange removeConnection(final String key, final ConnectionState connection,
                                                 final Instant time) {
            return NetworkProcessor.this.removeConnection(key, connection, time);
        }

        @Override
        public InsiderState insider(final String id) {
            return insiders.get(id);
        }

        @Override
        public void connectionsUpdated(final InsiderState insider, final List<ConnectionChange> changes,
                                       final Instant time) {
            forwardUpdate(insider, NetworkUpdateType.CONNECTIONS_UPDATED, changes, time);
        }

        @Override
        public void insiderUpdated(final InsiderState insider, final Instant time) {
            InsiderStates.touch(insider, time);
            save(new Loaded(insider, false), List.of(), time);
        }
    }
}
