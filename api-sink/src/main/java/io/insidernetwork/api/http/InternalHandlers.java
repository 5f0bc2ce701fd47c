package io.insidernetwork.api.http;

import io.insidernetwork.api.query.DumpQuery;
import io.insidernetwork.api.query.DumpQuery.Keyset;
import io.insidernetwork.api.query.DumpQuery.SortBy;
import io.insidernetwork.api.query.DumpQuery.SortOrder;
import io.insidernetwork.api.query.Dtos.IdsRequest;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.UpdatesQuery;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The routes peers call ({@link io.insidernetwork.api.query.HttpPeerClient}): answers from this instance's own
 * partitions only. Reachable only with the peer header.
 */
final class InternalHandlers {

    private static final int MAX_IDS = 10_000;

    private final NetworkQueries queries;

    InternalHandlers(final NetworkQueries queries) {
        this.queries = queries;
    }

    void dump(final Context ctx) {
        final SortBy sortBy = SortBy.fromWire(ctx.queryParam("sortBy"))
            .orElseThrow(() -> ApiError.badRequest("sortBy", "Invalid sortBy parameter"));
        final SortOrder order = "asc".equals(ctx.queryParam("sortOrder")) ? SortOrder.ASC : SortOrder.DESC;
        final int limit = Params.intIn(ctx, "limit", 100, 1, 1000, "Invalid limit value");
        final Optional<Keyset> after = Params.optionalLong(ctx, "lastId", "Invalid lastId")
            .map(id -> new Keyset(id, Long.parseLong(ctx.queryParam("lastValue"))));
        ctx.json(queries.local().dump(new DumpQuery(sortBy, order, limit, after), scope(ctx)));
    }

    void updates(final Context ctx) {
        final long since = Long.parseLong(ctx.queryParam("since"));
        final int limit = Params.intIn(ctx, "limit", 50, 1, 200, "Invalid limit value");
        final Optional<UpdatePosition> position = Optional.ofNullable(ctx.queryParam("at"))
            .map(at -> new UpdatePosition(Long.parseLong(at), ctx.queryParam("id"),
                Long.parseLong(ctx.queryParam("offset"))));
        ctx.json(queries.local().updates(new UpdatesQuery(since, position,
            Boolean.parseBoolean(ctx.queryParam("backward")), limit), scope(ctx)));
    }

    void edges(final Context ctx) {
        ctx.json(queries.localEdges(ids(ctx).ids()));
    }

    void purchases(final Context ctx) {
        ctx.json(queries.localPurchases(ids(ctx).ids()));
    }

    private static IdsRequest ids(final Context ctx) {
        final IdsRequest request = ctx.bodyAsClass(IdsRequest.class);
        if (request.ids() == null || request.ids().size() > MAX_IDS) {
            throw ApiError.badRequest("ids", "between 0 and " + MAX_IDS + " ids");
        }
        return request;
    }

    private static NetworkScope scope(final Context ctx) {
        return NetworkScope.fromWire(ctx.queryParam("networks"));
    }
}
