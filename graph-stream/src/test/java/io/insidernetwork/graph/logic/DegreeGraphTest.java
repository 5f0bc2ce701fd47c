package io.insidernetwork.graph.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DegreeGraphTest {

    /** a→b, a→c, b→c, c→d, d→a, d→e: paths that overlap, a cycle back to a, and e without outgoing edges. */
    private static DegreeGraph overlappingPaths() {
        final DegreeGraph graph = new DegreeGraph();
        graph.add("a", "b");
        graph.add("a", "c");
        graph.add("b", "c");
        graph.add("c", "d");
        graph.add("d", "a");
        graph.add("d", "e");
        return graph;
    }

    @Test
    void shouldCountExactDistancesWhenPathsOverlap() {
        final DegreeGraph graph = overlappingPaths();
        assertThat(graph.sizes("a")).isEqualTo(new DegreeGraph.Sizes(2, 1, 1));
        assertThat(graph.sizes("e")).isEqualTo(DegreeGraph.Sizes.NONE);
    }

    @Test
    void shouldIgnoreSelfLoopAndDuplicateWhenAdded() {
        final DegreeGraph graph = new DegreeGraph();
        assertThat(graph.add("a", "a")).isFalse();
        assertThat(graph.add("a", "b")).isTrue();
        assertThat(graph.add("a", "b")).isFalse();
        assertThat(graph.remove("b", "a")).isFalse();
        assertThat(graph.edgeCount()).isEqualTo(1);
    }

    @Test
    void shouldListEveryInsiderWithinTwoReverseStepsWhenSourceChanges() {
        final DegreeGraph graph = new DegreeGraph();
        graph.add("x", "y");
        graph.add("y", "u");
        graph.add("w", "x");
        graph.add("u", "v");
        assertThat(graph.affectedBy(List.of("u"))).containsExactlyInAnyOrder("u", "y", "x");
    }

    @Test
    void shouldCountEachSearchOfBatchApartWhenNodesRepeatOrHaveNoOutgoingEdge() {
        final DegreeGraph graph = overlappingPaths();
        final int a = graph.idOf("a");
        final int d = graph.idOf("d");
        final int e = graph.idOf("e");
        final long[] counts = new long[3 * 5];
        // stale figures in the output must be overwritten, not added to
        Arrays.fill(counts, 99);

        graph.sizes(new int[] {e, a, d, a, e}, 0, 5, counts);

        assertThat(counts).containsExactly(0, 0, 0, 2, 1, 1, 2, 2, 0, 2, 1, 1, 0, 0, 0);
    }

    @Test
    void shouldCountDenseGraphWhenSearchesOfBatchEndAtDifferentLevels() {
        // a complete graph on 70 nodes and a tail behind n0: n0 has found every node after one level, the others after two
        final DegreeGraph graph = new DegreeGraph();
        for (int s = 0; s < 70; s++) {
            for (int t = 0; t < 70; t++) {
                graph.add("n" + s, "n" + t);
            }
        }
        graph.add("n0", "tail");
        final int[] nodes = new int[DegreeGraph.MAX_BATCH];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = graph.idOf("n" + i);
        }
        final long[] counts = new long[3 * nodes.length];

        graph.sizes(nodes, 0, nodes.length, counts);

        assertThat(new DegreeGraph.Sizes(counts[0], counts[1], counts[2])).isEqualTo(new DegreeGraph.Sizes(70, 0, 0));
        for (int i = 1; i < nodes.length; i++) {
            assertThat(new DegreeGraph.Sizes(counts[3 * i], counts[3 * i + 1], counts[3 * i + 2])).as("n%d", i)
                .isEqualTo(new DegreeGraph.Sizes(69, 1, 0)).isEqualTo(graph.sizes(nodes[i]));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, DegreeGraph.MAX_BATCH + 1})
    void shouldRejectBatchWhenItHasNoNodeOrMoreThanItsBits(final int count) {
        final DegreeGraph graph = new DegreeGraph();
        graph.add("a", "b");
        assertThatThrownBy(() -> graph.sizes(new int[70], 0, count, new long[3 * 70]))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** Random graphs with hubs and cycles: after every insertion or removal, every node's counts equal a BFS. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldEqualPlainBfsWhenEdgesComeAndGo(final long seed) {
        final Random random = new Random(seed);
        final DegreeGraph graph = new DegreeGraph();
        final Map<String, Set<String>> oracle = new HashMap<>();
        final Map<String, DegreeGraph.Sizes> cached = new HashMap<>();
        final int nodes = 12 + random.nextInt(30);
        for (int step = 0; step < 400; step++) {
            final String s = node(random, nodes);
            final String t = node(random, nodes);
            final boolean remove = random.nextInt(3) == 0 && oracle.getOrDefault(s, Set.of()).contains(t);
            if (remove) {
                assertThat(graph.remove(s, t)).isTrue();
                oracle.get(s).remove(t);
            } else if (!s.equals(t) && oracle.computeIfAbsent(s, k -> new HashSet<>()).add(t)) {
                assertThat(graph.add(s, t)).isTrue();
            } else {
                continue;
            }
            // recompute only what affectedBy names, as the processor does, and compare everything with the BFS
            for (final String affected : graph.affectedBy(List.of(s))) {
                cached.put(affected, graph.sizes(affected));
            }
            for (int n = 0; n < nodes; n++) {
                final String id = "n" + n;
                assertThat(cached.getOrDefault(id, DegreeGraph.Sizes.NONE)).as("seed %d step %d node %s", seed,
                    step, id).isEqualTo(bfs(oracle, id));
            }
        }
    }

    /**
     * Batches of changes between two runs, as the processor coalesces them: recomputing what one multi-source
     * affectedBy names after the batch keeps every node equal to a BFS, also when the graph becomes dense (the BFS
     * stops early once every node with an incoming edge is found).
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void shouldEqualPlainBfsWhenBatchesOfChangesAreCoalesced(final long seed) {
        final Random random = new Random(seed);
        final DegreeGraph graph = new DegreeGraph();
        final Map<String, Set<String>> oracle = new HashMap<>();
        final Map<String, DegreeGraph.Sizes> cached = new HashMap<>();
        final int nodes = 10 + random.nextInt(40);
        for (int batch = 0; batch < 120; batch++) {
            final Set<String> sources = new HashSet<>();
            for (int change = 1 + random.nextInt(8); change > 0; change--) {
                final String s = node(random, nodes);
                final String t = node(random, nodes);
                if (random.nextInt(4) == 0 && oracle.getOrDefault(s, Set.of()).contains(t)) {
                    assertThat(graph.remove(s, t)).isTrue();
                    oracle.get(s).remove(t);
                    sources.add(s);
                } else if (!s.equals(t) && oracle.computeIfAbsent(s, k -> new HashSet<>()).add(t)) {
                    assertThat(graph.add(s, t)).isTrue();
                    sources.add(s);
                }
            }
            for (final String affected : graph.affectedBy(sources)) {
                cached.put(affected, graph.sizes(affected));
            }
            for (int n = 0; n < nodes; n++) {
                final String id = "n" + n;
                assertThat(cached.getOrDefault(id, DegreeGraph.Sizes.NONE)).as("seed %d batch %d node %s", seed,
                    batch, id).isEqualTo(bfs(oracle, id));
            }
        }
    }

    /** Hub-heavy choice: a few nodes get most of the edges, in and out. */
    static String node(final Random random, final int nodes) {
        return random.nextInt(4) == 0 ? "n" + random.nextInt(2) : "n" + random.nextInt(nodes);
    }

    /** Plain BFS: counts at exact shortest distance 1, 2, 3, the start excluded. */
    static DegreeGraph.Sizes bfs(final Map<String, Set<String>> edges, final String start) {
        final Map<String, Integer> distance = new HashMap<>();
        distance.put(start, 0);
        final ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
        final long[] counts = new long[4];
        while (!queue.isEmpty()) {
            final String node = queue.poll();
            final int d = distance.get(node);
            if (d == 3) {
                continue;
            }
            for (final String next : new ArrayList<>(edges.getOrDefault(node, Set.of()))) {
                if (!distance.containsKey(next)) {
                    distance.put(next, d + 1);
                    counts[d + 1]++;
                    queue.add(next);
                }
            }
        }
        return new DegreeGraph.Sizes(counts[1], counts[2], counts[3]);
    }
}
