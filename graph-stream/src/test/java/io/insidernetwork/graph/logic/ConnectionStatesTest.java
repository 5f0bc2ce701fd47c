package io.insidernetwork.graph.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionStatesTest {

    private static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");
    private static final GraphParameters PARAMETERS =
        GraphParameters.defaults(new WeightModel(1.0, 3.0, 5.0, 5.0, Duration.ofDays(30)));

    @Test
    void shouldAddEngagementToShareCountWhenSharing() {
        final ConnectionState state = connection();
        ConnectionStates.applyShare(state, PARAMETERS, "p", "Instagram", "sku", 0.5, T0);
        ConnectionStates.applyShare(state, PARAMETERS, "p", "instagram", "sku", 0.5, T0.plusSeconds(1));
        assertThat(state.getPlatformActivity()).containsExactly(Map.entry("instagram", 2L));
        assertThat(state.getPlatformStrengths().get("instagram")).isCloseTo(1 - Math.exp(-2.5 / 3.0), within(1e-12));
    }

    @Test
    void shouldChangeOnlyPlatformsWithActivityWhenEngagementChanges() {
        final ConnectionState state = connection();
        ConnectionStates.applyShare(state, PARAMETERS, "p", "tiktok", "sku", 0.0, T0);
        assertThat(ConnectionStates.applyEngagement(state, PARAMETERS, "instagram", 2.0, T0)).isFalse();
        assertThat(state.getPlatformStrengths()).containsOnlyKeys("tiktok");
        assertThat(ConnectionStates.applyEngagement(state, PARAMETERS, "tiktok", 2.0, T0.plusSeconds(5))).isTrue();
        assertThat(state.getPlatformStrengths().get("tiktok")).isCloseTo(1 - Math.exp(-1.0), within(1e-12));
        assertThat(state.getTimeUpdated()).isEqualTo(T0.plusSeconds(5));
        assertThat(ConnectionStates.applyEngagement(state, PARAMETERS, "tiktok", 2.0, T0.plusSeconds(6))).isFalse();
    }

    @Test
    void shouldDropOnlyThatPlatformWhenConnectionHasOthers() {
        final ConnectionState state = connection();
        ConnectionStates.applyShare(state, PARAMETERS, "p", "instagram", "sku", 0.3, T0);
        ConnectionStates.applyShare(state, PARAMETERS, "p", "tiktok", "sku", 0.0, T0);
        assertThat(ConnectionStates.onlyOn(state, "instagram")).isFalse();
        assertThat(ConnectionStates.dropPlatform(state, PARAMETERS, "instagram", T0)).isTrue();
        assertThat(state.getPlatformStrengths()).containsOnlyKeys("tiktok");
        assertThat(state.getPlatformActivity()).containsOnlyKeys("tiktok");
        assertThat(ConnectionStates.onlyOn(state, "tiktok")).isTrue();
        assertThat(ConnectionStates.dropPlatform(state, PARAMETERS, "instagram", T0)).isFalse();
    }

    @Test
    void shouldNotBeOnlyOnPlatformWhenConnectionHasNoPlatformActivity() {
        assertThat(ConnectionStates.onlyOn(connection(), "instagram")).isFalse();
    }

    @Test
    void shouldDeriveShareCountFromStrengthWhenWrittenBeforeActivityExisted() {
        final ConnectionState legacy = connection();
        final Map<String, Double> strengths = new HashMap<>();
        strengths.put("instagram", PARAMETERS.platformStrength(4));
        legacy.setPlatformStrengths(strengths);
        ConnectionStates.applyShare(legacy, PARAMETERS, "p", "instagram", "sku", 0.0, T0);
        assertThat(legacy.getPlatformActivity()).containsExactly(Map.entry("instagram", 5L));
        assertThat(legacy.getPlatformStrengths().get("instagram")).isCloseTo(PARAMETERS.platformStrength(5),
            within(1e-12));
    }

    @Test
    void shouldAddCountsAndApplyEngagementWhenMergingAnonymousConnection() {
        final ConnectionState into = connection();
        ConnectionStates.applyShare(into, PARAMETERS, "p", "tiktok", "sku", 0.0, T0);
        final ConnectionState anonymous = ConnectionStates.create("a", "fp", "p", SignupStatus.ANONYMOUS, T0);
        ConnectionStates.applyShare(anonymous, PARAMETERS, "p", "tiktok", null, 0.0, T0);
        ConnectionStates.applyShare(anonymous, PARAMETERS, "p", "instagram", null, 0.0, T0);
        ConnectionStates.merge(into, anonymous, PARAMETERS, platform -> "instagram".equals(platform) ? 1.0 : 0.0);
        assertThat(into.getPlatformActivity()).containsEntry("tiktok", 2L).containsEntry("instagram", 1L);
        assertThat(into.getPlatformStrengths().get("instagram")).isCloseTo(1 - Math.exp(-2.0 / 3.0), within(1e-12));
        assertThat(into.getPlatformStrengths().get("tiktok")).isCloseTo(1 - Math.exp(-2.0 / 3.0), within(1e-12));
    }

    @Test
    void shouldIgnoreEngagementWhenFollowerCountIsUnknown() {
        assertThat(PARAMETERS.engagement(30, null)).isZero();
        assertThat(PARAMETERS.engagement(30, 0L)).isEqualTo(300.0);
        assertThat(PARAMETERS.engagement(30, 1000L)).isCloseTo(0.3, within(1e-12));
    }

    private static ConnectionState connection() {
        return ConnectionStates.create("a", "b", "p", SignupStatus.INVITED, T0);
    }

    @Test
    void shouldKeepTheMostActivePlatformsWhenPartnersSendManyDistinctOnes() {
        final ConnectionState state = ConnectionStates.create("a", "b", "p", SignupStatus.INVITED, T0);
        ConnectionStates.applyShare(state, PARAMETERS, "p", "instagram", "sku", 0.0, T0);
        ConnectionStates.applyShare(state, PARAMETERS, "p", "instagram", "sku", 0.0, T0);
        for (int i = 0; i < 100; i++) {
            ConnectionStates.applyShare(state, PARAMETERS, "p", "platform-" + i, "sku", 0.0, T0.plusSeconds(i));
        }
        assertThat(state.getPlatformActivity()).hasSize(ConnectionStates.MAX_PLATFORMS)
            .containsKeys("instagram", "platform-99");
        assertThat(state.getPlatformStrengths().keySet()).isEqualTo(state.getPlatformActivity().keySet());
    }
}
