package io.insidernetwork.api.it;

import static io.insidernetwork.api.Fixtures.edge;
import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static io.insidernetwork.api.Fixtures.purchase;
import static io.insidernetwork.api.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.auth.PeerAuth;
import io.insidernetwork.api.query.Dtos.Edge;
import io.insidernetwork.api.query.NetworkExpansion;
import io.insidernetwork.api.query.NetworkExpansion.Reached;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three api-sink processes on the real broker share the partitions: every instance answers every insider (forwarding
 * once to the owner), the dump and the change feed merge all instances into one order, a connection shows its
 * target's own figures read where the target is hosted, a forwarded request is never forwarded again, and after one
 * instance is killed (SIGKILL) the other two take over and answer everything again.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(KafkaBrokerExtension.class)
class MultiInstanceIT {

    private static final int INSIDERS = 30;
    private static final Instant T0 = Instant.now().minus(Duration.ofDays(10))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private final Map<String, List<Edge>> adjacency = new HashMap<>();

    @Test
    void shouldAnswerEveryKeyFromEveryInstanceBeforeAndAfterOneIsKilled(final KafkaBroker broker,
                                                                       @TempDir final Path dir) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("multi") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(
                    topics.insiderState().name(), topics.connectionState().name(), topics.purchases().name(),
                    topics.networkUpdates().name())).allTopicNames().get().values().stream()
                .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())));
        }
        produceGraph(broker.bootstrapServers(), topics);
        try (TestCluster cluster = TestCluster.start(3, broker.bootstrapServers(), prefix, dir, "")) {
            final List<ContractClient> clients = cluster.instances().stream()
                .map(i -> new ContractClient(i.port())).toList();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> clients.forEach(this::assertAnswersEverything));
            assertForwardedRequestsAreNeverForwardedAgain(clients);
            clients.forEach(this::assertScopedKeyIsToldOnlyItsNetwork);

            cluster.kill(0);
            final List<ContractClient> survivors = clients.subList(1, 3);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> survivors.forEach(this::assertAnswersEverything));
        }
    }

    private void produceGraph(final String bootstrap, final Topics topics) {
        try (GraphProducer out = new GraphProducer(bootstrap, topics)) {
            for (int n = 1; n <= INSIDERS; n++) {
                final String network = n % 10 == 0 ? "brand-b" : "brand-a";
                // each insider's own figures, which a connection to it shows (the connections hold stale copies)
                final InsiderState state = insider(id(n), network, 1024L * n + n % 3, T0.plusSeconds(3600L * n),
                    n % 4 == 0 ? SignupStatus.INVITED : SignupStatus.SIGNED_UP);
                state.setConversionRate(n / 100.0);
                state.setTotalGeneratedAmount(new BigDecimal(n).setScale(4));
                out.byInsider(topics.insiderState(), id(n), state, T0.toEpochMilli());
                // sizes dated before the feed's window, so whether they add an entry does not change the feed read
                out.byInsider(topics.networkSizes(), id(n), Fixtures.sizes(id(n), n, 2L * n, 3L * n,
                    T0.minusSeconds(n)), T0.toEpochMilli());
                for (final int target : new int[] {n * 7 % INSIDERS + 1, n * 13 % INSIDERS + 1}) {
                    if (target == n) {
                        continue;
                    }
                    final ConnectionState c = edge(id(n), id(target), (n * target % 97) / 100.0, T0.plusSeconds(n));
                    out.ofInsider(topics.connectionState(), id(n), id(target), c, T0.toEpochMilli());
                    adjacency.computeIfAbsent(id(n), k -> new ArrayList<>()).add(Edge.of(c));
                }
                final PurchaseRecord p = purchase(id(n), n, "brand-b", "store-" + n, T0.plusSeconds(60L * n), "25");
                out.ofInsider(topics.purchases(), id(n), p.getEventId(), p, T0.toEpochMilli());
                out.byInsider(topics.networkUpdates(), id(n), update(id(n), network, T0.plusSeconds(n), id(n + 1)),
                    T0.plusSeconds(n).toEpochMilli());
            }
        }
    }

    private void assertAnswersEverything(final ContractClient client) {
        for (int n = 1; n <= INSIDERS; n++) {
            final Answer profile = client.get("/api/v1/insiders/" + id(n));
            assertThat(profile.status()).as(profile.raw()).isEqualTo(200);
            assertThat(profile.at("/data/joined_date").asText()).isEqualTo(T0.plusSeconds(3600L * n).toString());
            assertThat(profile.at("/data/profile/network_size/first_degree").asLong()).isEqualTo(n);
            assertThat(profile.at("/data/profile/network_size/third_degree").asLong()).isEqualTo(3L * n);
            final Answer behavior = client.get("/api/v1/insiders/" + id(n) + "/behavior");
            assertThat(behavior.at("/data/purchase_behavior/data/0/store_name").asText()).isEqualTo("store-" + n);
        }
        for (final int root : new int[] {1, 2, 3, 10}) {
            for (int d = 1; d <= 3; d++) {
                final int degree = d;
                final List<Reached> expected = NetworkExpansion.expand(id(root), degree,
                    ids -> {
                        final Map<String, List<Edge>> out = new HashMap<>();
                        ids.forEach(i -> out.put(i, adjacency.getOrDefault(i, List.of())));
                        return out;
                    });
                final Answer network = client.get("/api/v1/insiders/" + id(root) + "/network?degree=" + degree
                    + "&limit=200");
                assertThat(network.status()).as(network.raw()).isEqualTo(200);
                assertThat(network.at("/pagination/hasNext").asBoolean()).isFalse();
                final List<String> got = new ArrayList<>();
                network.at("/data/network_analysis/connections").forEach(c -> got.add(c.get("insider_id").asText()
                    + "<" + c.path("connecting_through").asText("")));
                assertThat(got).containsExactlyElementsOf(expected.stream()
                    .map(r -> r.id() + "<" + (degree == 1 ? "" : r.through())).toList());
                // the target's status and figures come from the instance hosting the target
                network.at("/data/network_analysis/connections").forEach(MultiInstanceIT::assertTargetFigures);
                // activities of other partners come from the instance hosting each connection
                network.at("/data/network_analysis/connections").forEach(c -> assertThat(
                    c.at("/last_shared/other_partners/pagination/count").asInt()).isEqualTo(root % 10 == 0 ? 0 : 1));
                if (root % 10 != 0) {
                    network.at("/data/network_analysis/connections").forEach(c -> assertThat(
                        c.at("/last_shared/other_partners/data/0/order_summary").asText()).startsWith("order "));
                }
            }
        }
        final List<String> dumped = new ArrayList<>();
        String query = "?limit=7";
        for (int page = 0; page < 10; page++) {
            final Answer a = client.get("/api/v1/networks/dump" + query);
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            a.at("/data/insiders").fieldNames().forEachRemaining(dumped::add);
            if (!a.at("/pagination/hasNext").asBoolean()) {
                break;
            }
            final JsonNode k = a.at("/pagination/nextKeyset");
            query = "?limit=7&lastId=" + k.get("id").asLong() + "&lastValue="
                + URLEncoder.encode(k.get("value").asText(), StandardCharsets.UTF_8);
        }
        final List<String> newestFirst = new ArrayList<>();
        for (int n = INSIDERS; n >= 1; n--) {
            newestFirst.add(id(n));
        }
        assertThat(dumped).containsExactlyElementsOf(newestFirst);
        final List<String> fed = new ArrayList<>();
        String cursor = "";
        final String since = URLEncoder.encode(T0.toString(), StandardCharsets.UTF_8);
        for (int page = 0; page < 10; page++) {
            final Answer a = client.get("/api/v1/networks/updates/since/" + since + "?limit=8" + cursor);
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            a.at("/data/updates").forEach(u -> fed.add(u.get("insider_id").asText()));
            if (!a.at("/pagination/hasNext").asBoolean()) {
                break;
            }
            cursor = "&cursor=" + a.at("/pagination/nextCursor").asText();
        }
        final List<String> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        assertThat(fed).containsExactlyElementsOf(oldestFirst);
        assertSummaryCountsEveryInstance(client);
    }

    /** The summary merges every instance's partitions: totals and the leaders of each network. */
    private void assertSummaryCountsEveryInstance(final ContractClient client) {
        final Answer a = client.get("/api/v1/networks/summary?top=2");
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        assertThat(a.at("/data/insiders").asLong()).isEqualTo(INSIDERS);
        // one connection per source and target (insiders n with 7n = 13n mod 30 produce the same edge twice)
        assertThat(a.at("/data/connections").asLong()).isEqualTo(adjacency.values().stream()
            .mapToLong(edges -> edges.stream().map(Edge::target).distinct().count()).sum());
        final Map<String, List<String>> leaders = new HashMap<>();
        a.at("/data/networks").forEach(n -> n.path("top_by_first_degree").forEach(l -> leaders
            .computeIfAbsent(n.path("network_id").asText(), k -> new ArrayList<>()).add(l.path("insider_id").asText())));
        // generated amount and first degree both grow with n: the two largest n of each network lead
        final List<Integer> brandA = new ArrayList<>();
        final List<Integer> brandB = new ArrayList<>();
        for (int n = INSIDERS; n >= 1; n--) {
            (n % 10 == 0 ? brandB : brandA).add(n);
        }
        assertThat(leaders).containsOnlyKeys("brand-a", "brand-b");
        assertThat(leaders.get("brand-a")).containsExactly(id(brandA.get(0)), id(brandA.get(1)));
        assertThat(leaders.get("brand-b")).containsExactly(id(brandB.get(0)), id(brandB.get(1)));
    }

    /**
     * A key of brand-a (insiders 10, 20 and 30 are brand-b): the networks of connections are read where each insider
     * is hosted, so brand-b insiders on a path are counted, not described, from every instance.
     */
    private void assertScopedKeyIsToldOnlyItsNetwork(final ContractClient client) {
        final Map<String, String> brandA = Map.of("X-API-Key", Fixtures.BRAND_KEY);
        assertThat(client.get("/api/v1/insiders/" + id(10), brandA).status()).isEqualTo(404);
        for (final int root : new int[] {1, 2, 3}) {
            for (int d = 1; d <= 3; d++) {
                final List<Reached> all = NetworkExpansion.expand(id(root), d, ids -> {
                    final Map<String, List<Edge>> out = new HashMap<>();
                    ids.forEach(i -> out.put(i, adjacency.getOrDefault(i, List.of())));
                    return out;
                });
                final List<String> visible = all.stream()
                    .filter(r -> !isBrandB(r.id()) && !isBrandB(r.through())).map(Reached::id).toList();
                final Answer network = client.get("/api/v1/insiders/" + id(root) + "/network?degree=" + d
                    + "&limit=200", brandA);
                assertThat(network.status()).as(network.raw()).isEqualTo(200);
                assertThat(network.at("/pagination/hasNext").asBoolean()).isFalse();
                final List<String> got = new ArrayList<>();
                network.at("/data/network_analysis/connections").forEach(c -> got.add(c.get("insider_id").asText()));
                assertThat(got).containsExactlyElementsOf(visible);
                network.at("/data/network_analysis/connections").forEach(MultiInstanceIT::assertTargetFigures);
                assertThat(network.at("/data/network_analysis/out_of_scope").asInt())
                    .isEqualTo(all.size() - visible.size());
                // every purchase is at brand-b: none is shown to a brand-a key
                assertThat(network.raw()).doesNotContain("order ").doesNotContain(id(10)).doesNotContain(id(20))
                    .doesNotContain(id(30));
            }
        }
    }

    /** A connection to insider n shows n's own figures: rate n/100, total generated n, INVITED when n % 4 == 0. */
    private static void assertTargetFigures(final JsonNode connection) {
        final int n = Integer.parseInt(connection.get("insider_id").asText().substring(24));
        assertThat(connection.get("signup_status").asText()).isEqualTo(n % 4 == 0 ? "INVITED" : "SIGNED_UP");
        assertThat(connection.at("/performance_metrics/partner_conversion_rate").asDouble()).isEqualTo(n / 100.0);
        assertThat(connection.at("/performance_metrics/total_generated").decimalValue())
            .isEqualByComparingTo(new BigDecimal(n));
    }

    private static boolean isBrandB(final String id) {
        return id.equals(id(10)) || id.equals(id(20)) || id.equals(id(30));
    }

    private static void assertForwardedRequestsAreNeverForwardedAgain(final List<ContractClient> clients) {
        final String token = new PeerAuth(Fixtures.SECRET).token();
        for (int n = 1; n <= INSIDERS; n++) {
            int owners = 0;
            for (final ContractClient client : clients) {
                final Answer a = client.get("/api/v1/insiders/" + id(n),
                    Map.of("X-API-Key", Fixtures.KEY, PeerAuth.HEADER, token));
                assertThat(a.status()).as(a.raw()).isIn(200, 503);
                owners += a.status() == 200 ? 1 : 0;
            }
            assertThat(owners).as("instances answering a forwarded request for " + id(n)).isEqualTo(1);
        }
    }
}
