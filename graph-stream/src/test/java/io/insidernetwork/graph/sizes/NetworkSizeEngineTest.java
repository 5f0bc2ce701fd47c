package io.insidernetwork.graph.sizes;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.graph.NetworkSizes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSizeEngineTest {

    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";
    private static final String C = "00000000-0000-4000-8000-00000000000c";
    private static final String D = "00000000-0000-4000-8000-00000000000d";
    private static final long T = 1_000_000L;

    private static NetworkSizeEngine unbounded() {
        return new NetworkSizeEngine(Integer.MAX_VALUE, Long.MAX_VALUE, System::nanoTime);
    }

    private static NetworkSizes sizes(final String insider, final long first, final long second, final long third,
                                      final long time) {
        return new NetworkSizes(insider, first, second, third, Instant.ofEpochMilli(time));
    }

    @Test
    void shouldWriteChangedSizesOnceAndDrainWhenConnectionsArrive() {
        final NetworkSizeEngine engine = unbounded();
        assertThat(engine.applyConnection(A + "|" + B, true, T, true)).isTrue();
        assertThat(engine.applyConnection(B + "|" + C, true, T + 1, true)).isTrue();

        final NetworkSizeEngine.Run run = engine.run();

        // the fresh sources' own sizes first, dated by their own change; the expansion finds nothing more changed
        assertThat(run.changed()).containsExactly(sizes(A, 1, 1, 0, T), sizes(B, 1, 0, 0, T + 1));
        assertThat(run.expanded()).isTrue();
        assertThat(run.drained()).isTrue();
        assertThat(engine.idle()).isTrue();
        assertThat(engine.run().changed()).isEmpty();
    }

    @Test
    void shouldSkipHandlesFingerprintsAndForeignKeysWhenApplyingConnections() {
        final NetworkSizeEngine engine = unbounded();

        assertThat(engine.applyConnection(A + "|@handle", true, T, true)).isFalse();
        assertThat(engine.applyConnection(A + "|fp-1", true, T, true)).isFalse();
        assertThat(engine.applyConnection("no-separator", true, T, true)).isFalse();
        assertThat(engine.applyConnection(null, true, T, true)).isFalse();
        assertThat(engine.applyConnection(A + "|" + A, true, T, true)).as("self-loop").isFalse();
        assertThat(engine.idle()).isTrue();
    }

    @Test
    void shouldRecomputeOnlyChangesAfterTheCheckpointWhenReplayed() {
        final NetworkSizeEngine engine = unbounded();
        // before the checkpoint: their sizes were written by an earlier session
        engine.applyConnection(A + "|" + B, true, T, false);
        engine.applyConnection(C + "|" + D, true, T, false);
        assertThat(engine.idle()).isTrue();
        // after it: B now reaches C, so A (two reverse steps) and B change; D and C do not
        engine.applyConnection(B + "|" + C, true, T + 5, true);

        final List<NetworkSizes> changed = drain(engine);

        assertThat(changed).containsExactlyInAnyOrder(sizes(B, 1, 1, 0, T + 5), sizes(A, 1, 1, 1, T + 5));
    }

    @Test
    void shouldShrinkSizesWhenTombstoneRemovesConnection() {
        final NetworkSizeEngine engine = unbounded();
        engine.applyConnection(A + "|" + B, true, T, true);
        engine.applyConnection(B + "|" + C, true, T, true);
        drain(engine);

        assertThat(engine.applyConnection(B + "|" + C, false, T + 9, true)).isTrue();
        assertThat(engine.applyConnection(B + "|" + C, false, T + 10, true)).as("already gone").isFalse();

        assertThat(drain(engine)).containsExactlyInAnyOrder(sizes(B, 0, 0, 0, T + 9), sizes(A, 1, 0, 0, T + 9));
    }

    @Test
    void shouldSpreadExpansionOverRunsAndReportDrainOnceWhenBudgetIsSmall() {
        final NetworkSizeEngine engine = new NetworkSizeEngine(1, Long.MAX_VALUE, System::nanoTime);
        // a hub with three sharers into it: its new connection changes all three sharers' second degree
        for (final String sharer : List.of(A, B, C)) {
            engine.applyConnection(sharer + "|" + D, true, T, false);
        }
        final String e = "00000000-0000-4000-8000-00000000000e";
        engine.applyConnection(D + "|" + e, true, T + 1, true);

        final List<NetworkSizeEngine.Run> runs = new ArrayList<>();
        while (!engine.idle()) {
            runs.add(engine.run());
        }

        assertThat(runs).allSatisfy(run -> assertThat(run.recomputed()).isLessThanOrEqualTo(1));
        assertThat(runs).filteredOn(NetworkSizeEngine.Run::expanded).hasSize(1);
        assertThat(runs).filteredOn(NetworkSizeEngine.Run::drained).hasSize(1);
        assertThat(runs.get(runs.size() - 1).drained()).isTrue();
        assertThat(runs).flatExtracting(NetworkSizeEngine.Run::changed).containsExactlyInAnyOrder(
            sizes(D, 1, 0, 0, T + 1), sizes(A, 1, 1, 0, T + 1), sizes(B, 1, 1, 0, T + 1), sizes(C, 1, 1, 0, T + 1));
    }

    @Test
    void shouldRecomputeExpansionInBatchesWithinPerRunLimitWhenHubHasManySharers() {
        final NetworkSizeEngine engine = new NetworkSizeEngine(100, Long.MAX_VALUE, System::nanoTime);
        // 150 sharers into D, and every third of them also into the next one: their searches overlap in D
        final List<String> sharers = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            sharers.add(String.format("00000000-0000-4000-8000-%012d", 100 + i));
        }
        for (int i = 0; i < sharers.size(); i++) {
            engine.applyConnection(sharers.get(i) + "|" + D, true, T, false);
            if (i % 3 == 0) {
                engine.applyConnection(sharers.get(i) + "|" + sharers.get((i + 1) % sharers.size()), true, T, false);
            }
        }
        engine.applyConnection(D + "|" + A, true, T + 1, true);

        final List<NetworkSizeEngine.Run> runs = new ArrayList<>();
        while (!engine.idle()) {
            runs.add(engine.run());
        }

        assertThat(runs).allSatisfy(run -> assertThat(run.recomputed()).isLessThanOrEqualTo(100));
        assertThat(runs).hasSize(2);
        final List<NetworkSizes> changed = runs.stream().flatMap(run -> run.changed().stream()).toList();
        assertThat(changed).hasSize(1 + sharers.size());
        assertThat(changed).contains(sizes(D, 1, 0, 0, T + 1));
        for (int i = 0; i < sharers.size(); i++) {
            // i % 3 == 0: D and the next sharer, then A, then nothing new (the next sharer's only way is D)
            final NetworkSizes expected = i % 3 == 0 ? sizes(sharers.get(i), 2, 1, 0, T + 1)
                : sizes(sharers.get(i), 1, 1, 0, T + 1);
            assertThat(changed).contains(expected);
        }
    }

    @Test
    void shouldCoalesceChangesThatArriveDuringAnExpansionIntoTheNext() {
        final NetworkSizeEngine engine = new NetworkSizeEngine(1, Long.MAX_VALUE, System::nanoTime);
        engine.applyConnection(A + "|" + B, true, T, false);
        engine.applyConnection(B + "|" + C, true, T + 1, true);
        final NetworkSizeEngine.Run first = engine.run();
        assertThat(first.expanded()).isTrue();
        assertThat(first.drained()).isFalse();

        engine.applyConnection(C + "|" + D, true, T + 2, true);

        final List<NetworkSizes> changed = new ArrayList<>(first.changed());
        changed.addAll(drain(engine));
        // the graph is live: what the later change did is seen by the running expansion or the next one
        assertThat(changed).filteredOn(s -> s.getInsiderId().equals(A)).last()
            .extracting(NetworkSizes::getFirstDegree, NetworkSizes::getSecondDegree, NetworkSizes::getThirdDegree)
            .containsExactly(1L, 1L, 1L);
        assertThat(changed).filteredOn(s -> s.getInsiderId().equals(B)).last()
            .extracting(NetworkSizes::getFirstDegree, NetworkSizes::getSecondDegree, NetworkSizes::getThirdDegree)
            .containsExactly(1L, 1L, 0L);
    }

    private static List<NetworkSizes> drain(final NetworkSizeEngine engine) {
        final List<NetworkSizes> changed = new ArrayList<>();
        while (!engine.idle()) {
            changed.addAll(engine.run().changed());
        }
        return changed;
    }

    @Test
    void shouldExpandChangesTogetherAtMostOncePerExpansionIntervalWhileSourcesGetTheirOwnSizesAtOnce() {
        final long[] now = {0};
        final NetworkSizeEngine engine = new NetworkSizeEngine(Integer.MAX_VALUE, Long.MAX_VALUE, 1_000, () -> now[0]);
        engine.apply("b", "c", true, 1, true);
        assertThat(engine.run().expanded()).isTrue();
        // a is a sharer of b: b's new connection changes a's second degree, through the next expansion only
        engine.apply("a", "b", true, 2, false);
        engine.apply("b", "d", true, 3, true);
        now[0] = 500;
        final NetworkSizeEngine.Run early = engine.run();
        assertThat(early.expanded()).isFalse();
        assertThat(early.changed()).extracting(NetworkSizes::getInsiderId).containsExactly("b");
        assertThat(early.changed().get(0).getFirstDegree()).isEqualTo(2);
        engine.apply("b", "e", true, 4, true);
        now[0] = 1_000;
        final NetworkSizeEngine.Run later = engine.run();
        assertThat(later.expanded()).isTrue();
        assertThat(later.changed()).filteredOn(s -> s.getInsiderId().equals("a")).singleElement()
            .satisfies(a -> assertThat(a.getSecondDegree()).isEqualTo(3));
        assertThat(engine.idle()).isTrue();
    }
}
