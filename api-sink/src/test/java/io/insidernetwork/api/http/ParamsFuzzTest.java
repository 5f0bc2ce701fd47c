package io.insidernetwork.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.DumpQuery;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.UpdatesQuery;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of the API's parameter parsing (issue 13): query parameters of the dump, behaviour
 * keysets, peer queries and peer bodies, timestamps, numbers, insider ids, signed tokens and scopes. Any input yields
 * a value or a 400 naming the parameter; any other exception is a finding. A plain {@code mvn verify} replays the
 * seed corpus in {@code src/test/resources/.../ParamsFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see
 * docs/reliability.md, "Fuzzing").
 */
class ParamsFuzzTest {

    private static final List<String> NAMES = List.of("limit", "sortBy", "sortOrder", "lastId", "lastValue", "since",
        "at", "id", "offset", "backward", "degree", "activitiesLimit", "store_filter", "cursor", "activitiesToken");
    private static final List<String> SORTS = List.of("timestamp", "store_name", "store_category");
    private static final TokenCodec TOKENS = new TokenCodec(Fixtures.SECRET, ApiServer.json());

    @FuzzTest(maxDuration = "10m")
    void shouldParseOrAnswer400WhenAnyParameterIsGiven(final FuzzedDataProvider data) {
        final Map<String, String> query = new HashMap<>();
        final int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            query.put(data.pickValue(NAMES), data.consumeString(64));
        }
        final String sortBy = data.pickValue(SORTS);
        final byte[] body = data.consumeBytes(256);
        final String raw = data.consumeRemainingAsString();

        parsed(() -> DumpHandler.parse(query::get)).ifPresent(ParamsFuzzTest::checkDump);
        parsed(() -> BehaviorHandler.keyset(query::get, sortBy));
        parsed(() -> InternalHandlers.dumpQuery(query::get)).ifPresent(ParamsFuzzTest::checkDump);
        parsed(() -> InternalHandlers.updatesQuery(query::get)).ifPresent(ParamsFuzzTest::checkUpdates);
        parsed(() -> InternalHandlers.ids(body)).ifPresent(ids -> assertThat(ids).allMatch(Params::isUuid));
        parsed(() -> Params.instant(raw, "since", "Invalid since timestamp format")).ifPresent(t -> {
            assertThat(t).isBetween(Params.MIN_INSTANT, Params.MAX_INSTANT);
            assertThat(t.toEpochMilli()).isNotNegative();
        });
        parsed(() -> Params.intIn(raw, "limit", 50, 1, 200, "Invalid limit value")).ifPresent(v ->
            assertThat(v).isBetween(1, 200));
        parsed(() -> Params.digits(raw, "lastId", "Invalid lastId")).ifPresent(v -> assertThat(v).isNotNegative());
        parsed(() -> Params.insiderId(raw)).ifPresent(id -> assertThat(id).hasSize(36));
        parsed(() -> Params.oneOf(raw, "sortBy", "joined_date", "Invalid sortBy", "joined_date", "network_id"));
        // signed tokens and scopes never throw: a bad token is empty (then 400), any scope text is a scope
        TOKENS.decode(raw);
        TOKENS.decode(new String(body, StandardCharsets.UTF_8));
        assertThat(NetworkScope.fromWire(raw)).isNotNull();
    }

    private static void checkDump(final DumpQuery q) {
        assertThat(q.limit()).isBetween(1, 1000);
        q.after().ifPresent(k -> assertThat(k.id()).isNotNegative());
    }

    private static void checkUpdates(final UpdatesQuery q) {
        assertThat(q.limit()).isBetween(1, 200);
        q.position().ifPresent(p -> assertThat(p.insiderId()).isNotEmpty());
    }

    /** The value, or empty when the parser answered a 400 naming a parameter; anything else escapes. */
    private static <T> Optional<T> parsed(final Supplier<T> parse) {
        try {
            return Optional.ofNullable(parse.get());
        } catch (final ApiError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.body().validationErrors()).isNotEmpty();
            assertThat(e.body().validationErrors().get(0).field()).isNotBlank();
            return Optional.empty();
        }
    }
}
