package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.ConnectionStates;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.schemas.graph.Attribution;
import io.insidernetwork.schemas.graph.AttributionKind;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InboundShare;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Last-touch attribution (docs/graph-model.md, "Attribution, conversion, generated amount"), on both sides of a
 * credit:
 * <ul>
 *   <li>the recipient's task keeps the shares it received as time-ordered touch entries ({@code ia}, {@code it}),
 *   its purchases and its signup with the share currently credited ({@code pu}, {@code sc}), and credits them once
 *   they have waited {@code graph.attribution.settle.ms} (the pending queue {@code pq}), so that shares still in
 *   flight from other partitions are seen; a share that arrives even later moves the credit with a retraction;</li>
 *   <li>the sharer's task applies each {@code Attribution} (or its retraction): generated amount, the connection's
 *   points, the conversion counts and the signup entry.</li>
 * </ul>
 */
final class LastTouchAttribution {

    private final GraphParameters parameters;
    private final ProcessorContext<String, SpecificRecord> context;
    private final NetworkStores stores;
    private final ExactTotals totals;
    private final InsiderLoader loader;
    private final StateCache<InsiderState> insiders;
    private final StateCache<ConnectionState> connections;
    private final KeyValueStore<String, PurchaseRecord> purchases;
    private final KeyValueStore<String, String> index;
    /**
     * Every pending entry keyed at or before this wall-clock time was settled and deleted, and new ones are keyed after
     * it, so a settlement seeks past it: RocksDB keeps a deleted key as a tombstone until a compaction drops it, and a
     * scan from the queue's start stepped over every entry settled since (it kept the stream thread busy for minutes
     * behind a backlog). Held in memory: a new processor scans from the start once.
     */
    private long settledThrough = Long.MIN_VALUE;

    LastTouchAttribution(final GraphParameters parameters, final ProcessorContext<String, SpecificRecord> context,
                         final NetworkStores stores, final ExactTotals totals, final InsiderLoader loader) {
        this.parameters = parameters;
        this.context = context;
        this.stores = stores;
        this.totals = totals;
        this.loader = loader;
        this.insiders = stores.insiders;
        this.connections = stores.connections;
        this.purchases = stores.purchases;
        this.index = stores.index;
    }

    void onInboundShare(final InboundShare share, final Instant time) {
        final String recipient = share.getRecipientId();
        final String sharer = share.getSharerId();
        final String instance = share.getInstanceId() == null ? "" : share.getInstanceId();
        final long at = time.toEpochMilli();
        final LoadedInsider insider = loader.load(recipient, share.getPartnerNetworkId(), time, SignupStatus.INVITED);
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
            stores.save(insider, List.of(), time);
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
                        stores.malformed(key, e);
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
    void markPending(final String slotKey, final CreditSlot previous) {
        if (previous != null && previous.pending()) {
            index.delete(IndexKeys.pending(previous.pendingSince(), slotKey));
        }
        // after the last settlement's bound even if the wall clock stepped back (it waits a little longer then)
        final long now = Math.max(context.currentSystemTimeMs(), settledThrough + 1);
        final CreditSlot slot = previous == null ? new CreditSlot(Optional.empty(), now, false)
            : new CreditSlot(previous.credit(), now, previous.published());
        index.put(slotKey, slot.encode());
        index.put(IndexKeys.pending(now, slotKey), slotKey);
    }

    /**
     * Credits the purchases and signups that have waited {@code wait} ms (wall clock): {@code graph.attribution.settle.ms}
     * or longer while commands are slow ({@link CommandDelay}).
     */
    void settleAttributions(final long now, final long wait) {
        final long through = now - wait;
        if (through <= settledThrough) {
            return;
        }
        final List<KeyValue<String, String>> due = new ArrayList<>();
        final String from = settledThrough == Long.MIN_VALUE ? IndexKeys.pendingPrefix()
            : IndexKeys.pending(settledThrough + 1, "");
        try (KeyValueIterator<String, String> range = index.range(from, IndexKeys.pending(through, "\uffff"))) {
            range.forEachRemaining(due::add);
        }
        settledThrough = through;
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
                stores.malformed(entry.value, e);
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
            slot.credit().ifPresent(old -> stores.command(old.sharer(), bought, new Attribution(old.sharer(), buyer,
                AttributionKind.PURCHASE, record.getEventId(), instance, record.getAmount(), true)));
            latest.ifPresent(touch -> stores.command(touch.sharer(), bought, new Attribution(touch.sharer(), buyer,
                AttributionKind.PURCHASE, record.getEventId(), instance, record.getAmount(), false)));
        }
        record.setAttributedTo(latest.map(ShareTouch::sharer).orElse(null));
        stores.publishPurchase(record);
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
        slot.credit().ifPresent(old -> stores.command(old.sharer(), signedUp, new Attribution(old.sharer(), recipient,
            AttributionKind.SIGNUP, fact.eventId(), old.instance(), null, true)));
        latest.ifPresent(touch -> stores.command(touch.sharer(), signedUp, new Attribution(touch.sharer(), recipient,
            AttributionKind.SIGNUP, fact.eventId(), touch.instance(), null, false)));
    }

