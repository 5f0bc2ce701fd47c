package io.insidernetwork.api.http;

import io.insidernetwork.api.query.DumpQuery;
import io.insidernetwork.api.query.DumpQuery.Keyset;
import io.insidernetwork.api.query.DumpQuery.SortBy;
import io.insidernetwork.api.query.DumpQuery.SortOrder;
import io.insidernetwork.api.query.Dtos.DumpEntry;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.Target;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /api/v1/networks/dump}: insiders with their outgoing connections in keyset pages (SPEC.md A.3.1, A.4).
 * The keyset id is the insider's numeric seq; its value the joined date (ISO-8601) or, for sortBy=network_id, the seq.
 */
final class DumpHandler implements Handler {

    private final NetworkQueries queries;
    private final String networkId;
    private final Clock clock;

    DumpHandler(final NetworkQueries queries, final String networkId, final Clock clock) {
        this.queries = queries;
        this.networkId = networkId;
        this.clock = clock;
    }

    @Override
    public void handle(final Context ctx) {
        final DumpQuery query = parse(Params.query(ctx));
        final NetworkScope scope = Caller.of(ctx).key().scope();
        final PartialPage<DumpEntry> page = queries.dump(query, scope);
        // connections to insiders of networks outside the key's scope are not listed
        final ScopeView view = ScopeView.of(scope, page.entries().stream()
            .flatMap(e -> e.connections().stream().map(Target::target)).toList(), queries);
        final Map<String, Object> insiders = new LinkedHashMap<>();
        for (final DumpEntry entry : page.entries()) {
            final Map<String, Object> insider = new LinkedHashMap<>();
            insider.put("joined_date", Params.iso(entry.joinedDate()));
            // connections name insiders (UUIDs) only; recipients known by a handle or fingerprint are listed apart
            insider.put("connections", entry.connections().stream()
                .filter(c -> Params.isUuid(c.target()) && !view.hides(c.target())).map(DumpHandler::connection)
                .toList());
            insider.put("anonymous_connections", entry.connections().stream()
                .filter(c -> !Params.isUuid(c.target())).map(DumpHandler::anonymous).toList());
            insiders.put(entry.insiderId(), insider);
        }
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("network_id", networkId);
        data.put("snapshot_date", clock.instant().toString());
        data.put("insiders", insiders);
        final Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("hasNext", page.hasMore());
        pagination.put("hasPrevious", query.after().isPresent());
        pagination.put("nextKeyset", page.hasMore() && !page.entries().isEmpty()
            ? keyset(query.sortBy(), page.entries().get(page.entries().size() - 1)) : null);
        pagination.put("previousKeyset", query.after().isPresent() && !page.entries().isEmpty()
            ? keyset(query.sortBy(), page.entries().get(0)) : null);
        pagination.put("count", page.entries().size());
        pagination.put("sortBy", query.sortBy().wire());
        pagination.put("sortOrder", query.order().wire());
        ctx.json(Envelope.page(data, pagination, RequestMeta.of(ctx)));
    }

    /** The dump query of the request's parameters ({@code query} maps a name to its raw value or null). */
    static DumpQuery parse(final Function<String, String> query) {
        final int limit = Params.intIn(query.apply("limit"), "limit", 100, 1, 1000,
            "Invalid limit value (must be 1-1000)");
        final String sortByRaw = Optional.ofNullable(query.apply("sortBy")).orElse("joined_date");
        final SortBy sortBy = SortBy.fromWire(sortByRaw)
            .orElseThrow(() -> ApiError.badRequest("sortBy", "Invalid sortBy parameter"));
        final String orderRaw = Optional.ofNullable(query.apply("sortOrder")).orElse("desc");
        final SortOrder order = switch (orderRaw) {
            case "asc" -> SortOrder.ASC;
            case "desc" -> SortOrder.DESC;
            default -> throw ApiError.badRequest("sortOrder", "Invalid sortOrder parameter");
        };
        final Optional<Long> lastId = Params.optionalLong(query.apply("lastId"), "lastId", "Invalid lastId value");
        final String lastValue = query.apply("lastValue");
        if (lastId.isPresent() != (lastValue != null)) {
            throw ApiError.badRequest(lastId.isPresent() ? "lastValue" : "lastId",
                "lastId and lastValue must be given together");
        }
        Optional<Keyset> after = Optional.empty();
        if (lastId.isPresent()) {
            final long value;
            if (sortBy == SortBy.JOINED_DATE) {
                value = Params.instant(lastValue, "lastValue", "Invalid lastValue format").toEpochMilli();
            } else {
                value = Params.digits(lastValue, "lastValue", "Invalid lastValue format");
                if (value != lastId.get()) {
                    throw ApiError.badRequest("lastValue", "Invalid lastValue format");
                }
            }
            after = Optional.of(new Keyset(lastId.get(), value));
        }
        return new DumpQuery(sortBy, order, limit, after);
    }

    private static Map<String, Object> keyset(final SortBy sortBy, final DumpEntry insider) {
        final Object value = sortBy == SortBy.JOINED_DATE ? Params.iso(insider.joinedDate()) : insider.seq();
        final Map<String, Object> keyset = new LinkedHashMap<>();
        keyset.put("id", insider.seq());
        keyset.put("value", value);
        return keyset;
    }

    private static Map<String, Object> anonymous(final Target c) {
        final Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("recipient", c.target());
        connection.put("weight", c.weight());
        connection.put("first_contact", Params.iso(c.firstContact()));
        connection.put("last_contact", Params.iso(c.lastContact()));
        return connection;
    }

    private static Map<String, Object> connection(final Target c) {
        final Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("target", c.target());
        connection.put("weight", c.weight());
        return connection;
    }
}
