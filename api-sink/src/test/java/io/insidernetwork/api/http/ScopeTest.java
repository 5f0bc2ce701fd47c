package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 section 4 as reported: a key scoped to brand-a asks the network of its own insider O, who shared with A
 * (brand-b), who shared with C (brand-b) and D (brand-a). A, C and D are counted (D's only connection comes from A),
 * never described; the same key gets 404 on A and C exactly as on an unknown id, and no answer names them.
 */
class ScopeTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
    private static final String O = id(1);
    private static final String A = id(2);
    private static final String C = id(3);
    private static final String D = id(4);
    private static final String E = id(5);
    private static final Map<String, String> SCOPED = Map.of("X-API-Key", Fixtures.BRAND_KEY);

    @TempDir
    Path stateDir;
    private ApiHarness api;

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        api.insider(insider(O, "brand-a", 1, List.of(A, E)));
        api.insider(insider(A, "brand-b", 2, List.of(C, D)));
        api.insider(insider(C, "brand-b", 3, List.of()));
        api.insider(insider(D, "brand-a", 4, List.of()));
        api.insider(insider(E, "brand-a", 5, List.of(C)));
        api.edge(edge(O, A, "brand-a", 0.9));
        api.edge(edge(O, E, "brand-a", 0.1));
        api.edge(edge(A, C, "brand-b", 0.9));
        api.edge(edge(A, D, "brand-b", 0.9));
        api.edge(edge(E, C, "brand-a", 0.9));
        api.purchase(purchase(C, 1, "brand-b", "Order o-1: sku-1 at shop for 5.00 EUR"));
        api.purchase(purchase(E, 2, "brand-b", "Order o-2: secret brand-b order"));
        api.purchase(purchase(E, 3, "brand-c", "Order o-3: brand-c order"));
        api.purchase(purchase(O, 4, "brand-b", "Order o-4: O at brand-b"));
        api.purchase(purchase(O, 5, "brand-a", "Order o-5: O at brand-a"));
        api.update(io.insidernetwork.api.Fixtures.update(O, "brand-a", T0.plusSeconds(10), A));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void shouldCountNotDescribeOutOfScopeInsidersWhenScopedKeyAsksDegreeTwo() {
        final Answer a = api.client.get("/api/v1/insiders/" + O + "/network?degree=2", SCOPED);
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        final JsonNode connections = a.at("/data/network_analysis/connections");
        // C (brand-b) and D (reached only from A, a brand-b insider) at degree 2: counted, not described
        assertThat(connections).isEmpty();
        assertThat(a.at("/data/network_analysis/out_of_scope").asInt()).isEqualTo(2);
        assertThat(a.raw()).doesNotContain(A).doesNotContain(C).doesNotContain(D).doesNotContain("o-1")
            .doesNotContain("brand-b");
        // the same question with a key of every network describes both, through A
        final Answer all = api.client.get("/api/v1/insiders/" + O + "/network?degree=2");
        final List<String> described = new ArrayList<>();
        all.at("/data/network_analysis/connections").forEach(c -> described.add(c.get("insider_id").asText()
            + "<" + c.get("connecting_through").asText()));
        assertThat(described).containsExactlyInAnyOrder(C + "<" + A, D + "<" + A);
        assertThat(all.at("/data/network_analysis/out_of_scope").asInt()).isZero();
        assertThat(all.raw()).contains("Order o-1");
    }

    @Test
    void shouldCountOutOfScopeAndHideOtherNetworksActivitiesWhenScopedKeyAsksDegreeOne() {
        final Answer a = api.client.get("/api/v1/insiders/" + O + "/network?degree=1", SCOPED);
        assertThat(a.status()).isEqualTo(200);
        final JsonNode connections = a.at("/data/network_analysis/connections");
        assertThat(connections).hasSize(1);
        assertThat(connections.get(0).get("insider_id").asText()).isEqualTo(E);
        // E's purchases at brand-b and brand-c are outside the key's scope: not listed as other-partner activity
        assertThat(connections.get(0).at("/last_shared/other_partners/data")).isEmpty();
        assertThat(a.at("/data/network_analysis/out_of_scope").asInt()).isEqualTo(1);
        assertThat(a.raw()).doesNotContain(A).doesNotContain("o-2").doesNotContain("o-3");
        final Answer all = api.client.get("/api/v1/insiders/" + O + "/network?degree=1");
        assertThat(all.at("/data/network_analysis/connections")).hasSize(2);
        assertThat(all.raw()).contains("Order o-2").contains("Order o-3");
    }

    @Test
    void shouldAnswerLikeUnknownWhenScopedKeyAsksAnotherNetworksInsider() {
        for (final String suffix : List.of("", "/network?degree=1", "/network?degree=2", "/behavior")) {
            final Answer unknown = api.client.get("/api/v1/insiders/" + id(404) + suffix, SCOPED);
            ApiContractTest.assertSameAsUnknown(api.client.get("/api/v1/insiders/" + A + suffix, SCOPED), unknown);
            ApiContractTest.assertSameAsUnknown(api.client.get("/api/v1/insiders/" + C + suffix, SCOPED), unknown);
        }
        assertThat(api.client.get("/api/v1/insiders/" + A).status()).isEqualTo(200);
    }

    @Test
    void shouldNameNoOtherNetworksInsiderOrPurchaseWhenScopedKeyReadsEveryEndpoint() {
        final List<Answer> answers = List.of(
            api.client.get("/api/v1/networks/dump", SCOPED),
            api.client.get("/api/v1/networks/updates/since/2025-07-01T00:00:00Z", SCOPED),
            api.client.get("/api/v1/insiders/" + O, SCOPED),
            api.client.get("/api/v1/insiders/" + O + "/behavior", SCOPED),
            api.client.get("/api/v1/insiders/" + E + "/network?degree=1", SCOPED));
        for (final Answer a : answers) {
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            assertThat(a.raw()).doesNotContain(A).doesNotContain(C).doesNotContain("brand-b").doesNotContain("o-4");
        }
        final Answer dump = answers.get(0);
        assertThat(dump.at("/data/insiders/" + O + "/connections")).hasSize(1);
        assertThat(answers.get(2).at("/data/profile/instances_shared/0/shared_with").toString())
            .isEqualTo("[\"" + E + "\"]");
        assertThat(answers.get(3).at("/data/purchase_behavior/summary_stats/total_purchases").asInt()).isEqualTo(1);
        assertThat(answers.get(3).raw()).contains("o-5");
        // the key of every network still sees all of it
        assertThat(api.client.get("/api/v1/networks/dump").at("/data/insiders/" + O + "/connections")).hasSize(2);
        assertThat(api.client.get("/api/v1/insiders/" + O + "/behavior")
            .at("/data/purchase_behavior/summary_stats/total_purchases").asInt()).isEqualTo(2);
    }

    static InsiderState insider(final String id, final String network, final long seq, final List<String> sharedWith) {
        final InsiderState s = Fixtures.insider(id, network, seq, T0.plusSeconds(seq), SignupStatus.SIGNED_UP);
        s.setInstancesShared(List.of(new InstanceShared("sku-" + network, (long) sharedWith.size(),
            List.of("instagram"), sharedWith, List.of(), s.getTimeUpdated(), (long) sharedWith.size(), 0L)));
        return s;
    }

    static ConnectionState edge(final String source, final String target, final String network, final double weight) {
        final ConnectionState c = Fixtures.edge(source, target, weight, T0.plusSeconds(5));
        c.setNetworkId(network);
        c.setLastSharedInstanceId("sku-" + network);
        return c;
    }

    static PurchaseRecord purchase(final String insider, final long seq, final String network, final String summary) {
        final PurchaseRecord p = Fixtures.purchase(insider, seq, network, "shop-" + network, T0.plusSeconds(seq),
            "5");
        p.setOrderSummary(summary);
        p.setAmount(new BigDecimal("5.0000"));
        return p;
    }
}