    void onAttribution(final Attribution attribution, final Instant time) {
        final String sharer = attribution.getSharerId();
        final String recipient = attribution.getRecipientId();
        final boolean signup = attribution.getKind() == AttributionKind.SIGNUP;
        final boolean retracted = attribution.getRetracted();
        final InsiderState existing = insiders.get(sharer);
        if (retracted && existing == null) {
            return;
        }
        final LoadedInsider insider = loader.load(sharer, existing == null ? "" : existing.getNetworkId(), time,
            SignupStatus.SIGNED_UP);
        final String key = ConnectionKeys.of(sharer, recipient);
        final ConnectionState before = connections.get(key);
        double points = 0;
        if (signup) {
            // a signup may be credited to the same sharer for several reasons (share, referral visit): count them
            final long reasons = totals.adjustCount(IndexKeys.signupCredited(sharer, recipient), retracted ? -1 : 1);
            final String instance = attribution.getInstanceId() == null ? NetworkProcessor.REFERRAL
                : attribution.getInstanceId();
            if (!retracted && reasons == 1) {
                points = parameters.weights().signupPoints();
                InsiderStates.applySignupCredit(insider.state(), instance, recipient, time, parameters.bounds(),
                    totals.noteSignup(insider.state(), sharer, instance, recipient, true));
            } else if (retracted && reasons == 0) {
                points = -parameters.weights().signupPoints();
                InsiderStates.removeSignupCredit(insider.state(), instance, recipient, time, parameters.bounds(),
                    totals.noteSignup(insider.state(), sharer, instance, recipient, false));
            }
        } else {
            points = retracted ? -parameters.weights().purchasePoints() : parameters.weights().purchasePoints();
            InsiderStates.addGenerated(insider.state(), retracted ? attribution.getAmount().negate()
                : attribution.getAmount(), time);
        }
        totals.adjustConverted(sharer, recipient, retracted ? -1 : 1);
        totals.updateConversion(insider.state(), time);
        final List<ConnectionChange> changes = new ArrayList<>();
        if (before != null || !retracted) {
            final ConnectionState after = before != null ? before : ConnectionStates.create(sharer, recipient,
                insider.state().getNetworkId(), SignupStatus.INVITED, time);
            final double expiredBefore = before == null ? -1 : stores.expiry(before);
            if (points != 0) {
                ConnectionStates.addPoints(after, parameters.weights(), points, time);
            }
            stores.putConnection(key, expiredBefore, after);
            changes.add(new ConnectionChange(recipient, after.getWeight(),
                before == null ? ChangeType.ADDED : ChangeType.UPDATED));
        }
        stores.save(insider, changes, time);
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
                stores.malformed(key, e);
            }
        }
    }
}
