package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.edge;
import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static io.insidernetwork.api.Fixtures.purchase;
import static io.insidernetwork.api.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.query.StoreUnavailableException;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTP contract of every endpoint and every error case of the seed, over the real topology and query code; every
 * answer is also validated against the OpenAPI document by {@link io.insidernetwork.api.ContractClient}.
 */
class ApiContractTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
    private static final String ROOT = id(1);

    @TempDir
    Path stateDir;
    private ApiHarness api;

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        // before its insider, as on a fresh start: no feed entry (the change-feed tests count the entries)
        api.sizes(Fixtures.sizes(ROOT, 2, 1, 0, T0.plusSeconds(86_400L + 60)));
        for (int n = 1; n <= 5; n++) {
            final InsiderState s = insider(id(n), "brand-a", 1024L * n, T0.plusSeconds(86_400L * n));
            // a connection to an insider shows that insider's own total generated amount
            s.setTotalGeneratedAmount(new BigDecimal("12.5000"));
            api.insider(s);
        }
        api.insider(insider(id(6), "brand-b", 6 * 1024L, T0.plusSeconds(86_400L * 6)));
        api.insider(insider(id(7), "brand-a", 7 * 1024L, T0.plusSeconds(86_400L * 7), SignupStatus.ANONYMOUS));
        api.edge(edge(id(1), id(2), 0.9, T0.plusSeconds(10)));
        api.edge(edge(id(1), id(3), 0.5, T0.plusSeconds(20)));
        api.edge(edge(id(1), "@handle", 0.2, T0.plusSeconds(30)));
        api.edge(edge(id(2), id(4), 0.8, T0.plusSeconds(40)));
        api.edge(edge(id(2), id(1), 0.3, T0.plusSeconds(40)));
        api.edge(edge(id(3), id(4), 0.6, T0.plusSeconds(50)));
        api.edge(edge(id(3), id(5), 0.7, T0.plusSeconds(60)));
        api.edge(edge(id(4), id(5), 0.9, T0.plusSeconds(70)));
        api.edge(edge(id(4), id(6), 0.5, T0.plusSeconds(80)));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private Answer get(final String path) {
        return api.client.get(path);
    }

    private static void assertBadRequest(final Answer a, final String field, final String details) {
        assertThat(a.status()).as(a.raw()).isEqualTo(400);
        assertThat(a.at("/success").asBoolean()).isFalse();
        assertThat(a.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(a.at("/error/message").asText()).isEqualTo("Invalid request parameters.");
        assertThat(a.at("/error/details").asText()).isEqualTo(details);
        assertThat(a.at("/error/validation_errors/0/field").asText()).isEqualTo(field);
    }

    /** Same status and same body, apart from the request id. */
    static void assertSameAsUnknown(final Answer outOfScope, final Answer unknown) {
        assertThat(outOfScope.status()).isEqualTo(404);
        assertThat(outOfScope.status()).isEqualTo(unknown.status());
        assertThat(outOfScope.at("/error").toString()).isEqualTo(unknown.at("/error").toString());
        assertThat(outOfScope.at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(outOfScope.at("/error/details").asText()).isEqualTo("Insider not found");
        assertThat(outOfScope.raw().replaceAll("\"request_id\":\"[^\"]*\"", ""))
            .isEqualTo(unknown.raw().replaceAll("\"request_id\":\"[^\"]*\"", ""));
    }

    // ---- dump ----

    @Test
    void shouldListInsidersNewestJoinedFirstWhenDumpHasDefaults() {
        final Answer a = get("/api/v1/networks/dump");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.at("/success").asBoolean()).isTrue();
        assertThat(a.at("/data/network_id").asText()).isEqualTo("test-network");
        assertThat(a.at("/data/snapshot_date").asText()).isEqualTo(ApiHarness.NOW.toString());
        final List<String> ids = new ArrayList<>();
        a.at("/data/insiders").fieldNames().forEachRemaining(ids::add);
        assertThat(ids).containsExactly(id(7), id(6), id(5), id(4), id(3), id(2), id(1));
        assertThat(a.at("/data/insiders/" + id(1) + "/joined_date").asText()).isEqualTo("2025-07-02T00:00:00Z");
        assertThat(a.at("/data/insiders/" + id(1) + "/connections")).hasSize(2);
        // the handle is no UUID: it is listed apart, with its contact times
        assertThat(a.at("/data/insiders/" + id(1) + "/connections").toString()).doesNotContain("@handle");
        final JsonNode anonymous = a.at("/data/insiders/" + id(1) + "/anonymous_connections");
        assertThat(anonymous).hasSize(1);
        assertThat(anonymous.at("/0/recipient").asText()).isEqualTo("@handle");
        assertThat(anonymous.at("/0/weight").asDouble()).isEqualTo(0.2);
        assertThat(anonymous.at("/0/first_contact").asText()).isEqualTo("2025-07-01T00:00:30Z");
        assertThat(anonymous.at("/0/last_contact").asText()).isEqualTo("2025-07-01T00:00:30Z");
        assertThat(a.at("/pagination/hasNext").asBoolean()).isFalse();
        assertThat(a.at("/pagination/count").asInt()).isEqualTo(7);
        assertThat(a.at("/pagination/sortBy").asText()).isEqualTo("joined_date");
        assertThat(a.at("/pagination/sortOrder").asText()).isEqualTo("desc");
        assertThat(a.at("/pagination/nextKeyset").isNull()).isTrue();
        assertThat(a.at("/pagination/previousKeyset").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"joined_date,asc", "joined_date,desc", "network_id,asc", "network_id,desc"})
    void shouldVisitEveryInsiderOnceWhenPagingTheDump(final String sortBy, final String order) {
        final List<String> seen = new ArrayList<>();
        String query = "?limit=2&sortBy=" + sortBy + "&sortOrder=" + order;
        for (int page = 0; page < 10; page++) {
            final Answer a = get("/api/v1/networks/dump" + query);
            assertThat(a.status()).isEqualTo(200);
            a.at("/data/insiders").fieldNames().forEachRemaining(seen::add);
            if (!a.at("/pagination/hasNext").asBoolean()) {
                break;
            }
            assertThat(a.at("/pagination/hasPrevious").asBoolean()).isEqualTo(page > 0);
            final JsonNode next = a.at("/pagination/nextKeyset");
            query = "?limit=2&sortBy=" + sortBy + "&sortOrder=" + order + "&lastId=" + next.get("id").asLong()
                + "&lastValue=" + URLEncoder.encode(next.get("value").asText(), StandardCharsets.UTF_8);
        }
        final List<String> expected = new ArrayList<>(List.of(id(1), id(2), id(3), id(4), id(5), id(6), id(7)));
        if ("desc".equals(order)) {
            java.util.Collections.reverse(expected);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldNeitherSkipNorRepeatWhenInsidersChangeBetweenPages() {
        final Answer first = get("/api/v1/networks/dump?limit=3&sortOrder=asc");
        final JsonNode next = first.at("/pagination/nextKeyset");
        // new insiders on both sides of the cursor, and an update of one already seen
        api.insider(insider(id(20), "brand-a", 20 * 1024L, T0));
        api.insider(insider(id(21), "brand-a", 21 * 1024L, T0.plusSeconds(86_400L * 30)));
        api.insider(insider(id(1), "brand-a", 1024L, T0.plusSeconds(86_400L)));
        final List<String> rest = new ArrayList<>();
        String query = "?limit=3&sortOrder=asc&lastId=" + next.get("id").asLong() + "&lastValue="
            + next.get("value").asText();
        while (true) {
            final Answer a = get("/api/v1/networks/dump" + query);
            a.at("/data/insiders").fieldNames().forEachRemaining(rest::add);
            if (!a.at("/pagination/hasNext").asBoolean()) {
                break;
            }
            final JsonNode k = a.at("/pagination/nextKeyset");
            query = "?limit=3&sortOrder=asc&lastId=" + k.get("id").asLong() + "&lastValue=" + k.get("value").asText();
        }
        final List<String> firstIds = new ArrayList<>();
        first.at("/data/insiders").fieldNames().forEachRemaining(firstIds::add);
        assertThat(firstIds).containsExactly(id(1), id(2), id(3));
        assertThat(rest).containsExactly(id(4), id(5), id(6), id(7), id(21));
    }

    @Test
    void shouldListOnlyKeyNetworksWhenKeyIsScoped() {
        final Answer a = api.client.get("/api/v1/networks/dump", Map.of("X-API-Key", Fixtures.BRAND_KEY));
        final Set<String> ids = new HashSet<>();
        a.at("/data/insiders").fieldNames().forEachRemaining(ids::add);
        assertThat(ids).doesNotContain(id(6)).contains(id(1), id(7));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit=0|limit|Invalid limit value (must be 1-1000)",
        "limit=1001|limit|Invalid limit value (must be 1-1000)",
        "limit=ten|limit|Invalid limit value (must be 1-1000)",
        "sortBy=name|sortBy|Invalid sortBy parameter",
        "sortOrder=up|sortOrder|Invalid sortOrder parameter",
        "lastId=1&lastValue=yesterday|lastValue|Invalid lastValue format",
        "sortBy=network_id&lastId=1&lastValue=x|lastValue|Invalid lastValue format",
        "lastId=abc&lastValue=2025-01-01T00:00:00Z|lastId|Invalid lastId value",
        "lastValue=2025-01-01T00:00:00Z|lastId|lastId and lastValue must be given together"})
    void shouldAnswer400NamingFieldWhenDumpParameterIsInvalid(final String query, final String field,
                                                             final String details) {
        assertBadRequest(get("/api/v1/networks/dump?" + query), field, details);
    }

    // ---- updates since ----

    private void feed() {
        api.update(update(id(1), "brand-a", T0.plusSeconds(100), id(2)));
        api.update(update(id(2), "brand-a", T0.plusSeconds(200), id(4)));
        api.update(update(id(1), "brand-a", T0.plusSeconds(300), id(3)));
        api.update(update(id(6), "brand-b", T0.plusSeconds(300), id(9)));
        api.update(update(id(3), "brand-a", T0.plusSeconds(400), id(5)));
        api.update(update(id(4), "brand-a", T0.minusSeconds(86_400L * 60), id(5)));
    }

    @Test
    void shouldListChangesOldestFirstWhenUpdatesAreRequested() {
        feed();
        final Answer a = get("/api/v1/networks/updates/since/2025-07-01T00:02:00Z");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.at("/data/since").asText()).isEqualTo("2025-07-01T00:02:00Z");
        assertThat(a.at("/data/generated_at").asText()).isEqualTo(ApiHarness.NOW.toString());
        final List<String> seen = new ArrayList<>();
        a.at("/data/updates").forEach(u -> seen.add(u.get("insider_id").asText() + "@" + u.get("updated_at").asText()));
        assertThat(seen).containsExactly(id(2) + "@2025-07-01T00:03:20Z", id(1) + "@2025-07-01T00:05:00Z",
            id(6) + "@2025-07-01T00:05:00Z", id(3) + "@2025-07-01T00:06:40Z");
        final JsonNode first = a.at("/data/updates/0");
        assertThat(first.get("update_type").asText()).isEqualTo("CONNECTIONS_UPDATED");
        assertThat(first.get("connections").get(0).get("change_type").asText()).isEqualTo("ADDED");
        assertThat(first.get("joined_date").asText()).isEqualTo("2025-06-30T23:03:20Z");
        assertThat(a.at("/pagination/hasNext").asBoolean()).isFalse();
        assertThat(a.at("/pagination/nextCursor").isNull()).isTrue();
        assertThat(a.at("/pagination/count").asInt()).isEqualTo(4);
    }

    @Test
    void shouldPageForwardAndBackWhenFollowingCursors() {
        feed();
        final String base = "/api/v1/networks/updates/since/2025-07-01T00:00:00Z?limit=2";
        final Answer p1 = get(base);
        assertThat(p1.at("/pagination/hasNext").asBoolean()).isTrue();
        assertThat(p1.at("/pagination/hasPrevious").asBoolean()).isFalse();
        final Answer p2 = get(base + "&cursor=" + p1.at("/pagination/nextCursor").asText());
        final Answer p3 = get(base + "&cursor=" + p2.at("/pagination/nextCursor").asText());
        assertThat(p3.at("/pagination/hasNext").asBoolean()).isFalse();
        final List<String> all = new ArrayList<>();
        for (final Answer a : List.of(p1, p2, p3)) {
            a.at("/data/updates").forEach(u -> all.add(u.get("insider_id").asText() + u.get("updated_at").asText()));
        }
        assertThat(all).hasSize(5).doesNotHaveDuplicates();
        final Answer back = get(base + "&cursor=" + p3.at("/pagination/previousCursor").asText());
        assertThat(back.at("/data/updates").toString()).isEqualTo(p2.at("/data/updates").toString());
        assertThat(back.at("/pagination/hasPrevious").asBoolean()).isTrue();
    }

    @Test
    void shouldAnswer422WhenTimestampIsBeyondRetention() {
        final Answer a = get("/api/v1/networks/updates/since/2025-06-01T00:00:00Z");
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.at("/error/code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(a.at("/error/message").asText()).isEqualTo("Request validation failed.");
        assertThat(a.at("/error/details").asText()).isEqualTo("Timestamp too far in the past (beyond data retention)");
        assertThat(a.at("/error/validation_errors/0/field").asText()).isEqualTo("timestamp");
        assertThat(a.at("/error/validation_errors/0/code").asText()).isEqualTo("BEYOND_RETENTION");
    }

    @Test
    void shouldAnswerEmptyPageWhenTimestampIsInTheFuture() {
        feed();
        final Answer a = get("/api/v1/networks/updates/since/2030-01-01T00:00:00%2B02:00");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.at("/data/updates")).isEmpty();
        assertThat(a.at("/data/since").asText()).isEqualTo("2029-12-31T22:00:00Z");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2025-13-01T00:00:00Z?x=1|timestamp|Invalid timestamp format in URL path",
        "yesterday?x=1|timestamp|Invalid timestamp format in URL path",
        "2025-07-01T00:00:00Z?limit=0|limit|Invalid limit value (must be 1-200)",
        "2025-07-01T00:00:00Z?limit=201|limit|Invalid limit value (must be 1-200)",
        "2025-07-01T00:00:00Z?cursor=eyJsaW1pdCI6NTAsInNvcnRfYnkiOiJ0aW1lc3RhbXAifQ==|cursor|Invalid cursor format",
        "2025-07-01T00:00:00Z?cursor=%25%25|cursor|Invalid cursor format"})
    void shouldAnswer400NamingFieldWhenUpdatesParameterIsInvalid(final String pathAndQuery, final String field,
                                                                final String details) {
        assertBadRequest(get("/api/v1/networks/updates/since/" + pathAndQuery), field, details);
    }

    @Test
    void shouldAnswer400WhenCursorIsTamperedOrFromAnotherTimestamp() {
        feed();
        final String cursor = get("/api/v1/networks/updates/since/2025-07-01T00:00:00Z?limit=1")
            .at("/pagination/nextCursor").asText();
        final char last = cursor.charAt(cursor.length() - 1);
        final String tampered = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertBadRequest(get("/api/v1/networks/updates/since/2025-07-01T00:00:00Z?cursor=" + tampered), "cursor",
            "Invalid cursor format");
        final String body = cursor.substring(0, cursor.indexOf('.'));
        final String forged = body.substring(0, body.length() - 2) + "xx" + cursor.substring(cursor.indexOf('.'));
        assertBadRequest(get("/api/v1/networks/updates/since/2025-07-01T00:00:00Z?cursor=" + forged), "cursor",
            "Invalid cursor format");
        assertBadRequest(get("/api/v1/networks/updates/since/2025-07-01T00:01:00Z?cursor=" + cursor), "cursor",
            "Invalid cursor format");
    }

    // ---- insider profile ----

    @Test
    void shouldAnswerProfileWithEveryAggregateWhenInsiderExists() {
        final Answer a = get("/api/v1/insiders/" + ROOT);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.at("/data/insider_id").asText()).isEqualTo(ROOT);
        assertThat(a.at("/data/joined_date").asText()).isEqualTo("2025-07-02T00:00:00Z");
        assertThat(a.at("/data/profile/instances_shared/0/shared_with/1").asText()).isEqualTo("@handle");
        assertThat(a.at("/data/profile/total_purchase_amount").decimalValue()).isEqualByComparingTo("100.5");
        assertThat(a.at("/data/profile/network_size/first_degree").asLong()).isEqualTo(2);
        assertThat(a.at("/data/profile/instances_purchased/0/campaign_id").asText()).isEqualTo("spring");
    }

    @Test
    void shouldAcceptBearerAndUpperCaseIdWhenProfileIsRequested() {
        final Answer a = api.client.get("/api/v1/insiders/" + ROOT.toUpperCase(java.util.Locale.ROOT),
            Map.of("Authorization", "Bearer " + Fixtures.KEY));
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer400And404WhenProfileCannotBeServed() {
        assertBadRequest(get("/api/v1/insiders/not-a-uuid"), "insider_id", "Invalid UUID format for insider_id");
        final Answer missing = get("/api/v1/insiders/" + id(404));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(missing.at("/error/message").asText()).isEqualTo("Insider not found or does not exist.");
        assertThat(missing.at("/error/details").asText()).isEqualTo("Insider not found");
        // an insider of another network answers exactly like an unknown one
        final Answer outOfScope = api.client.get("/api/v1/insiders/" + id(6), Map.of("X-API-Key", Fixtures.BRAND_KEY));
        final Answer unknown = api.client.get("/api/v1/insiders/" + id(404), Map.of("X-API-Key", Fixtures.BRAND_KEY));
        assertSameAsUnknown(outOfScope, unknown);
    }

    // ---- joined at read time: sizes and target figures are the entities' own records ----

    @Test
    void shouldAnswerNetworkSizeFromSizesRecordWhenOneArrivesAndZerosBefore() {
        // id(3) has no sizes record: zeros as of its creation (its state's own network_size is stale)
        final InsiderState created = insider(id(3), "brand-a", 3 * 1024L, T0.plusSeconds(86_400L * 3));
        created.getNetworkSize().setTimeUpdated(T0.plusSeconds(86_400L * 3 + 5));
        api.insider(created);
        final Answer before = get("/api/v1/insiders/" + id(3));
        assertThat(before.at("/data/profile/network_size/first_degree").asLong()).isZero();
        assertThat(before.at("/data/profile/network_size/second_degree").asLong()).isZero();
        assertThat(before.at("/data/profile/network_size/third_degree").asLong()).isZero();
        assertThat(before.at("/data/profile/network_size/time_updated").asText()).isEqualTo("2025-07-04T00:00:05Z");
        assertThat(before.at("/data/time_updated").asText()).isEqualTo("2025-07-04T00:01:00Z");
        final Instant changed = T0.plusSeconds(86_400L * 5);
        api.sizes(Fixtures.sizes(id(3), 4, 7, 11, changed));
        final Answer after = get("/api/v1/insiders/" + id(3));
        assertThat(after.at("/data/profile/network_size/first_degree").asLong()).isEqualTo(4);
        assertThat(after.at("/data/profile/network_size/second_degree").asLong()).isEqualTo(7);
        assertThat(after.at("/data/profile/network_size/third_degree").asLong()).isEqualTo(11);
        assertThat(after.at("/data/profile/network_size/time_updated").asText()).isEqualTo(changed.toString());
        // a size change is a change of the insider: every per-insider answer dates it
        assertThat(after.at("/data/time_updated").asText()).isEqualTo(changed.toString());
        assertThat(get("/api/v1/insiders/" + id(3) + "/network?degree=1").at("/data/time_updated").asText())
            .isEqualTo(changed.toString());
        assertThat(get("/api/v1/insiders/" + id(3) + "/behavior").at("/data/time_updated").asText())
            .isEqualTo(changed.toString());
        // a tombstone leaves the insider without sizes again
        api.sizes.pipeInput(id(3), null, changed.plusSeconds(1));
        assertThat(get("/api/v1/insiders/" + id(3)).at("/data/profile/network_size/first_degree").asLong()).isZero();
    }

    @Test
    void shouldAddInsiderUpdatedFeedEntryWhenSizesChangeTheCounts() {
        final Instant changed = Instant.parse("2025-07-10T00:00:00Z");
        api.sizes(Fixtures.sizes(ROOT, 3, 1, 0, changed));
        // the same counts again change nothing; an insider not materialized yet gets no entry
        api.sizes(Fixtures.sizes(ROOT, 3, 1, 0, changed.plusSeconds(10)));
        api.sizes(Fixtures.sizes(id(404), 1, 0, 0, changed.plusSeconds(20)));
        api.update(update(ROOT, "brand-a", changed, id(2)));
        final Answer a = get("/api/v1/networks/updates/since/2025-07-09T00:00:00Z");
        assertThat(a.status()).isEqualTo(200);
        final JsonNode updates = a.at("/data/updates");
        assertThat(updates).hasSize(2);
        // at the same time and insider, the entry of the change-feed topic comes first
        assertThat(updates.get(0).get("update_type").asText()).isEqualTo("CONNECTIONS_UPDATED");
        final JsonNode sized = updates.get(1);
        assertThat(sized.get("insider_id").asText()).isEqualTo(ROOT);
        assertThat(sized.get("update_type").asText()).isEqualTo("INSIDER_UPDATED");
        assertThat(sized.get("updated_at").asText()).isEqualTo(changed.toString());
        assertThat(sized.get("joined_date").asText()).isEqualTo("2025-07-02T00:00:00Z");
        assertThat(sized.get("connections")).isEmpty();
        // a key of another network does not see it; pages step over both entries exactly once
        assertThat(api.client.get("/api/v1/networks/updates/since/2025-07-09T00:00:00Z",
            Map.of("X-API-Key", Fixtures.BRAND_B_KEY)).at("/data/updates")).isEmpty();
        final Answer p1 = get("/api/v1/networks/updates/since/2025-07-09T00:00:00Z?limit=1");
        final Answer p2 = get("/api/v1/networks/updates/since/2025-07-09T00:00:00Z?limit=1&cursor="
            + p1.at("/pagination/nextCursor").asText());
        assertThat(p1.at("/data/updates/0/update_type").asText()).isEqualTo("CONNECTIONS_UPDATED");
        assertThat(p2.at("/data/updates/0/update_type").asText()).isEqualTo("INSIDER_UPDATED");
        assertThat(p2.at("/pagination/hasNext").asBoolean()).isFalse();
    }

    @Test
    void shouldShowTargetsOwnStatusAndFiguresWhenTargetStateChanges() {
        final Instant rateChanged = T0.plusSeconds(86_400L * 9);
        // id(2)'s own state changes; no connection record is rewritten
        final InsiderState target = insider(id(2), "brand-a", 2 * 1024L, T0.plusSeconds(86_400L * 2),
            SignupStatus.INVITED);
        target.setConversionRate(0.75);
        target.setConversionRateUpdated(rateChanged);
        target.setTotalGeneratedAmount(new BigDecimal("80.2500"));
        api.insider(target);
        // a recipient id with no state yet (invited, never seen as an insider)
        api.edge(edge(ROOT, id(50), 0.4, T0.plusSeconds(90)));
        final JsonNode connections = get("/api/v1/insiders/" + ROOT + "/network?degree=1")
            .at("/data/network_analysis/connections");
        final Map<String, JsonNode> byId = new java.util.HashMap<>();
        connections.forEach(c -> byId.put(c.get("insider_id").asText(), c));
        assertThat(byId.get(id(2)).get("signup_status").asText()).isEqualTo("INVITED");
        assertThat(byId.get(id(2)).at("/performance_metrics/partner_conversion_rate").asDouble()).isEqualTo(0.75);
        assertThat(byId.get(id(2)).at("/performance_metrics/total_generated").decimalValue())
            .isEqualByComparingTo("80.25");
        assertThat(byId.get(id(2)).at("/performance_metrics/conversion_rate_updated").asText())
            .isEqualTo(rateChanged.toString());
        assertThat(byId.get(id(3)).get("signup_status").asText()).isEqualTo("SIGNED_UP");
        assertThat(byId.get(id(3)).at("/performance_metrics/partner_conversion_rate").asDouble()).isEqualTo(0.5);
        final JsonNode invited = byId.get(id(50));
        assertThat(invited.get("signup_status").asText()).isEqualTo("INVITED");
        assertThat(invited.at("/performance_metrics/partner_conversion_rate").asDouble()).isZero();
        assertThat(invited.at("/performance_metrics/total_generated").decimalValue()).isZero();
        assertThat(invited.at("/performance_metrics/conversion_rate_updated").asText())
            .isEqualTo(T0.plusSeconds(90).toString());
        // the target signs up: the next answer says so
        target.setSignupStatus(SignupStatus.SIGNED_UP);
        api.insider(target);
        assertThat(get("/api/v1/insiders/" + ROOT + "/network?degree=1")
            .at("/data/network_analysis/connections/0/signup_status").asText()).isEqualTo("SIGNED_UP");
        // a handle is anonymous whatever its connection record holds
        assertThat(get("/api/v1/insiders/" + ROOT + "/network?degree=1")
            .at("/data/network_analysis/anonymous_connections/0/signup_status").asText()).isEqualTo("ANONYMOUS");
    }

    @Test
    void shouldReadTargetFiguresOnceWithTheScopeCheckWhenKeyIsScoped() {
        final InsiderState target = insider(id(2), "brand-a", 2 * 1024L, T0.plusSeconds(86_400L * 2));
        target.setConversionRate(0.125);
        api.insider(target);
        final JsonNode connections = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=1",
            Map.of("X-API-Key", Fixtures.BRAND_KEY)).at("/data/network_analysis/connections");
        assertThat(connections.get(0).get("insider_id").asText()).isEqualTo(id(2));
        assertThat(connections.get(0).at("/performance_metrics/partner_conversion_rate").asDouble()).isEqualTo(0.125);
        assertThat(connections.get(0).at("/performance_metrics/total_generated").decimalValue())
            .isEqualByComparingTo("50");
    }

    // ---- network ----

    @Test
    void shouldListFirstDegreeWithPartnerActivityWhenDegreeIsOne() {
        api.purchase(purchase(id(2), 1, "brand-b", "other-store", T0.plusSeconds(500), "70"));
        api.purchase(purchase(id(2), 2, "brand-a", "own-store", T0.plusSeconds(600), "30"));
        final Answer a = get("/api/v1/insiders/" + ROOT + "/network?degree=1");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.at("/data/degree").asInt()).isEqualTo(1);
        assertThat(a.at("/data/network_analysis/partner_activity/last_shared_with_partner/partner_id").asText())
            .isEqualTo("brand-a");
        assertThat(a.at("/data/network_analysis/partner_activity/cross_partner_conversion_rate").asDouble())
            .isEqualTo(0.25);
        final JsonNode connections = a.at("/data/network_analysis/connections");
        assertThat(connections).hasSize(2);
        assertThat(connections.get(0).get("insider_id").asText()).isEqualTo(id(2));
        assertThat(connections.get(0).has("connecting_through")).isFalse();
        assertThat(connections.get(0).at("/platform_strengths/instagram").asDouble()).isEqualTo(0.9);
        assertThat(connections.get(0).at("/performance_metrics/total_generated").decimalValue())
            .isEqualByComparingTo("12.5");
        assertThat(connections.get(0).at("/last_shared/partner/instance_id").asText()).isEqualTo("sku-1");
        final JsonNode other = connections.get(0).at("/last_shared/other_partners");
        assertThat(other.at("/data")).hasSize(1);
        assertThat(other.at("/data/0/order_summary").asText()).isEqualTo("order 1");
        assertThat(other.at("/data/0/approximate_spending").asInt()).isEqualTo(70);
        assertThat(other.at("/pagination/sortBy").asText()).isEqualTo("timestamp");
        final JsonNode anonymous = a.at("/data/network_analysis/anonymous_connections");
        assertThat(anonymous).hasSize(1);
        assertThat(anonymous.at("/0/recipient").asText()).isEqualTo("@handle");
        assertThat(anonymous.at("/0/weight").asDouble()).isEqualTo(0.2);
        assertThat(anonymous.at("/0/first_contact").asText()).isEqualTo("2025-07-01T00:00:30Z");
        // the activity of another partner's store says so, relative to the requested insider's network
        assertThat(other.at("/data/0/behavior_summary").asText()).isEqualTo("Purchase in another partner's store");
    }

    @Test
    void shouldNameConnectingInsiderWhenDegreeIsTwoOrThree() {
        final Answer two = get("/api/v1/insiders/" + ROOT + "/network?degree=2");
        assertThat(two.status()).isEqualTo(200);
        assertThat(two.at("/data/network_analysis/partner_activity").isMissingNode()).isTrue();
        final JsonNode c2 = two.at("/data/network_analysis/connections");
        assertThat(c2).hasSize(2);
        assertThat(c2.get(0).get("insider_id").asText()).isEqualTo(id(4));
        assertThat(c2.get(0).get("connecting_through").asText()).isEqualTo(id(2));
        assertThat(c2.get(1).get("insider_id").asText()).isEqualTo(id(5));
        assertThat(c2.get(1).get("connecting_through").asText()).isEqualTo(id(3));
        final JsonNode c3 = get("/api/v1/insiders/" + ROOT + "/network?degree=3").at("/data/network_analysis/connections");
        assertThat(c3).hasSize(1);
        assertThat(c3.get(0).get("insider_id").asText()).isEqualTo(id(6));
        assertThat(c3.get(0).get("connecting_through").asText()).isEqualTo(id(4));
    }

    @Test
    void shouldFilterConnectionsWhenSinceIsGiven() {
        final JsonNode analysis = get("/api/v1/insiders/" + ROOT + "/network?degree=1&since=2025-07-01T00:00:15Z")
            .at("/data/network_analysis");
        assertThat(analysis.get("connections")).extracting(c -> c.get("insider_id").asText()).containsExactly(id(3));
        assertThat(analysis.get("anonymous_connections")).extracting(c -> c.get("recipient").asText())
            .containsExactly("@handle");
    }

    @Test
    void shouldPageOneConnectionsActivitiesWhenTokenIsGiven() {
        for (int i = 1; i <= 5; i++) {
            api.purchase(purchase(id(2), i, "brand-b", "store", T0.plusSeconds(1000L * i), "10"));
        }
        api.purchase(purchase(id(3), 9, "brand-b", "store", T0.plusSeconds(99), "10"));
        final String base = "/api/v1/insiders/" + ROOT + "/network?degree=1&activitiesLimit=2";
        final Answer p1 = get(base);
        final JsonNode c2 = p1.at("/data/network_analysis/connections/0/last_shared/other_partners");
        assertThat(c2.at("/data/0/order_summary").asText()).isEqualTo("order 5");
        assertThat(c2.at("/pagination/hasNext").asBoolean()).isTrue();
        final Answer p2 = get(base + "&activitiesToken=" + c2.at("/pagination/nextToken").asText());
        final JsonNode c2p2 = p2.at("/data/network_analysis/connections/0/last_shared/other_partners");
        assertThat(c2p2.at("/data/0/order_summary").asText()).isEqualTo("order 3");
        assertThat(c2p2.at("/data/1/order_summary").asText()).isEqualTo("order 2");
        assertThat(c2p2.at("/pagination/hasPrevious").asBoolean()).isTrue();
        // other connections keep their first page
        assertThat(p2.at("/data/network_analysis/connections/1/last_shared/other_partners/data/0/order_summary")
            .asText()).isEqualTo("order 9");
        final Answer back = get(base + "&activitiesToken=" + c2p2.at("/pagination/previousToken").asText());
        assertThat(back.at("/data/network_analysis/connections/0/last_shared/other_partners/data").toString())
            .isEqualTo(c2.at("/data").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|degree|Invalid degree parameter (must be 1, 2, or 3)",
        "degree=4|degree|Invalid degree parameter (must be 1, 2, or 3)",
        "degree=two|degree|Invalid degree parameter (must be 1, 2, or 3)",
        "degree=1&activitiesLimit=0|activitiesLimit|Invalid activitiesLimit value (must be 1-200)",
        "degree=1&activitiesLimit=201|activitiesLimit|Invalid activitiesLimit value (must be 1-200)",
        "degree=1&since=last-week|since|Invalid since timestamp format",
        "degree=1&activitiesToken=abc.def|activitiesToken|Invalid activitiesToken format",
        "degree=1&activitiesToken=garbage|activitiesToken|Invalid activitiesToken format"})
    void shouldAnswer400NamingFieldWhenNetworkParameterIsInvalid(final String query, final String field,
                                                                final String details) {
        assertBadRequest(get("/api/v1/insiders/" + ROOT + "/network?" + (query == null ? "" : query)), field,
            details);
    }

    @Test
    void shouldAnswer400404And422WhenNetworkCannotBeServed() {
        assertBadRequest(get("/api/v1/insiders/123/network?degree=1"), "insider_id",
            "Invalid UUID format for insider_id");
        assertThat(get("/api/v1/insiders/" + id(404) + "/network?degree=1").status()).isEqualTo(404);
        assertSameAsUnknown(api.client.get("/api/v1/insiders/" + id(6) + "/network?degree=1",
            Map.of("X-API-Key", Fixtures.BRAND_KEY)), api.client.get("/api/v1/insiders/" + id(404) + "/network?degree=1",
            Map.of("X-API-Key", Fixtures.BRAND_KEY)));
        final Answer anonymous = get("/api/v1/insiders/" + id(7) + "/network?degree=2");
        assertThat(anonymous.status()).isEqualTo(422);
        assertThat(anonymous.at("/error/details").asText()).isEqualTo("Network analysis not available for this insider");
        assertThat(get("/api/v1/insiders/" + id(7) + "/network?degree=1").status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer400WhenTokenOfAnotherInsiderIsReplayed() {
        for (int i = 1; i <= 3; i++) {
            api.purchase(purchase(id(4), i, "brand-b", "store", T0.plusSeconds(1000L * i), "10"));
        }
        final String token = get("/api/v1/insiders/" + id(2) + "/network?degree=1&activitiesLimit=1")
            .at("/data/network_analysis/connections/0/last_shared/other_partners/pagination/nextToken").asText();
        assertThat(token).isNotBlank();
        assertBadRequest(get("/api/v1/insiders/" + id(3) + "/network?degree=1&activitiesToken=" + token),
            "activitiesToken", "Invalid activitiesToken format");
    }

    // ---- behavior ----

    private void purchases() {
        api.purchase(purchase(ROOT, 1, "brand-a", "beta", Instant.parse("2025-05-01T10:00:00Z"), "20"));
        api.purchase(purchase(ROOT, 2, "brand-b", "alpha", Instant.parse("2025-06-01T10:00:00Z"), "40"));
        api.purchase(purchase(ROOT, 3, "brand-a", "alpha", Instant.parse("2025-06-02T10:00:00Z"), "60"));
        api.purchase(purchase(ROOT, 4, "brand-b", "gamma", Instant.parse("2025-06-03T10:00:00Z"), "80"));
        api.purchase(purchase(ROOT, 5, "brand-a", "beta", Instant.parse("2025-06-03T10:00:00Z"), "100"));
    }

    @Test
    void shouldListPurchasesNewestFirstWithStatsWhenBehaviorHasDefaults() {
        purchases();
        final Answer a = get("/api/v1/insiders/" + ROOT + "/behavior");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.at("/data/store_filter").asText()).isEqualTo("all");
        final JsonNode data = a.at("/data/purchase_behavior/data");
        assertThat(data).hasSize(5);
        assertThat(data.get(0).get("instance_id").asText()).isEqualTo("sku-5");
        assertThat(data.get(1).get("instance_id").asText()).isEqualTo("sku-4");
        assertThat(data.get(1).get("store_category").asText()).isEqualTo("shoes");
        assertThat(data.get(0).get("store_category").asText()).isEqualTo("uncategorized");
        final JsonNode stats = a.at("/data/purchase_behavior/summary_stats");
        assertThat(stats.get("total_purchases").asInt()).isEqualTo(5);
        assertThat(stats.get("current_partner_purchases").asInt()).isEqualTo(3);
        assertThat(stats.get("other_partner_purchases").asInt()).isEqualTo(2);
        assertThat(stats.get("total_approximate_spending").asText()).isEqualTo("USD 300.00");
        assertThat(stats.get("avg_spending_per_purchase").asText()).isEqualTo("USD 60.00");
        assertThat(stats.get("most_active_period").asText()).isEqualTo("2025-06");
        assertThat(a.at("/data/purchase_behavior/pagination/sortBy").asText()).isEqualTo("timestamp");
    }

    @ParameterizedTest
    @CsvSource({"timestamp,desc,sku-5 sku-4 sku-3 sku-2 sku-1", "timestamp,asc,sku-1 sku-2 sku-3 sku-4 sku-5",
        "store_name,asc,sku-2 sku-3 sku-1 sku-5 sku-4", "store_category,desc,sku-5 sku-3 sku-1 sku-4 sku-2"})
    void shouldVisitEveryPurchaseOnceWhenPagingBehavior(final String sortBy, final String order,
                                                       final String expected) {
        purchases();
        final List<String> seen = new ArrayList<>();
        String query = "?limit=2&sortBy=" + sortBy + "&sortOrder=" + order;
        for (int page = 0; page < 5; page++) {
            final Answer a = get("/api/v1/insiders/" + ROOT + "/behavior" + query);
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            a.at("/data/purchase_behavior/data").forEach(p -> seen.add(p.get("instance_id").asText()));
            final JsonNode pagination = a.at("/data/purchase_behavior/pagination");
            if (!pagination.get("hasNext").asBoolean()) {
                break;
            }
            final JsonNode next = pagination.get("nextKeyset");
            query = "?limit=2&sortBy=" + sortBy + "&sortOrder=" + order + "&lastId=" + next.get("id").asLong()
                + "&lastValue=" + URLEncoder.encode(next.get("value").asText(), StandardCharsets.UTF_8);
        }
        assertThat(String.join(" ", seen)).isEqualTo(expected);
    }

    @Test
    void shouldFilterByStoreAndSinceWhenRequested() {
        purchases();
        final Answer current = get("/api/v1/insiders/" + ROOT + "/behavior?store_filter=current");
        assertThat(current.at("/data/purchase_behavior/data")).hasSize(3);
        assertThat(current.at("/data/purchase_behavior/summary_stats/total_purchases").asInt()).isEqualTo(3);
        final Answer since = get("/api/v1/insiders/" + ROOT + "/behavior?since=2025-06-02T00:00:00Z");
        assertThat(since.at("/data/purchase_behavior/data")).hasSize(3);
        assertThat(since.at("/data/purchase_behavior/summary_stats/other_partner_purchases").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit=0|limit|Invalid limit value (must be 1-200)",
        "limit=201|limit|Invalid limit value (must be 1-200)",
        "sortBy=price|sortBy|Invalid sortBy parameter",
        "sortOrder=random|sortOrder|Invalid sortOrder parameter",
        "store_filter=mine|store_filter|Invalid store_filter parameter",
        "since=01/02/2025|since|Invalid since timestamp format",
        "lastId=3|lastValue|Invalid lastId or lastValue for pagination",
        "lastValue=2025-06-01T00:00:00Z|lastId|Invalid lastId or lastValue for pagination",
        "lastId=x&lastValue=2025-06-01T00:00:00Z|lastId|Invalid lastId or lastValue for pagination",
        "lastId=3&lastValue=june|lastValue|Invalid lastId or lastValue for pagination"})
    void shouldAnswer400NamingFieldWhenBehaviorParameterIsInvalid(final String query, final String field,
                                                                 final String details) {
        assertBadRequest(get("/api/v1/insiders/" + ROOT + "/behavior?" + query), field, details);
    }

    @Test
    void shouldAnswer400And404WhenBehaviorCannotBeServed() {
        assertBadRequest(get("/api/v1/insiders/zzz/behavior"), "insider_id", "Invalid UUID format for insider_id");
        assertThat(get("/api/v1/insiders/" + id(404) + "/behavior").status()).isEqualTo(404);
        assertSameAsUnknown(api.client.get("/api/v1/insiders/" + id(6) + "/behavior",
            Map.of("X-API-Key", Fixtures.BRAND_KEY)), api.client.get("/api/v1/insiders/" + id(404) + "/behavior",
            Map.of("X-API-Key", Fixtures.BRAND_KEY)));
    }

    // ---- auth, limits, failures, service routes ----

    @Test
    void shouldAnswer401WhenKeyIsMissingOrUnknown() {
        for (final Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-API-Key", "wrong"),
            Map.of("Authorization", "Bearer wrong"), Map.of("Authorization", "Basic " + Fixtures.KEY))) {
            final Answer a = api.client.get("/api/v1/insiders/" + ROOT, headers);
            assertThat(a.status()).isEqualTo(401);
            // RFC 9110: a 401 carries the challenges of the ways a key can be sent
            assertThat(a.wwwAuthenticate()).isEqualTo("Bearer realm=\"insider-network-api\", "
                + "ApiKey realm=\"insider-network-api\", header=\"X-API-Key\"");
            assertThat(a.at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(a.at("/error/message").asText())
                .isEqualTo("Authentication required. Please provide a valid API key.");
        }
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenKeyExceedsItsRate() {
        final Map<String, String> slow = Map.of("X-API-Key", Fixtures.SLOW_KEY);
        Answer last = null;
        for (int i = 0; i < 5; i++) {
            last = api.client.get("/api/v1/insiders/" + ROOT, slow);
            if (last.status() == 429) {
                break;
            }
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.at("/error/code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(last.at("/error/retry_after").asInt()).isPositive();
        assertThat(last.retryAfter()).isEqualTo(last.at("/error/retry_after").asText());
        // other keys keep their own budget
        assertThat(get("/api/v1/insiders/" + ROOT).status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer404EnvelopeWhenRouteIsUnknown() {
        final Answer a = get("/api/v1/unknown");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.at("/error/code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenStoresAreRebalancing() {
        api.stores.failure = new StoreUnavailableException("rebalancing");
        for (final String path : List.of("/api/v1/networks/dump", "/api/v1/insiders/" + ROOT,
            "/api/v1/networks/updates/since/2025-07-01T00:00:00Z")) {
            final Answer a = get(path);
            assertThat(a.status()).as(path).isEqualTo(503);
            assertThat(a.at("/error/code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(a.retryAfter()).isEqualTo("2");
            assertThat(a.at("/error/retry_after").asInt()).isEqualTo(2);
        }
        assertThat(get("/health/ready").status()).isEqualTo(503);
    }

    @Test
    void shouldAnswer500WithOnlyRequestIdWhenReadFailsUnexpectedly() {
        api.stores.failure = new IllegalStateException("rocksdb exploded at /secret/path");
        final Answer a = get("/api/v1/networks/dump");
        assertThat(a.status()).isEqualTo(500);
        assertThat(a.at("/error/code").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(a.at("/error/request_id").asText()).isNotBlank().isEqualTo(a.at("/meta/request_id").asText());
        assertThat(a.raw()).doesNotContain("rocksdb").doesNotContain("secret").doesNotContain("Exception");
    }

    @Test
    void shouldServeOpenApiMetricsAndHealthWithoutKey() {
        final Answer openApi = api.client.get("/openapi.json", Map.of());
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.at("/openapi").asText()).startsWith("3.");
        assertThat(openApi.at("/paths").has("/api/v1/insiders/{insider_id}/network")).isTrue();
        get("/api/v1/insiders/" + ROOT);
        final Answer metrics = api.client.get("/metrics", Map.of());
        assertThat(metrics.status()).isEqualTo(200);
        // Micrometer's standard HTTP server timer: route template, method, status, and histogram buckets (p99)
        assertThat(metrics.raw()).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*"
            + "status=\"200\"[^}]*uri=\"/api/v1/insiders/\\{insider_id}\"[^}]*} 1");
        assertThat(metrics.raw()).containsPattern("http_server_requests_seconds_bucket\\{[^}]*"
            + "uri=\"/api/v1/insiders/\\{insider_id}\",le=\"[0-9.]+\"} 1");
        assertThat(api.client.get("/health/live", Map.of()).status()).isEqualTo(200);
        assertThat(api.client.get("/health/ready", Map.of()).at("/status").asText()).isEqualTo("UP");
    }

    @Test
    void shouldRejectInternalRoutesWithoutPeerToken() {
        assertThat(api.client.get("/internal/v1/dump?sortBy=joined_date", Map.of()).status()).isEqualTo(401);
    }
}
