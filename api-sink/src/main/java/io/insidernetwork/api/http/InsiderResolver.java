package io.insidernetwork.api.http;

import io.insidernetwork.api.query.KeyLocator.Local;
import io.insidernetwork.api.query.KeyLocator.Location;
import io.insidernetwork.api.query.KeyLocator.Remote;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.StoreUnavailableException;
import io.insidernetwork.schemas.graph.InsiderState;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The common part of the per-insider endpoints: route to the instance hosting the insider (forwarding once), then
 * 404 when unknown. An insider outside the caller's partner networks answers exactly like an unknown one (same
 * status, same body), so a scoped key cannot learn whether an id exists in another network.
 */
final class InsiderResolver {

    private final NetworkQueries queries;
    private final Forwarder forwarder;

    InsiderResolver(final NetworkQueries queries, final Forwarder forwarder) {
        this.queries = queries;
        this.forwarder = forwarder;
    }

    /**
     * The insider, joined with its network sizes, when hosted here; empty when the request was forwarded and already
     * answered.
     */
    Optional<ResolvedInsider> resolve(final Context ctx, final String insiderId) {
        final Caller caller = Caller.of(ctx);
        final Location location = queries.locate(insiderId);
        if (location instanceof Remote remote) {
            if (caller.forwarded()) {
                // the sender's metadata said we host it, ours says otherwise: a rebalance is moving it
                throw new StoreUnavailableException("insider moved while forwarding (rebalancing)");
            }
            forwarder.forward(ctx, remote.host());
            return Optional.empty();
        }
        if (!(location instanceof Local local)) {
            throw new StoreUnavailableException("insider's partition is not queryable now");
        }
        final InsiderState insider = queries.insider(insiderId, local.partition())
            .filter(s -> caller.key().scope().allows(s.getNetworkId()))
            .orElseThrow(InsiderResolver::notFound);
        return Optional.of(new ResolvedInsider(insider, queries.networkSizes(insiderId, local.partition())));
    }

    /** The answer to an unknown insider, and to one the caller's scope does not include. */
    static ApiError notFound() {
        return ApiError.notFound("Insider not found or does not exist.", "Insider not found");
    }
}
