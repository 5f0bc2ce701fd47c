package io.insidernetwork.api.query;

import io.insidernetwork.api.query.Dtos.DumpEntry;
import io.insidernetwork.api.query.Dtos.Edge;
import io.insidernetwork.api.query.Dtos.EdgesAnswer;
import io.insidernetwork.api.query.Dtos.InsiderFacts;
import io.insidernetwork.api.query.Dtos.InsiderFactsAnswer;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.Purchase;
import io.insidernetwork.api.query.Dtos.PurchasesAnswer;
import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.KeyLocator.Local;
import io.insidernetwork.api.query.KeyLocator.Location;
import io.insidernetwork.api.query.KeyLocator.Remote;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers queries over the whole network, wherever its partitions are hosted: dump and change-feed pages merge every
 * instance's page into one global order (and prove every partition answered exactly once), and per-insider reads go
 * to the instance hosting that insider.
 */
public final class NetworkQueries {

    private final KeyLocator locator;
    private final LocalReader local;
    private final PeerClient peers;

    public NetworkQueries(final KeyLocator locator, final LocalReader local, final PeerClient peers) {
        this.locator = locator;
        this.local = local;
        this.peers = peers;
    }

    /** Where {@code insiderId} lives. */
    public Location locate(final String insiderId) {
        return locator.locate(insiderId);
    }

    /** This instance's reader. */
    public LocalReader local() {
        return local;
    }

    /** One dump page over every instance. */
    public PartialPage<DumpEntry> dump(final DumpQuery query, final NetworkScope scope) {
        return fanOut(() -> local.dump(query, scope), peer -> peers.dump(peer, query, scope),
            LocalReader.dumpOrder(query.sortBy(), query.order()), query.limit());
    }

    /** One change-feed page over every instance. */
    public PartialPage<UpdateEntry> updates(final UpdatesQuery query, final NetworkScope scope) {
        return fanOut(() -> local.updates(query, scope), peer -> peers.updates(peer, query, scope),
            query.backward() ? UpdateEntry.ORDER.reversed() : UpdateEntry.ORDER, query.limit());
    }

    /** Totals and leaderboards of the in-scope networks over every instance (503 unless every partition answered). */
    public NetworkSummary summary(final NetworkScope scope, final int top) {
        final List<NetworkSummary> parts = new ArrayList<>();
        parts.add(local.summary(scope, top));
        for (final HostInfo peer : locator.peers()) {
            parts.add(peers.summary(peer, scope, top));
        }
        final Set<Integer> seen = new TreeSet<>();
        for (final NetworkSummary part : parts) {
            for (final int partition : part.partitions()) {
                if (!seen.add(partition)) {
                    throw new StoreUnavailableException("partition " + partition + " answered twice (rebalancing)");
                }
            }
        }
        if (seen.size() != locator.partitionCount()) {
            throw new StoreUnavailableException("only partitions " + seen + " of " + locator.partitionCount()
                + " are queryable (rebalancing)");
        }
        return NetworkSummary.merge(parts, top);
    }

    private <T> PartialPage<T> fanOut(final java.util.function.Supplier<PartialPage<T>> self,
                                      final Function<HostInfo, PartialPage<T>> remote, final Comparator<T> order,
                                      final int limit) {
        final List<HostInfo> others = locator.peers();
        final List<PartialPage<T>> pages = new ArrayList<>();
        pages.add(self.get());
        // peers are few (instances of one deployment); asking them one after the other keeps this simple
        for (final HostInfo peer : others) {
            pages.add(remote.apply(peer));
        }
        final Set<Integer> seen = new TreeSet<>();
        boolean anyMore = false;
        final List<List<T>> runs = new ArrayList<>();
        for (final PartialPage<T> page : pages) {
            for (final int partition : page.partitions()) {
                if (!seen.add(partition)) {
                    throw new StoreUnavailableException("partition " + partition + " answered twice (rebalancing)");
                }
            }
            anyMore |= page.hasMore();
            runs.add(page.entries());
        }
        if (seen.size() != locator.partitionCount()) {
            throw new StoreUnavailableException("only partitions " + seen + " of " + locator.partitionCount()
                + " are queryable (rebalancing)");
        }
        final Merge.Result<T> merged = Merge.merge(runs, order, limit, anyMore);
        return new PartialPage<>(List.copyOf(seen), merged.entries(), merged.hasMore());
    }

    /** The insider when this instance hosts it in {@code partition}. */
    public Optional<InsiderState> insider(final String insiderId, final int partition) {
        return local.insider(insiderId, partition);
    }

    /** The insider's network sizes when this instance hosts it in {@code partition} and has a sizes record. */
    public Optional<NetworkSizes> networkSizes(final String insiderId, final int partition) {
        return local.networkSizes(insiderId, partition);
    }

