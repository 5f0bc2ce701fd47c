package io.insidernetwork.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.Dtos.Change;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.UpdatesQuery;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/networks/updates/since/{timestamp}} (SPEC A.3.2): change-feed entries with updated_at at or
 * after the timestamp, oldest first, in (updated_at, insider id, offset) order across every instance. Cursors are
 * signed and bound to the path timestamp; timestamps before the feed's retention answer 422.
 */
final class UpdatesHandler implements Handler {

    private static final String CURSOR_ERROR = "Invalid cursor format";

    private final NetworkQueries queries;
    private final TokenCodec tokens;
    private final Duration retention;
    private final Clock clock;

    UpdatesHandler(final NetworkQueries queries, final TokenCodec tokens, final Duration retention,
                   final Clock clock) {
        this.queries = queries;
        this.tokens = tokens;
        this.retention = retention;
        this.clock = clock;
    }

    private record Cursor(UpdatePosition position, boolean backward) {
    }

    @Override
    public void handle(final Context ctx) {
        final Instant since = Params.instant(ctx.pathParam("timestamp"), "timestamp",
            "Invalid timestamp format in URL path");
        final int limit = Params.intIn(ctx, "limit", 50, 1, 200, "Invalid limit value (must be 1-200)");
        final Optional<Cursor> cursor = Optional.ofNullable(ctx.queryParam("cursor")).map(raw -> decode(raw, since));
        final Instant now = clock.instant();
        if (since.isBefore(now.minus(retention))) {
            throw ApiError.unprocessable("timestamp", "Timestamp too far in the past (beyond data retention)",
                "BEYOND_RETENTION");
        }
        final boolean backward = cursor.map(Cursor::backward).orElse(false);
        final NetworkScope scope = Caller.of(ctx).key().scope();
        final PartialPage<UpdateEntry> page = queries.updates(new UpdatesQuery(since.toEpochMilli(),
            cursor.map(Cursor::position), backward, limit), scope);
        // changed connections to insiders of networks outside the key's scope are not listed
        final ScopeView view = ScopeView.of(scope, page.entries().stream()
            .flatMap(e -> e.connections().stream().map(Change::target)).toList(), queries);
        final List<UpdateEntry> entries = new ArrayList<>(page.entries());
        if (backward) {
            java.util.Collections.reverse(entries);
        }
        // forward: more after the page when the merge says so; backward: the cursor's own entry lies after it
        final boolean hasNext = backward || page.hasMore();
        final boolean hasPrevious = backward ? page.hasMore() : cursor.isPresent();
        final Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("hasNext", hasNext && !entries.isEmpty());
        pagination.put("hasPrevious", hasPrevious && !entries.isEmpty());
        pagination.put("nextCursor", hasNext && !entries.isEmpty()
            ? encode(since, limit, entries.get(entries.size() - 1), false) : null);
        pagination.put("previousCursor", hasPrevious && !entries.isEmpty()
            ? encode(since, limit, entries.get(0), true) : null);
        pagination.put("count", entries.size());
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("since", since.toString());
        data.put("generated_at", now.toString());
        data.put("updates", entries.stream().map(u -> render(u, view)).toList());
        ctx.json(Envelope.page(data, pagination, RequestMeta.of(ctx)));
    }

    /** One entry as updates-since and the live feed show it. */
    static Map<String, Object> render(final UpdateEntry u, final ScopeView view) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("insider_id", u.insiderId());
        out.put("update_type", u.updateType());
        out.put("joined_date", Params.iso(u.joinedDate()));
        out.put("updated_at", Params.iso(u.updatedAt()));
        // connections name insiders (UUIDs) only; recipients known by a handle or fingerprint are listed apart
        out.put("connections", u.connections().stream()
            .filter(c -> Params.isUuid(c.target()) && !view.hides(c.target())).map(c -> {
                final Map<String, Object> change = new LinkedHashMap<>();
                change.put("target", c.target());
                change.put("weight", c.weight());
                change.put("change_type", c.changeType());
                return change;
            }).toList());
        out.put("anonymous_connections", u.connections().stream().filter(c -> !Params.isUuid(c.target())).map(c -> {
            final Map<String, Object> change = new LinkedHashMap<>();
            change.put("recipient", c.target());
            change.put("weight", c.weight());
            change.put("change_type", c.changeType());
            return change;
        }).toList());
        return out;
    }

    private String encode(final Instant since, final int limit, final UpdateEntry at, final boolean backward) {
        final ObjectNode payload = tokens.payload();
        payload.put("since", since.toString());
        payload.put("limit", limit);
        payload.put("sort_by", "timestamp");
        payload.put("at", at.updatedAt());
        payload.put("id", at.insiderId());
        payload.put("off", at.offset());
        payload.put("dir", backward ? "prev" : "next");
        return tokens.encode(payload);
    }

    private Cursor decode(final String raw, final Instant since) {
        final JsonNode p = tokens.decode(raw).orElseThrow(() -> ApiError.badRequest("cursor", CURSOR_ERROR));
        final boolean valid = since.toString().equals(p.path("since").asText()) && p.path("at").canConvertToLong()
            && p.path("id").isTextual() && p.path("off").canConvertToLong() && p.path("dir").isTextual();
        if (!valid) {
            throw ApiError.badRequest("cursor", CURSOR_ERROR);
        }
        return new Cursor(new UpdatePosition(p.path("at").asLong(), p.path("id").asText(), p.path("off").asLong()),
            "prev".equals(p.path("dir").asText()));
    }
}
