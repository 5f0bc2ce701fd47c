package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.edge;
import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Paging of {@code /insiders/{id}/network} (issue 16, section 2): a random graph of insiders of two networks and
 * recipients known only by handles, with tied weights; every page of every degree is walked and what the pages list
 * (connections + anonymous_connections) plus out_of_scope must be exactly the set at that shortest distance, of the
 * size network_size says (computed here by an independent breadth-first search, as graph-stream's DegreeGraph counts).
 */
class NetworkPagingTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
    private static final String ROOT = id(1);
    private static final int INSIDERS = 120;
    private static final int HANDLES = 40;

    @TempDir
    Path stateDir;
    private ApiHarness api;
    private final Map<String, List<String>> adjacency = new HashMap<>();
    private final Map<String, String> networkOf = new HashMap<>();

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        final Random random = new Random(16);
        for (int n = 2; n <= INSIDERS; n++) {
            final String network = n % 5 == 0 ? "brand-b" : "brand-a";
            networkOf.put(id(n), network);
            api.insider(insider(id(n), network, n, T0.plusSeconds(n)));
        }
        networkOf.put(ROOT, "brand-a");
        for (int n = 1; n <= INSIDERS; n++) {
            final int fanOut = n == 1 ? 25 : random.nextInt(4);
            for (int k = 0; k < fanOut; k++) {
                final String target = random.nextInt(4) == 0 ? "@h-" + random.nextInt(HANDLES)
                    : id(2 + random.nextInt(INSIDERS - 1));
                if (target.equals(id(n)) || adjacency.getOrDefault(id(n), List.of()).contains(target)) {
                    continue;
                }
                // few distinct weights, so many paths tie and the id breaks the tie
                final double weight = 0.1 * (1 + random.nextInt(5));
                final ConnectionState e = edge(id(n), target, weight, T0.plusSeconds(1000L + n));
                api.edge(e);
                adjacency.computeIfAbsent(id(n), x -> new ArrayList<>()).add(target);
            }
        }
        final List<Set<String>> levels = levels();
        final InsiderState root = insider(ROOT, "brand-a", 1, T0);
        api.insider(root);
        // the profile's counts are the root's NetworkSizes record (its state's own network_size is stale)
        api.sizes(Fixtures.sizes(ROOT, levels.get(1).size(), levels.get(2).size(), levels.get(3).size(),
            T0.plusSeconds(5000)));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** The ids at shortest distance 1, 2, 3 from the root (index 0 unused). */
    private List<Set<String>> levels() {
        final List<Set<String>> levels = new ArrayList<>();
        final Set<String> seen = new HashSet<>(Set.of(ROOT));
        Set<String> frontier = Set.of(ROOT);
        levels.add(frontier);
        for (int d = 1; d <= 3; d++) {
            final Set<String> next = new HashSet<>();
            for (final String node : frontier) {
                for (final String target : adjacency.getOrDefault(node, List.of())) {
                    if (seen.add(target)) {
                        next.add(target);
                    }
                }
            }
            levels.add(next);
            frontier = next;
        }
        return levels;
    }

    @ParameterizedTest
    @CsvSource({"1,7", "2,7", "3,7", "1,200", "2,11", "3,13"})
    void shouldListEveryoneAtEachDegreeOnceAcrossPagesAsNetworkSizeCounts(final int degree, final int limit) {
        for (final String key : List.of(Fixtures.KEY, Fixtures.BRAND_KEY)) {
            final Set<String> listed = new HashSet<>();
            long outOfScope = -1;
            String token = null;
            int pages = 0;
            do {
                final Answer a = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=" + degree + "&limit="
                    + limit + (token == null ? "" : "&connectionsToken=" + enc(token)), Map.of("X-API-Key", key));
                assertThat(a.status()).as(a.raw()).isEqualTo(200);
                final JsonNode analysis = a.at("/data/network_analysis");
                for (final JsonNode c : analysis.get("connections")) {
                    final String id = c.get("insider_id").asText();
                    assertThat(Params.isUuid(id)).as(id).isTrue();
                    assertThat(listed.add(id)).as("listed twice: " + id).isTrue();
                    if (degree > 1) {
                        assertThat(Params.isUuid(c.get("connecting_through").asText())).isTrue();
                    }
                }
                for (final JsonNode c : analysis.get("anonymous_connections")) {
                    final String recipient = c.get("recipient").asText();
                    assertThat(Params.isUuid(recipient)).as(recipient).isFalse();
                    assertThat(listed.add(recipient)).as("listed twice: " + recipient).isTrue();
                }
                assertThat(a.at("/pagination/count").asInt())
                    .isEqualTo(analysis.get("connections").size() + analysis.get("anonymous_connections").size())
                    .isLessThanOrEqualTo(limit);
                outOfScope = analysis.get("out_of_scope").asLong();
                token = a.at("/pagination/hasNext").asBoolean() ? a.at("/pagination/nextToken").asText() : null;
                pages++;
                assertThat(pages).isLessThan(500);
            } while (token != null);
            final List<Set<String>> levels = levels();
            final Answer profile = api.client.get("/api/v1/insiders/" + ROOT, Map.of("X-API-Key", key));
            final long size = profile.at("/data/profile/network_size/"
                + List.of("", "first_degree", "second_degree", "third_degree").get(degree)).asLong();
            assertThat(listed.size() + outOfScope).as("degree %d, key %s", degree, key).isEqualTo(size);
            assertThat(levels.get(degree)).containsAll(listed);
            if (key.equals(Fixtures.KEY)) {
                assertThat(outOfScope).isZero();
                assertThat(listed).isEqualTo(levels.get(degree));
            } else {
                assertThat(listed).noneMatch(id -> "brand-b".equals(networkOf.get(id)));
            }
        }
    }

    @Test
    void shouldAnswerASmallBestFirstPageByDefaultAndPageBackAndForth() {
        final String base = "/api/v1/insiders/" + ROOT + "/network?degree=2";
        final Answer first = api.client.get(base);
        assertThat(first.at("/pagination/count").asInt()).isEqualTo(NetworkHandler.DEFAULT_LIMIT);
        assertThat(first.at("/pagination/limit").asInt()).isEqualTo(NetworkHandler.DEFAULT_LIMIT);
        assertThat(first.at("/pagination/total").asInt()).isGreaterThan(NetworkHandler.DEFAULT_LIMIT);
        assertThat(first.at("/pagination/hasPrevious").asBoolean()).isFalse();
        assertThat(first.at("/pagination/previousToken").isNull()).isTrue();
        assertThat(first.at("/pagination/sortBy").asText()).isEqualTo("path_weight");
        final Answer second = api.client.get(base + "&connectionsToken=" + enc(first.at("/pagination/nextToken")
            .asText()));
        assertThat(second.at("/pagination/hasPrevious").asBoolean()).isTrue();
        // best path weight first: each list in order, and the second page after the first
        final List<List<Double>> pageWeights = new ArrayList<>();
        for (final Answer a : List.of(first, second)) {
            final List<Double> all = new ArrayList<>();
            for (final String list : List.of("connections", "anonymous_connections")) {
                final List<Double> weights = new ArrayList<>();
                a.at("/data/network_analysis/" + list).forEach(e -> weights.add(e.get("path_weight").asDouble()));
                assertThat(weights).isSortedAccordingTo(java.util.Comparator.reverseOrder());
                all.addAll(weights);
            }
            pageWeights.add(all);
        }
        assertThat(pageWeights.get(1).stream().mapToDouble(Double::doubleValue).max().orElseThrow())
            .isLessThanOrEqualTo(pageWeights.get(0).stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        final Answer back = api.client.get(base + "&connectionsToken=" + enc(second.at("/pagination/previousToken")
            .asText()));
        assertThat(back.at("/data/network_analysis").toString())
            .isEqualTo(first.at("/data/network_analysis").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "degree=1&limit=0|limit|Invalid limit value (must be 1-10000)",
        "degree=1&limit=10001|limit|Invalid limit value (must be 1-10000)",
        "degree=1&limit=ten|limit|Invalid limit value (must be 1-10000)",
        "degree=1&connectionsToken=garbage|connectionsToken|Invalid connectionsToken format",
        "degree=1&connectionsToken=abc.def|connectionsToken|Invalid connectionsToken format"})
    void shouldAnswer400NamingFieldWhenPagingParameterIsInvalid(final String query, final String field,
                                                               final String details) {
        final Answer a = api.client.get("/api/v1/insiders/" + ROOT + "/network?" + query);
        assertThat(a.status()).as(a.raw()).isEqualTo(400);
        assertThat(a.at("/error/validation_errors/0/field").asText()).isEqualTo(field);
        assertThat(a.at("/error/details").asText()).isEqualTo(details);
    }

    @Test
    void shouldRefuseATokenOfAnotherDegreeInsiderOrSinceOrATamperedOne() {
        final Answer first = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=1&limit=3");
        final String token = first.at("/pagination/nextToken").asText();
        for (final String query : List.of("/api/v1/insiders/" + ROOT + "/network?degree=2&connectionsToken=",
            "/api/v1/insiders/" + id(2) + "/network?degree=1&connectionsToken=",
            "/api/v1/insiders/" + ROOT + "/network?degree=1&since=2025-07-01T00:00:00Z&connectionsToken=",
            "/api/v1/insiders/" + ROOT + "/network?degree=1&activitiesToken=")) {
            final Answer a = api.client.get(query + enc(token));
            assertThat(a.status()).as(query).isEqualTo(400);
        }
        final String tampered = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
        final Answer a = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=1&connectionsToken="
            + enc(tampered));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.at("/error/validation_errors/0/field").asText()).isEqualTo("connectionsToken");
    }

    private static String enc(final String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8);
    }
}
