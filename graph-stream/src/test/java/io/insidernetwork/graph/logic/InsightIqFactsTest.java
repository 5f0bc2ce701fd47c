package io.insidernetwork.graph.logic;

import static io.insidernetwork.graph.it.InsightIqRecords.account;
import static io.insidernetwork.graph.it.InsightIqRecords.content;
import static io.insidernetwork.graph.it.InsightIqRecords.disconnected;
import static io.insidernetwork.graph.it.InsightIqRecords.profile;
import static io.insidernetwork.graph.it.InsightIqRecords.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.graph.IiqAccountStatus;
import io.insidernetwork.schemas.graph.IiqContentEngagement;
import io.insidernetwork.schemas.graph.IiqProfileReputation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InsightIqFactsTest {

    private static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");
    private static final String INSIDER = "a1b2c3d4-e5f6-7890-1234-567890abcdef";

    @Test
    void shouldRouteContentByAccountWithSharesPlusCommentsWhenCountsMayBeNull() {
        final var mapped = (InsightIqFacts.Routed) InsightIqFacts.map(content("c1", "acc", "u1", " Instagram ",
            null, 7L, T0));
        assertThat(mapped.route()).isEqualTo(InsightIqFacts.Route.ACCOUNT);
        assertThat(mapped.key()).isEqualTo("acc");
        final IiqContentEngagement payload = (IiqContentEngagement) mapped.fact().getPayload();
        assertThat(payload.getInteractions()).isEqualTo(7);
        assertThat(payload.getPlatform()).isEqualTo("instagram");
        assertThat(mapped.fact().getFactTime()).isEqualTo(T0);
    }

    @Test
    void shouldReadNotConnectedAndDisconnectRecordAsDisconnected() {
        final var notConnected = (IiqAccountStatus) ((InsightIqFacts.Routed) InsightIqFacts.map(
            account("acc", "u1", "TikTok", "NOT_CONNECTED", T0))).fact().getPayload();
        assertThat(notConnected.getConnected()).isFalse();
        final var expired = (IiqAccountStatus) ((InsightIqFacts.Routed) InsightIqFacts.map(
            account("acc", "u1", "TikTok", "SESSION_EXPIRED", T0))).fact().getPayload();
        assertThat(expired.getConnected()).isTrue();
        final var disconnect = (InsightIqFacts.Routed) InsightIqFacts.map(disconnected("acc", T0));
        assertThat(disconnect.key()).isEqualTo("acc");
        assertThat(((IiqAccountStatus) disconnect.fact().getPayload()).getConnected()).isFalse();
    }

    @Test
    void shouldRouteUserByUserIdWhenExternalIdIsInsiderId() {
        final var mapped = (InsightIqFacts.Routed) InsightIqFacts.map(user("u1", INSIDER, T0));
        assertThat(mapped.route()).isEqualTo(InsightIqFacts.Route.USER);
        assertThat(mapped.key()).isEqualTo("u1");
    }

    @Test
    void shouldNameFieldWhenRecordCannotBeMapped() {
        assertThat(InsightIqFacts.map(user("u1", "not-a-uuid", T0)))
            .isEqualTo(new InsightIqFacts.Rejected("external_id: not an insider UUID"));
        assertThat(InsightIqFacts.map(content("c1", " ", "u1", "x", 1L, 1L, T0)))
            .isEqualTo(new InsightIqFacts.Rejected("account.id: blank"));
        assertThat(InsightIqFacts.map(content("c1", "acc", "u1", "x", -1L, 1L, T0)))
            .isEqualTo(new InsightIqFacts.Rejected("engagement.share_count: negative"));
        assertThat(InsightIqFacts.map(profile("p1", "acc", "", "x", 1L, T0)))
            .isEqualTo(new InsightIqFacts.Rejected("user.id: blank"));
    }

    @Test
    void shouldKeepLatestStatusAndPreferDisconnectWhenTimesTie() {
        final IiqAccountStatus connected = new IiqAccountStatus("acc", "u1", "instagram", true, "CONNECTED");
        final IiqAccountStatus gone = new IiqAccountStatus("acc", null, null, false, "DISCONNECTED");
        final AccountSummary summary = AccountSummary.empty().withStatus(gone, 100).withStatus(connected, 100);
        assertThat(summary.connected()).isFalse();
        assertThat(summary.userId()).isEqualTo("u1");
        assertThat(summary.withStatus(connected, 50).connected()).isFalse();
        assertThat(summary.withStatus(connected, 150).connected()).isTrue();
    }

    @Test
    void shouldWaitForOwnerAndPlatformBeforeEngagementIsSent() {
        final AccountSummary disconnectOnly = AccountSummary.empty()
            .withStatus(new IiqAccountStatus("acc", null, null, false, "DISCONNECTED"), 1);
        assertThat(disconnectOnly.engagement("acc")).isEmpty();
        final AccountSummary known = disconnectOnly
            .withProfile(new IiqProfileReputation("p", "acc", "u1", "instagram", 500L), 2);
        assertThat(known.engagement("acc")).hasValueSatisfying(e -> {
            assertThat(e.getConnected()).isFalse();
            assertThat(e.getFollowerCount()).isEqualTo(500L);
        });
        assertThat(AccountSummary.decode(known.encode())).isEqualTo(known);
    }

    @Test
    void shouldRejectIdsWithControlCharactersNamingTheField() {
        assertThat(InsightIqFacts.map(user("u\u0001x", INSIDER, T0)))
            .isEqualTo(new InsightIqFacts.Rejected("id: contains a control character (U+0001 at index 1)"));
        assertThat(InsightIqFacts.map(content("c1", "acc\u0000", "u1", "x", 1L, 1L, T0)))
            .isEqualTo(new InsightIqFacts.Rejected("account.id: contains a control character (U+0000 at index 3)"));
        assertThat(InsightIqFacts.map(account("acc", "u1", "Tik\u0085Tok", "CONNECTED", T0)))
            .isEqualTo(new InsightIqFacts.Rejected(
                "work_platform.name: contains a control character (U+0085 at index 3)"));
        assertThat(InsightIqFacts.map(disconnected("acc\ud800", T0)))
            .isEqualTo(new InsightIqFacts.Rejected("account_id: contains a lone surrogate (U+D800 at index 3)"));
    }
}
