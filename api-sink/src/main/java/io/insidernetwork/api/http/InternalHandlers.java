package io.insidernetwork.api.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.api.query.DumpQuery;
import io.insidernetwork.api.query.DumpQuery.Keyset;
import io.insidernetwork.api.query.DumpQuery.SortBy;
import io.insidernetwork.api.query.DumpQuery.SortOrder;
import io.insidernetwork.api.query.Dtos.IdsRequest;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.NetworkSummary;
import io.insidernetwork.api.query.UpdatesQuery;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The routes peers call ({@link io.insidernetwork.api.query.HttpPeerClient}): answers from this instance's own
 * partitions only. Reachable only with the peer header.
 */
final class InternalHandlers {

    private static final int MAX_IDS = 10_000;
    private static final int MAX_ID_LENGTH = 200;
    private static final ObjectMapper JSON = ApiServer.json()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final NetworkQueries queries;

    InternalHandlers(final NetworkQueries queries) {
        this.queries = queries;
    }

    void dump(final Context ctx) {
        ctx.json(queries.local().dump(dumpQuery(Params.query(ctx)), scope(ctx)));
    }

    /** The peer form of a dump query: every parameter checked, keyset values as signed epoch numbers. */
    static DumpQuery dumpQuery(final Function<String, String> query) {
        final SortBy sortBy = SortBy.fromWire(query.apply("sortBy"))
            .orElseThrow(() -> ApiError.badRequest("sortBy", "Invalid sortBy parameter"));
        final SortOrder order = switch (Params.oneOf(query.apply("sortOrder"), "sortOrder", "desc",
            "Invalid sortOrder parameter", "asc", "desc")) {
            case "asc" -> SortOrder.ASC;
            default -> SortOrder.DESC;
        };
        final int limit = Params.intIn(query.apply("limit"), "limit", 100, 1, 1000, "Invalid limit value");
        final Optional<Long> lastId = Params.optionalLong(query.apply("lastId"), "lastId", "Invalid lastId");
        final String lastValue = query.apply("lastValue");
        if (lastId.isPresent() != (lastValue != null)) {
            throw ApiError.badRequest(lastId.isPresent() ? "lastValue" : "lastId",
                "lastId and lastValue must be given together");
        }
        final Optional<Keyset> after = lastId.map(id -> new Keyset(id, signed(lastValue, "lastValue")));
        return new DumpQuery(sortBy, order, limit, after);
    }

    void updates(final Context ctx) {
        ctx.json(queries.local().updates(updatesQuery(Params.query(ctx)), scope(ctx)));
    }

    /** The peer form of an updates query: every parameter checked. */
    static UpdatesQuery updatesQuery(final Function<String, String> query) {
        final long since = signed(query.apply("since"), "since");
        final int limit = Params.intIn(query.apply("limit"), "limit", 50, 1, 200, "Invalid limit value");
        final String at = query.apply("at");
        final String id = query.apply("id");
        final String offset = query.apply("offset");
        Optional<UpdatePosition> position = Optional.empty();
        if (at != null || id != null || offset != null) {
            if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
                throw ApiError.badRequest("id", "Invalid id");
            }
            position = Optional.of(new UpdatePosition(signed(at, "at"), id,
                Params.digits(offset, "offset", "Invalid offset")));
        }
        final boolean backward = "true".equals(Params.oneOf(query.apply("backward"), "backward", "false",
            "Invalid backward", "true", "false"));
        return new UpdatesQuery(since, position, backward, limit);
    }

    void summary(final Context ctx) {
        final int top = Params.intIn(ctx.queryParam("top"), "top", 10, 1, NetworkSummary.MAX_TOP, "Invalid top");
        ctx.json(queries.local().summary(scope(ctx), top));
    }

    void edges(final Context ctx) {
        ctx.json(queries.localEdges(ids(ctx.bodyAsBytes())));
    }

    void purchases(final Context ctx) {
        ctx.json(queries.localPurchases(ids(ctx.bodyAsBytes())));
    }

    void facts(final Context ctx) {
        ctx.json(queries.localFacts(ids(ctx.bodyAsBytes())));
    }

    /** The ids of a peer's body {@code {"ids": [...]}}: at most {@link #MAX_IDS}, each a UUID-shaped insider id. */
    static List<String> ids(final byte[] body) {
        final IdsRequest request;
        try {
            request = JSON.readValue(body, IdsRequest.class);
        } catch (final IOException e) {
            throw ApiError.badRequest("ids", "body must be {\"ids\": [insider ids]}");
        }
        if (request == null || request.ids() == null || request.ids().size() > MAX_IDS) {
            throw ApiError.badRequest("ids", "between 0 and " + MAX_IDS + " ids");
        }
        for (int i = 0; i < request.ids().size(); i++) {
            if (!Params.isUuid(request.ids().get(i))) {
                throw ApiError.badRequest("ids[" + i + "]", "Invalid UUID format");
            }
        }
        return request.ids();
    }

    // a signed epoch number: optional minus, then 1-18 ASCII digits
    private static long signed(final String raw, final String name) {
        if (raw != null && raw.startsWith("-")) {
            return -Params.digits(raw.substring(1), name, "Invalid " + name);
        }
        return Params.digits(raw, name, "Invalid " + name);
    }

    private static NetworkScope scope(final Context ctx) {
        return NetworkScope.fromWire(ctx.queryParam("networks"));
    }
}
