package io.insidernetwork.api.query;

import io.insidernetwork.api.query.Dtos.Edge;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Breadth-first expansion over outgoing connections (SPEC A.5.5): the insiders at shortest distance exactly
 * {@code degree}, each with the predecessor it is reached through (highest product of edge weights along the path,
 * then the lowest predecessor id) and the edge from that predecessor.
 */
public final class NetworkExpansion {

    private static final Pattern UUID = Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Best-first: highest path weight, then id. */
    public static final Comparator<Reached> ORDER = Comparator.comparingDouble(Reached::pathWeight).reversed()
        .thenComparing(Reached::id);

    private NetworkExpansion() {
    }

    /**
     * One insider reached at {@code degree}.
     *
     * @param through the predecessor (the root itself for degree 1)
     * @param edge    the connection through → id
     */
    public record Reached(String id, int degree, String through, double pathWeight, Edge edge) {
    }

    /**
     * The insiders at exactly {@code degree} from {@code root}, best first.
     *
     * @param outgoing reads the outgoing edges of a batch of insiders (one call per level)
     */
    public static List<Reached> expand(final String root, final int degree,
                                       final Function<Collection<String>, Map<String, List<Edge>>> outgoing) {
        final Set<String> visited = new HashSet<>();
        visited.add(root);
        Map<String, Double> frontier = Map.of(root, 1.0);
        Map<String, Reached> level = Map.of();
        for (int d = 1; d <= degree && !frontier.isEmpty(); d++) {
            final Map<String, List<Edge>> adjacency = outgoing.apply(frontier.keySet().stream()
                .filter(id -> id.equals(root) || UUID.matcher(id).matches()).toList());
            final Map<String, Reached> next = new HashMap<>();
            // walk predecessors in id order so ties resolve to the lowest predecessor id
            for (final Map.Entry<String, Double> pred : new TreeMap<>(frontier).entrySet()) {
                for (final Edge edge : adjacency.getOrDefault(pred.getKey(), List.of())) {
                    final String target = edge.target();
                    if (visited.contains(target)) {
                        continue;
                    }
                    final Reached candidate = new Reached(target, d, pred.getKey(), pred.getValue() * edge.weight(),
                        edge);
                    final Reached best = next.get(target);
                    if (best == null || candidate.pathWeight() > best.pathWeight()) {
                        next.put(target, candidate);
                    }
                }
            }
            visited.addAll(next.keySet());
            final Map<String, Double> weights = new HashMap<>();
            next.forEach((id, r) -> weights.put(id, r.pathWeight()));
            frontier = weights;
            level = next;
            if (d < degree && next.isEmpty()) {
                return List.of();
            }
        }
        final List<Reached> out = new ArrayList<>(level.values());
        out.sort(ORDER);
        return out;
    }
}
