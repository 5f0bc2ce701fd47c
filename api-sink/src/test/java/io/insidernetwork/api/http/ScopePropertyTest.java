package io.insidernetwork.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstancePurchased;
import io.insidernetwork.schemas.graph.LastSharedAcrossNetwork;
import io.insidernetwork.schemas.graph.LastSharedWithPartner;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Issue 13 section 4 as a property: two partner networks, keys of each scope and a key of every network, random
 * graphs whose connections and purchases cross networks. Every text of a brand-x record carries "brand-x" and every
 * amount of a network lies in its own band (brand-a ≥ 1000, brand-b &lt; 100), so an answer to a scoped key that
 * contains another network's insider id, text or amount is found wherever it appears. Each try runs the real server
 * over the real topology and asks every endpoint for every insider.
 */
class ScopePropertyTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
    private static final List<String> NETWORKS = List.of("brand-a", "brand-b");
    private static final Map<String, String> KEYS = Map.of("brand-a", Fixtures.BRAND_KEY,
        "brand-b", Fixtures.BRAND_B_KEY, "*", Fixtures.KEY);
    private static final Set<String> OPAQUE = Set.of("request_id", "nextToken", "previousToken", "nextCursor",
        "previousCursor");
    private static final Pattern NUMBER = Pattern.compile("[0-9][0-9,]*(\\.[0-9]+)?");

    /** A generated graph: insider i is in network {@code networks.get(i)}. */
    record Graph(List<Integer> networks, List<int[]> edges, List<int[]> purchases) {
        @Override
        public String toString() {
            final StringBuilder b = new StringBuilder("networks=" + networks + " edges=");
            edges.forEach(e -> b.append(e[0]).append("->").append(e[1]).append(' '));
            b.append("purchases=");
            purchases.forEach(p -> b.append(p[0]).append('@').append(NETWORKS.get(p[1])).append(' '));
            return b.toString();
        }
    }

    @Provide
    Arbitrary<Graph> graphs() {
        return Arbitraries.integers().between(2, 7).flatMap(n -> {
            final Arbitrary<List<Integer>> networks = Arbitraries.integers().between(0, 1).list().ofSize(n);
            final Arbitrary<int[]> edge = Combinators.combine(Arbitraries.integers().between(0, n - 1),
                Arbitraries.integers().between(0, n - 1)).as((s, t) -> new int[] {s, t}).filter(e -> e[0] != e[1]);
            final Arbitrary<int[]> purchase = Combinators.combine(Arbitraries.integers().between(0, n - 1),
                Arbitraries.integers().between(0, 1)).as((i, network) -> new int[] {i, network});
            return Combinators.combine(networks, edge.list().ofMaxSize(3 * n), purchase.list().ofMaxSize(2 * n))
                .as(Graph::new);
        });
    }

    @Property(tries = 25, shrinking = ShrinkingMode.BOUNDED)
    void shouldShowNoOutOfScopeIdTextOrAmountWhenAnyKeyReadsAnyEndpoint(@ForAll("graphs") final Graph graph)
        throws IOException {
        final Path dir = Files.createTempDirectory("scope-property");
        try (ApiHarness api = new ApiHarness(dir)) {
            load(api, graph);
            for (final Map.Entry<String, String> key : KEYS.entrySet()) {
                final String scope = key.getKey();
                for (final Answer a : readEverything(api, graph, key.getValue())) {
                    assertThat(a.status()).as(a.raw()).isIn(200, 404);
                    if (!"*".equals(scope)) {
                        assertShowsOnly(a, scope, graph);
                    }
                }
                // every insider of the key's scope stays readable: the property cannot pass by hiding everything
                for (int i = 0; i < graph.networks().size(); i++) {
                    final boolean visible = "*".equals(scope) || scope.equals(network(graph, i));
                    assertThat(api.client.get("/api/v1/insiders/" + id(i), Map.of("X-API-Key", key.getValue()))
                        .status()).isEqualTo(visible ? 200 : 404);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static List<Answer> readEverything(final ApiHarness api, final Graph graph, final String key) {
        final Map<String, String> headers = Map.of("X-API-Key", key);
        final List<Answer> answers = new ArrayList<>();
        answers.add(api.client.get("/api/v1/networks/dump?limit=1000", headers));
        answers.add(api.client.get("/api/v1/networks/dump?limit=1000&sortBy=network_id&sortOrder=asc", headers));
        answers.add(api.client.get("/api/v1/networks/updates/since/" + T0 + "?limit=200", headers));
        for (int i = 0; i < graph.networks().size(); i++) {
            final String base = "/api/v1/insiders/" + id(i);
            answers.add(api.client.get(base, headers));
            answers.add(api.client.get(base + "/behavior?limit=200", headers));
            answers.add(api.client.get(base + "/behavior?limit=200&store_filter=current", headers));
            for (int degree = 1; degree <= 3; degree++) {
                answers.add(api.client.get(base + "/network?degree=" + degree + "&limit=200", headers));
            }
        }
        return answers;
    }

    private static void assertShowsOnly(final Answer a, final String scope, final Graph graph) {
        final String other = NETWORKS.get(1 - NETWORKS.indexOf(scope));
        final List<String> hiddenIds = new ArrayList<>();
        for (int i = 0; i < graph.networks().size(); i++) {
            if (other.equals(network(graph, i))) {
                hiddenIds.add(id(i));
            }
        }
        walk(a.body(), null, (name, text) -> {
            assertThat(text).as("%s in %s", name, a.raw()).doesNotContain(other);
            for (final String hidden : hiddenIds) {
                assertThat(text).as("%s in %s", name, a.raw()).doesNotContain(hidden);
            }
            final boolean amount = name != null && (name.contains("spending") || name.contains("amount"));
            if (amount && !name.endsWith("_updated")) {
                final Matcher m = NUMBER.matcher(text);
                while (m.find()) {
                    final double value = Double.parseDouble(m.group().replace(",", ""));
                    // brand-a amounts are >= 1000 each, brand-b amounts < 100 each (sums of up to 14 stay < 1000)
                    assertThat("brand-a".equals(scope) ? value == 0 || value >= 1000 : value < 1000)
                        .as("amount %s of %s in %s", value, name, a.raw()).isTrue();
                }
            }
        });
    }

    /** Calls {@code check} with (field name, text) for every field name and every scalar value. */
    private static void walk(final JsonNode node, final String name, final BiConsumer<String, String> check) {
        if (node == null || (name != null && OPAQUE.contains(name))) {
            return;
        }
        if (node.isObject()) {
            final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                final Map.Entry<String, JsonNode> f = fields.next();
                check.accept("<field name>", f.getKey());
                walk(f.getValue(), f.getKey(), check);
            }
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, name, check));
        } else if (!node.isNull()) {
            check.accept(name, node.asText());
        }
    }

    private static void load(final ApiHarness api, final Graph graph) {
        final int n = graph.networks().size();
        final List<List<String>> outgoing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outgoing.add(new ArrayList<>());
        }
        graph.edges().forEach(e -> {
            if (!outgoing.get(e[0]).contains(id(e[1]))) {
                outgoing.get(e[0]).add(id(e[1]));
            }
        });
        for (int i = 0; i < n; i++) {
            api.insider(insider(i, network(graph, i), outgoing.get(i)));
            api.update(io.insidernetwork.api.Fixtures.update(id(i), network(graph, i), T0.plusSeconds(60L * i),
                outgoing.get(i).isEmpty() ? "@nobody" : outgoing.get(i).get(0)));
        }
        int k = 0;
        for (final int[] e : graph.edges()) {
            final String network = network(graph, e[0]);
            final ConnectionState c = Fixtures.edge(id(e[0]), id(e[1]), 0.1 + 0.1 * (k++ % 9), T0.plusSeconds(k));
            c.setNetworkId(network);
            c.setLastSharedInstanceId("sku of " + network);
            c.setTotalGenerated(amount(network, k));
            api.edge(c);
        }
        long seq = 1;
        for (final int[] p : graph.purchases()) {
            final String network = NETWORKS.get(p[1]);
            final PurchaseRecord r = Fixtures.purchase(id(p[0]), seq, network, "store of " + network,
                T0.plusSeconds(3600 * seq), "1");
            r.setAmount(amount(network, (int) seq));
            r.setCurrency("brand-a".equals(network) ? "EUR" : "GBP");
            r.setOrderSummary("order at " + network);
            r.setCampaignSummary("campaign of " + network);
            r.setBehaviorSummary("behaviour at " + network);
            r.setSpendingRange("range of " + network);
            r.setStoreCategory("category of " + network);
            r.setInstanceId("sku of " + network);
            r.setCampaignId("campaign-id of " + network);
            api.purchase(r);
            seq++;
        }
    }

    private static InsiderState insider(final int i, final String network, final List<String> sharedWith) {
        final InsiderState s = ScopeTest.insider(id(i), network, i + 1, sharedWith);
        final Instant at = s.getTimeUpdated();
        s.setInstancesPurchased(List.of(new InstancePurchased("sku of " + network, at, "campaign of " + network, at)));
        s.setLastSharedWithPartner(new LastSharedWithPartner(at, network, "sku of " + network, at));
        s.setLastSharedAcrossNetwork(new LastSharedAcrossNetwork(at, "shared at " + network, null, 1L, at));
        s.setTotalPurchaseAmount(amount(network, i));
        s.setTotalGeneratedAmount(amount(network, i));
        s.setUserValue(amount(network, i));
        s.setSignupStatus(SignupStatus.SIGNED_UP);
        return s;
    }

    // brand-a amounts are >= 1000, brand-b amounts < 100, so any sum tells which network's amounts it holds
    private static BigDecimal amount(final String network, final int k) {
        return new BigDecimal("brand-a".equals(network) ? 1000 + k % 50 : 1 + k % 50).setScale(4);
    }

    private static String network(final Graph graph, final int i) {
        return NETWORKS.get(graph.networks().get(i));
    }

    private static String id(final int i) {
        return Fixtures.id(100 + i);
    }

    private static void deleteTree(final Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
