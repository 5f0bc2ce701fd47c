package io.insidernetwork.graph.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** One insider's change-feed entry per emission interval: its changes merged as a reader applying them needs. */
class PendingFeedEntryTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final InsiderState HUB = InsiderStates.create("hub", "net-1", 1, T0, SignupStatus.SIGNED_UP);

    @Test
    void shouldKeepAddedWithLatestWeightWhenAddedThenUpdated() {
        final PendingFeedEntry entry = new PendingFeedEntry("hub");
        entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, List.of(change("a", 0.1, ChangeType.ADDED)), T0);
        entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, List.of(change("a", 0.3, ChangeType.UPDATED)),
            T0.plusSeconds(1));

        final NetworkUpdate update = single(entry);
        assertThat(update.getUpdateType()).isEqualTo(NetworkUpdateType.CONNECTIONS_UPDATED);
        assertThat(update.getConnections()).containsExactly(change("a", 0.3, ChangeType.ADDED));
        assertThat(update.getUpdatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void shouldDropConnectionWhenAddedThenRemovedWithinTheInterval() {
        final PendingFeedEntry entry = new PendingFeedEntry("hub");
        entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, List.of(change("a", 0.1, ChangeType.ADDED),
            change("b", 0.2, ChangeType.UPDATED)), T0);
        entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, List.of(change("a", 0.1, ChangeType.REMOVED),
            change("b", 0.2, ChangeType.REMOVED)), T0);

        assertThat(single(entry).getConnections()).containsExactly(change("b", 0.2, ChangeType.REMOVED));
    }

    @Test
    void shouldReportUpdatedWhenRemovedThenAddedAgain() {
        assertThat(PendingFeedEntry.merge(ChangeType.REMOVED, ChangeType.ADDED)).isEqualTo(ChangeType.UPDATED);
        assertThat(PendingFeedEntry.merge(ChangeType.UPDATED, ChangeType.UPDATED)).isEqualTo(ChangeType.UPDATED);
        assertThat(PendingFeedEntry.merge(ChangeType.ADDED, ChangeType.REMOVED)).isNull();
    }

    @Test
    void shouldBeInsiderAddedWhenCreatedInTheIntervalWhateverFollowed() {
        final PendingFeedEntry entry = new PendingFeedEntry("hub");
        entry.note(HUB, NetworkUpdateType.INSIDER_ADDED, List.of(), T0);
        entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, List.of(change("a", 0.1, ChangeType.ADDED)), T0);
        entry.note(HUB, NetworkUpdateType.INSIDER_UPDATED, List.of(), T0);

        assertThat(single(entry).getUpdateType()).isEqualTo(NetworkUpdateType.INSIDER_ADDED);
    }

    @Test
    void shouldBeInsiderUpdatedWhenNoConnectionChanged() {
        final PendingFeedEntry entry = new PendingFeedEntry("hub");
        entry.note(HUB, NetworkUpdateType.INSIDER_UPDATED, List.of(), T0.plusSeconds(5));
        entry.note(HUB, NetworkUpdateType.INSIDER_UPDATED, List.of(), T0);

        final NetworkUpdate update = single(entry);
        assertThat(update.getUpdateType()).isEqualTo(NetworkUpdateType.INSIDER_UPDATED);
        assertThat(update.getConnections()).isEmpty();
        assertThat(update.getUpdatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(update.getNetworkId()).isEqualTo("net-1");
    }

    @Test
    void shouldSplitIntoRecordsOfBoundedSizeWhenManyConnectionsChanged() {
        final PendingFeedEntry entry = new PendingFeedEntry("hub");
        final List<ConnectionChange> changes = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            changes.add(change("r" + i, 0.1, ChangeType.ADDED));
        }
        entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, changes, T0);

        final List<NetworkUpdate> updates = entry.toUpdates(100);
        assertThat(updates).extracting(u -> u.getConnections().size()).containsExactly(100, 100, 50);
        assertThat(updates.stream().flatMap(u -> u.getConnections().stream()).toList()).isEqualTo(changes);
    }

    /**
     * For any sequence of valid changes (added only when absent, updated or removed only when present), applying the
     * merged entry to the network before the interval gives the network after it.
     */
    @Property(tries = 1_000)
    void shouldLeadReaderToTheSameNetworkWhenApplyingMergedEntry(@ForAll final long seed,
                                                                 @ForAll @IntRange(min = 1, max = 60) final int steps) {
        final Random random = new Random(seed);
        final Map<String, Double> before = new TreeMap<>();
        for (int t = 0; t < 4; t++) {
            if (random.nextBoolean()) {
                before.put("t" + t, 0.5);
            }
        }
        final Map<String, Double> after = new TreeMap<>(before);
        final PendingFeedEntry entry = new PendingFeedEntry("hub");
        for (int i = 0; i < steps; i++) {
            final String target = "t" + random.nextInt(4);
            final double weight = random.nextInt(100) / 100.0;
            final ChangeType type = !after.containsKey(target) ? ChangeType.ADDED
                : random.nextBoolean() ? ChangeType.UPDATED : ChangeType.REMOVED;
            if (type == ChangeType.REMOVED) {
                after.remove(target);
            } else {
                after.put(target, weight);
            }
            entry.note(HUB, NetworkUpdateType.CONNECTIONS_UPDATED, List.of(change(target, weight, type)), T0);
        }

        final Map<String, Double> applied = new HashMap<>(before);
        for (final ConnectionChange change : single(entry).getConnections()) {
            switch (change.getChangeType()) {
                case ADDED -> assertThat(applied.put(change.getTarget(), change.getWeight())).isNull();
                case UPDATED -> assertThat(applied.put(change.getTarget(), change.getWeight())).isNotNull();
                case REMOVED -> assertThat(applied.remove(change.getTarget())).isNotNull();
                default -> throw new AssertionError(change);
            }
        }
        assertThat(applied).isEqualTo(after);
    }

    private static NetworkUpdate single(final PendingFeedEntry entry) {
        final List<NetworkUpdate> updates = entry.toUpdates(100);
        assertThat(updates).hasSize(1);
        return updates.get(0);
    }

    private static ConnectionChange change(final String target, final double weight, final ChangeType type) {
        return new ConnectionChange(target, weight, type);
    }
}
