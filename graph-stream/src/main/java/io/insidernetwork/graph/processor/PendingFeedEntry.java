package io.insidernetwork.graph.processor;

import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The change-feed entry of one insider for one emission interval: every change noted since its last emission, merged
 * so that a reader who applied the previous entries reaches the same network by applying this one.
 * <ul>
 *   <li>Type: {@code INSIDER_ADDED} if the insider was created in the interval, else {@code CONNECTIONS_UPDATED} if
 *   any of its connections changed, else {@code INSIDER_UPDATED}.</li>
 *   <li>Per target, the latest weight and the net change: added then updated is added; added then removed is
 *   nothing (the reader never saw it); removed then added is updated; anything then removed is removed.</li>
 *   <li>{@code updated_at}: the latest event time noted.</li>
 * </ul>
 */
final class PendingFeedEntry {

    private final String insiderId;
    private String networkId;
    private Instant joinedDate;
    private boolean added;
    private boolean connectionsChanged;
    private Instant updatedAt;
    private final Map<String, ConnectionChange> changes = new LinkedHashMap<>();

    PendingFeedEntry(final String insiderId) {
        this.insiderId = insiderId;
    }

    /** Notes one change of the insider (its state after the change) and of its connections. */
    void note(final InsiderState state, final NetworkUpdateType type, final List<ConnectionChange> connections,
              final Instant time) {
        networkId = state.getNetworkId();
        joinedDate = state.getJoinedDate();
        added |= type == NetworkUpdateType.INSIDER_ADDED;
        updatedAt = updatedAt == null || time.isAfter(updatedAt) ? time : updatedAt;
        for (final ConnectionChange change : connections) {
            connectionsChanged = true;
            final ConnectionChange before = changes.get(change.getTarget());
            final ChangeType net = before == null ? change.getChangeType() : merge(before.getChangeType(),
                change.getChangeType());
            if (net == null) {
                changes.remove(change.getTarget());
            } else {
                changes.put(change.getTarget(), new ConnectionChange(change.getTarget(), change.getWeight(), net));
            }
        }
    }

    /** The net change of a change {@code earlier} followed by {@code later}; null when there is none. */
    static ChangeType merge(final ChangeType earlier, final ChangeType later) {
        if (later == ChangeType.REMOVED) {
            return earlier == ChangeType.ADDED ? null : ChangeType.REMOVED;
        }
        if (earlier == ChangeType.REMOVED) {
            return ChangeType.UPDATED;
        }
        return earlier;
    }

    /** The entry as records of at most {@code changesPerRecord} connection changes each (at least one record). */
    List<NetworkUpdate> toUpdates(final int changesPerRecord) {
        final NetworkUpdateType type = added ? NetworkUpdateType.INSIDER_ADDED
            : connectionsChanged ? NetworkUpdateType.CONNECTIONS_UPDATED : NetworkUpdateType.INSIDER_UPDATED;
        final List<ConnectionChange> all = new ArrayList<>(changes.values());
        final List<NetworkUpdate> updates = new ArrayList<>();
        int from = 0;
        do {
            final int to = Math.min(all.size(), from + changesPerRecord);
            updates.add(NetworkUpdate.newBuilder()
                .setInsiderId(insiderId)
                .setNetworkId(networkId)
                .setUpdateType(type)
                .setJoinedDate(joinedDate)
                .setUpdatedAt(updatedAt)
                .setConnections(new ArrayList<>(all.subList(from, to)))
                .build());
            from = to;
        } while (from < all.size());
        return updates;
    }
}
