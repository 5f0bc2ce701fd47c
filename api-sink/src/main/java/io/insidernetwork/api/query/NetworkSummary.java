package io.insidernetwork.api.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals and leaderboards per partner network over some partitions (one instance's, or every instance's once
 * merged): insiders, connections, the shares and purchases the insiders' states count, the top insiders by total
 * generated amount and by first-degree network size, and the newest change-feed time.
 *
 * @param partitions   the partitions read
 * @param networks     per partner network, by name
 * @param newestUpdate the latest {@code updated_at} (epoch millis) of an in-scope change-feed entry, null if none
 */
public record NetworkSummary(List<Integer> partitions, List<Network> networks, Long newestUpdate) {

    /** Largest leaderboard a caller may ask for. */
    public static final int MAX_TOP = 50;

    /** Best first: the larger figure, then the lower id. */
    static final Comparator<Leader> BY_GENERATED = Comparator.comparing(Leader::totalGeneratedAmount).reversed()
        .thenComparing(Leader::insiderId);
    static final Comparator<Leader> BY_FIRST_DEGREE = Comparator.comparingLong(Leader::firstDegree).reversed()
        .thenComparing(Leader::insiderId);

    /** One insider of a leaderboard. */
    public record Leader(String insiderId, BigDecimal totalGeneratedAmount, long firstDegree) {
    }

    /** One partner network's figures. */
    public record Network(String networkId, long insiders, long connections, long shares, long purchases,
                          List<Leader> topByGeneratedAmount, List<Leader> topByFirstDegree) {
    }

    /** Counts of one network while reading; {@link #finish} keeps the {@code top} leaders of each board. */
    static final class Builder {
        private final String networkId;
        private long insiders;
        private long connections;
        private long shares;
        private long purchases;
        private final List<Leader> leaders = new ArrayList<>();

        Builder(final String networkId) {
            this.networkId = networkId;
        }

        void insider(final Leader leader, final long insiderShares, final long insiderPurchases) {
            insiders++;
            shares += insiderShares;
            purchases += insiderPurchases;
            leaders.add(leader);
        }

        void connection() {
            connections++;
        }

        Network finish(final int top) {
            return new Network(networkId, insiders, connections, shares, purchases, best(leaders, BY_GENERATED, top),
                best(leaders, BY_FIRST_DEGREE, top));
        }
    }

    /** Merges the summaries of disjoint partition sets (the caller checks the partitions) into one. */
    static NetworkSummary merge(final Collection<NetworkSummary> parts, final int top) {
        final List<Integer> partitions = new ArrayList<>();
        final Map<String, List<Network>> byName = new TreeMap<>();
        Long newest = null;
        for (final NetworkSummary part : parts) {
            partitions.addAll(part.partitions());
            part.networks().forEach(n -> byName.computeIfAbsent(n.networkId(), k -> new ArrayList<>()).add(n));
            if (part.newestUpdate() != null && (newest == null || part.newestUpdate() > newest)) {
                newest = part.newestUpdate();
            }
        }
        final List<Network> networks = new ArrayList<>();
        byName.forEach((name, list) -> {
            final List<Leader> generated = new ArrayList<>();
            final List<Leader> firstDegree = new ArrayList<>();
            long insiders = 0;
            long connections = 0;
            long shares = 0;
            long purchases = 0;
            for (final Network n : list) {
                insiders += n.insiders();
                connections += n.connections();
                shares += n.shares();
                purchases += n.purchases();
                generated.addAll(n.topByGeneratedAmount());
                firstDegree.addAll(n.topByFirstDegree());
            }
            networks.add(new Network(name, insiders, connections, shares, purchases,
                best(generated, BY_GENERATED, top), best(firstDegree, BY_FIRST_DEGREE, top)));
        });
        return new NetworkSummary(List.copyOf(partitions), networks, newest);
    }

    private static List<Leader> best(final List<Leader> leaders, final Comparator<Leader> order, final int top) {
        return leaders.stream().sorted(order).limit(top).toList();
    }
}
