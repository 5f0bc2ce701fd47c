package io.insidernetwork.graph.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The batched search against single searches and a plain BFS: random graphs (hubs, cycles, self-loop attempts,
 * removals) searched in random batches of 1 to 64 nodes, with repeated nodes and nodes without outgoing edges, at
 * several points while the graph changes (so each pass also starts from what the previous passes left behind).
 */
class DegreeGraphBatchPropertyTest {

    /** A change of one edge: added, or removed when {@code remove}. */
    record Change(int source, int target, boolean remove) {
    }

    @Property(tries = 300)
    void shouldEqualSingleSearchesWhenNodesAreSearchedInBatches(@ForAll("changes") final List<Change> changes,
                                                                @ForAll("batches") final List<List<Integer>> batches) {
        final DegreeGraph graph = new DegreeGraph();
        final Map<String, Set<String>> oracle = new HashMap<>();
        final long[] counts = new long[3 * DegreeGraph.MAX_BATCH];
        for (int step = 0; step < changes.size(); step++) {
            final Change change = changes.get(step);
            final String s = "n" + change.source();
            final String t = "n" + change.target();
            if (change.remove()) {
                assertThat(graph.remove(s, t)).isEqualTo(oracle.containsKey(s) && oracle.get(s).remove(t));
            } else {
                assertThat(graph.add(s, t)).isEqualTo(!s.equals(t) && oracle.computeIfAbsent(s, k -> new HashSet<>())
                    .add(t));
            }
            if (step % 7 != 6 && step != changes.size() - 1) {
                continue;
            }
            for (final List<Integer> batch : batches) {
                final int[] ids = batch.stream().map(n -> "n" + n).mapToInt(graph::idOf).filter(id -> id >= 0)
                    .toArray();
                if (ids.length == 0) {
                    continue;
                }
                // the batch starts inside the array, as the engine's batches do
                final int[] nodes = new int[ids.length + 3];
                System.arraycopy(ids, 0, nodes, 2, ids.length);
                graph.sizes(nodes, 2, ids.length, counts);
                for (int i = 0; i < ids.length; i++) {
                    final DegreeGraph.Sizes batched = new DegreeGraph.Sizes(counts[3 * i], counts[3 * i + 1],
                        counts[3 * i + 2]);
                    assertThat(batched).as("step %d node %s of %s", step, graph.name(ids[i]), batch)
                        .isEqualTo(graph.sizes(ids[i]))
                        .isEqualTo(DegreeGraphTest.bfs(oracle, graph.name(ids[i])));
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        // two hubs in a third of the ends, a dense core of 12 and a sparse rim up to 90 (self-loops included)
        final Arbitrary<Integer> node = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(0, 1)),
            Tuple.of(1, Arbitraries.integers().between(0, 11)),
            Tuple.of(1, Arbitraries.integers().between(0, 89)));
        final Arbitrary<Boolean> remove = Arbitraries.integers().between(0, 3).map(r -> r == 0);
        return Combinators.combine(node, node, remove).as(Change::new).list().ofMinSize(1).ofMaxSize(250);
    }

    @Provide
    Arbitrary<List<List<Integer>>> batches() {
        final Arbitrary<Integer> node = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(0, 1)),
            Tuple.of(3, Arbitraries.integers().between(0, 89)));
        return node.list().ofMinSize(1).ofMaxSize(DegreeGraph.MAX_BATCH).list().ofMinSize(1).ofMaxSize(4);
    }

    /** Every node of the graph in consecutive batches of every size, as the engine drains an expansion. */
    @Property(tries = 60)
    void shouldEqualSingleSearchesWhenEveryNodeIsSearchedInBatchesOfOneSize(
        @ForAll("changes") final List<Change> changes, @ForAll("sizes") final int size) {
        final DegreeGraph graph = new DegreeGraph();
        for (final Change change : changes) {
            if (change.remove()) {
                graph.remove("n" + change.source(), "n" + change.target());
            } else {
                graph.add("n" + change.source(), "n" + change.target());
            }
        }
        final int[] all = new int[graph.nodeCount()];
        for (int id = 0; id < all.length; id++) {
            all[id] = id;
        }
        final long[] counts = new long[3 * DegreeGraph.MAX_BATCH];
        final List<DegreeGraph.Sizes> batched = new ArrayList<>();
        final List<DegreeGraph.Sizes> single = new ArrayList<>();
        for (int from = 0; from < all.length; from += size) {
            final int count = Math.min(size, all.length - from);
            graph.sizes(all, from, count, counts);
            for (int i = 0; i < count; i++) {
                batched.add(new DegreeGraph.Sizes(counts[3 * i], counts[3 * i + 1], counts[3 * i + 2]));
                single.add(graph.sizes(all[from + i]));
            }
        }
        assertThat(batched).isEqualTo(single);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, DegreeGraph.MAX_BATCH).edgeCases(e -> e.includeOnly(1, 63, 64));
    }
}
