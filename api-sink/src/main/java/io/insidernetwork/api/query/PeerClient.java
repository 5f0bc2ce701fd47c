package io.insidernetwork.api.query;

import io.insidernetwork.api.query.Dtos.DumpEntry;
import io.insidernetwork.api.query.Dtos.EdgesAnswer;
import io.insidernetwork.api.query.Dtos.InsiderFactsAnswer;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.PurchasesAnswer;
import io.insidernetwork.api.query.Dtos.UpdateEntry;
import java.util.Collection;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls to other api-sink instances; each answers from its local stores only (one hop, never forwarded again).
 * Failures throw {@link PeerException}; a peer that is rebalancing throws {@link StoreUnavailableException}.
 */
public interface PeerClient {

    /** The peer's local dump page. */
    PartialPage<DumpEntry> dump(HostInfo peer, DumpQuery query, NetworkScope scope);

    /** The peer's local change-feed page. */
    PartialPage<UpdateEntry> updates(HostInfo peer, UpdatesQuery query, NetworkScope scope);

    /** Outgoing edges of {@code ids} the peer hosts. */
    EdgesAnswer edges(HostInfo peer, Collection<String> ids);

    /** Purchases of {@code ids} the peer hosts. */
    PurchasesAnswer purchases(HostInfo peer, Collection<String> ids);

    /** Facts of each of {@code ids} the peer hosts (ids that are no insider are left out). */
    InsiderFactsAnswer facts(HostInfo peer, Collection<String> ids);

    /** The peer's totals and leaderboards over its own partitions. */
    NetworkSummary summary(HostInfo peer, NetworkScope scope, int top);
}
