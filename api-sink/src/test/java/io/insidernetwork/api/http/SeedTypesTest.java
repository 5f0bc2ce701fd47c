package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.edge;
import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static io.insidernetwork.api.Fixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstancePurchased;
import io.insidernetwork.schemas.graph.LastSharedAcrossNetwork;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, section 1: answers keep the seed's types. Fields typed as a UUID hold insider ids only (handles and
 * fingerprints go to anonymous_connections), fields typed as a timestamp or string are never null (each decision as
 * docs/api-sink.md lists it), and /behavior's texts agree with the numbers beside them. Every answer is also
 * validated against the OpenAPI document (which types these fields as non-null, UUID-formatted).
 */
class SeedTypesTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
    private static final Instant JOINED = T0.plusSeconds(3600);
    private static final String ROOT = id(1);
    private static final String FINGERPRINT = "fp-1e68f9182abde40c";

    @TempDir
    Path stateDir;
    private ApiHarness api;

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        // an insider whose aggregates kept their initial values since joining: graph-stream wrote no *_updated
        final InsiderState root = insider(ROOT, "brand-a", 1, JOINED);
        root.setConversionRateUpdated(null);
        root.setSharesUpdated(null);
        root.setValueUpdated(null);
        root.setPurchaseAmountUpdated(null);
        root.setGeneratedAmountUpdated(null);
        root.setCrossPartnerUpdated(null);
        root.setInstancesPurchased(List.of(new InstancePurchased("sku-9", JOINED.plusSeconds(5), null,
            JOINED.plusSeconds(5))));
        root.setLastSharedAcrossNetwork(new LastSharedAcrossNetwork(JOINED.plusSeconds(9), "shared sku-9", null, 3L,
            JOINED.plusSeconds(9)));
        api.insider(root);
        // a target whose conversion rate never changed: graph-stream wrote no conversion_rate_updated
        final InsiderState target = insider(id(2), "brand-a", 2, JOINED);
        target.setConversionRateUpdated(null);
        api.insider(target);
        final ConnectionState toInsider = edge(ROOT, id(2), 0.9, T0.plusSeconds(7200));
        toInsider.setFirstConnected(T0.plusSeconds(4000));
        api.edge(toInsider);
        api.edge(edge(ROOT, "@friend-2tp", 0.4, T0.plusSeconds(7300)));
        api.edge(edge(ROOT, FINGERPRINT, 0.3, T0.plusSeconds(7400)));
        api.edge(edge(id(2), "@second-hand", 0.5, T0.plusSeconds(7500)));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void shouldDateAggregatesUnchangedSinceJoiningAtJoinedDateAndNameNoCampaignAsEmpty() {
        final Answer a = api.client.get("/api/v1/insiders/" + ROOT);
        assertThat(a.status()).isEqualTo(200);
        final JsonNode profile = a.at("/data/profile");
        for (final String field : List.of("conversion_rate_updated", "shares_updated", "value_updated",
            "purchase_amount_updated", "generated_amount_updated")) {
            assertThat(profile.get(field).asText()).as(field).isEqualTo(JOINED.toString());
        }
        assertThat(profile.at("/instances_purchased/0/campaign_id").isTextual()).isTrue();
        assertThat(profile.at("/instances_purchased/0/campaign_id").asText()).isEmpty();
    }

    @Test
    void shouldNeverAnswerNullForTimestampOrStringFieldsOfTheNetwork() {
        final Answer a = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=1");
        assertThat(a.status()).isEqualTo(200);
        final JsonNode activity = a.at("/data/network_analysis/partner_activity");
        assertThat(activity.get("cross_partner_updated").asText()).isEqualTo(JOINED.toString());
        assertThat(activity.at("/last_shared_across_network/order_id").isTextual()).isTrue();
        assertThat(activity.at("/last_shared_across_network/order_id").asText()).isEmpty();
        // a connection's rate unchanged since the connection began took effect when it began
        assertThat(a.at("/data/network_analysis/connections/0/performance_metrics/conversion_rate_updated").asText())
            .isEqualTo(T0.plusSeconds(4000).toString());
    }

    @Test
    void shouldKeepHandlesAndFingerprintsOutOfUuidFieldsOnEveryEndpoint() {
        final Answer one = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=1");
        assertThat(one.at("/data/network_analysis/connections")).hasSize(1);
        assertThat(one.at("/data/network_analysis/connections/0/insider_id").asText()).isEqualTo(id(2));
        assertThat(one.at("/data/network_analysis/anonymous_connections/0/recipient").asText())
            .isEqualTo("@friend-2tp");
        assertThat(one.at("/data/network_analysis/anonymous_connections/1/recipient").asText())
            .isEqualTo(FINGERPRINT);
        assertThat(one.at("/data/network_analysis/anonymous_connections/1/last_contact").asText())
            .isEqualTo(T0.plusSeconds(7400).toString());
        final Answer two = api.client.get("/api/v1/insiders/" + ROOT + "/network?degree=2");
        assertThat(two.at("/data/network_analysis/connections")).isEmpty();
        assertThat(two.at("/data/network_analysis/anonymous_connections/0/recipient").asText())
            .isEqualTo("@second-hand");
        assertThat(two.at("/data/network_analysis/anonymous_connections/0/connecting_through").asText())
            .isEqualTo(id(2));
        assertThat(two.at("/data/network_analysis/anonymous_connections/0/path_weight").asDouble())
            .isEqualTo(0.9 * 0.5);

        final JsonNode dumped = api.client.get("/api/v1/networks/dump").at("/data/insiders/" + ROOT);
        assertThat(dumped.get("connections")).hasSize(1);
        assertThat(dumped.at("/connections/0/target").asText()).isEqualTo(id(2));
        assertThat(dumped.get("anonymous_connections")).extracting(n -> n.get("recipient").asText())
            .containsExactlyInAnyOrder("@friend-2tp", FINGERPRINT);

        api.update(NetworkUpdate.newBuilder().setInsiderId(ROOT).setNetworkId("brand-a")
            .setUpdateType(NetworkUpdateType.CONNECTIONS_UPDATED).setJoinedDate(JOINED)
            .setUpdatedAt(ApiHarness.NOW.minusSeconds(60)).setConnections(List.of(
                new ConnectionChange(id(2), 0.9, ChangeType.ADDED),
                new ConnectionChange("@friend-2tp", 0.4, ChangeType.ADDED),
                new ConnectionChange(FINGERPRINT, 0.3, ChangeType.REMOVED))).build());
        final JsonNode update = api.client.get("/api/v1/networks/updates/since/"
            + ApiHarness.NOW.minusSeconds(3600)).at("/data/updates/0");
        assertThat(update.get("connections")).extracting(n -> n.get("target").asText()).containsExactly(id(2));
        assertThat(update.get("anonymous_connections")).extracting(n -> n.get("recipient").asText() + " "
            + n.get("change_type").asText()).containsExactly("@friend-2tp ADDED", FINGERPRINT + " REMOVED");
    }

    @Test
    void shouldWriteBehaviorTextsThatAgreeWithSummaryStatsAndTheOrdersCurrency() {
        // graph-stream's texts judged the store by its name; the API judges by the requested insider's network
        final PurchaseRecord own = purchase(ROOT, 2, "brand-a", "some-store", T0.plusSeconds(100), "60");
        own.setCurrency("EUR");
        own.setBehaviorSummary("shoes purchase in another partner's store");
        own.setSpendingRange("$50-$100");
        final PurchaseRecord other = purchase(ROOT, 3, "brand-b", "brand-a", T0.plusSeconds(200), "1200");
        other.setBehaviorSummary("Purchase in the partner's own store");
        final PurchaseRecord small = purchase(ROOT, 5, "brand-b", "elsewhere", T0.plusSeconds(300), "24.99");
        small.setCurrency("GBP");
        small.setAmount(new BigDecimal("24.9900"));
        api.purchase(own);
        api.purchase(other);
        api.purchase(small);
        final Answer a = api.client.get("/api/v1/insiders/" + ROOT + "/behavior?sortOrder=asc");
        assertThat(a.status()).isEqualTo(200);
        final JsonNode rows = a.at("/data/purchase_behavior/data");
        assertThat(rows).extracting(r -> r.get("behavior_summary").asText()).containsExactly(
            "shoes purchase in the current partner's store", "Purchase in another partner's store",
            "Purchase in another partner's store");
        assertThat(rows).extracting(r -> r.get("spending_range").asText())
            .containsExactly("EUR 50-100", "USD 1000+", "GBP 0-25");
        final JsonNode stats = a.at("/data/purchase_behavior/summary_stats");
        long current = 0;
        long others = 0;
        for (final JsonNode r : rows) {
            if (r.get("behavior_summary").asText().endsWith("the current partner's store")) {
                current++;
            } else {
                others++;
            }
        }
        assertThat(stats.get("current_partner_purchases").asLong()).isEqualTo(current);
        assertThat(stats.get("other_partner_purchases").asLong()).isEqualTo(others);
        assertThat(stats.get("total_approximate_spending").asText()).isEqualTo("EUR 60.00 + GBP 24.99 + USD 1,200.00");
    }
}