    /** Outgoing edges of each of {@code ids}, read where each is hosted (ids not found map to empty lists). */
    public Map<String, List<Edge>> edges(final Collection<String> ids) {
        return routed(ids, local::edges, (peer, batch) -> {
            final EdgesAnswer answer = peers.edges(peer, batch);
            return new Routed<>(answer.edges(), answer.notHosted());
        });
    }

    /** Purchases of each of {@code ids}, read where each is hosted. */
    public Map<String, List<Purchase>> purchases(final Collection<String> ids) {
        return routed(ids, local::purchases, (peer, batch) -> {
            final PurchasesAnswer answer = peers.purchases(peer, batch);
            return new Routed<>(answer.purchases(), answer.notHosted());
        });
    }

    /**
     * The facts of each of {@code ids} that is an insider (partner network, status and figures), read where each is
     * hosted, one call per hosting peer; ids that are no insider (handles, ids not materialized yet) are left out.
     */
    public Map<String, InsiderFacts> facts(final Collection<String> ids) {
        final Map<String, List<InsiderFacts>> found = routed(ids,
            (id, partition) -> local.insider(id, partition).map(InsiderFacts::of).stream().toList(),
            (peer, batch) -> {
                final InsiderFactsAnswer answer = peers.facts(peer, batch);
                final Map<String, List<InsiderFacts>> lists = new HashMap<>();
                answer.facts().forEach((id, facts) -> lists.put(id, List.of(facts)));
                return new Routed<>(lists, answer.notHosted());
            });
        final Map<String, InsiderFacts> out = new HashMap<>();
        found.forEach((id, facts) -> facts.stream().findFirst().ifPresent(f -> out.put(id, f)));
        return out;
    }

    /** Reads the facts of ids this instance hosts (the peer side of {@link #facts}). */
    public InsiderFactsAnswer localFacts(final Collection<String> ids) {
        final Map<String, InsiderFacts> found = new LinkedHashMap<>();
        final List<String> notHosted = new ArrayList<>();
        for (final String id : ids) {
            if (locator.locate(id) instanceof Local l) {
                local.insider(id, l.partition()).ifPresent(s -> found.put(id, InsiderFacts.of(s)));
            } else {
                notHosted.add(id);
            }
        }
        return new InsiderFactsAnswer(found, notHosted);
    }

    /** Reads ids this instance hosts from its stores (the peer side of {@link #edges}); others are listed. */
    public EdgesAnswer localEdges(final Collection<String> ids) {
        final Map<String, List<Edge>> found = new LinkedHashMap<>();
        final List<String> notHosted = new ArrayList<>();
        for (final String id : ids) {
            if (locator.locate(id) instanceof Local l) {
                found.put(id, local.edges(id, l.partition()));
            } else {
                notHosted.add(id);
            }
        }
        return new EdgesAnswer(found, notHosted);
    }

    /** Reads purchases of ids this instance hosts (the peer side of {@link #purchases}). */
    public PurchasesAnswer localPurchases(final Collection<String> ids) {
        final Map<String, List<Purchase>> found = new LinkedHashMap<>();
        final List<String> notHosted = new ArrayList<>();
        for (final String id : ids) {
            if (locator.locate(id) instanceof Local l) {
                found.put(id, local.purchases(id, l.partition()));
            } else {
                notHosted.add(id);
            }
        }
        return new PurchasesAnswer(found, notHosted);
    }

    private <T> Map<String, List<T>> routed(final Collection<String> ids,
                                            final LocalRead<T> localRead,
                                            final java.util.function.BiFunction<HostInfo, List<String>, Routed<T>> remote) {
        final Map<String, List<T>> out = new HashMap<>();
        final Map<HostInfo, List<String>> byPeer = new LinkedHashMap<>();
        for (final String id : ids) {
            final Location location = locator.locate(id);
            if (location instanceof Local l) {
                out.put(id, localRead.read(id, l.partition()));
            } else if (location instanceof Remote r) {
                byPeer.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(id);
            } else {
                throw new StoreUnavailableException("insider " + id + " is not queryable now");
            }
        }
        byPeer.forEach((peer, batch) -> {
            final Routed<T> answer = remote.apply(peer, batch);
            if (!answer.notHosted().isEmpty()) {
                throw new StoreUnavailableException(peer + " no longer hosts " + answer.notHosted().size()
                    + " insiders (rebalancing)");
            }
            batch.forEach(id -> out.put(id, answer.found().getOrDefault(id, List.of())));
        });
        return out;
    }

    @FunctionalInterface
    private interface LocalRead<T> {
        List<T> read(String id, int partition);
    }

    private record Routed<T>(Map<String, List<T>> found, List<String> notHosted) {
    }
}
