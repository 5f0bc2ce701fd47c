package io.insidernetwork.graph.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstancePurchased;
import io.insidernetwork.schemas.graph.SignupStatus;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InsiderStatesTest {

    private static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");

    @Test
    void shouldKeepNewestPurchasesInEventTimeOrderWhenListIsFull() {
        final InsiderState state = InsiderStates.create("a1b2c3d4-e5f6-7890-1234-567890abcdef", "mybrand", 1, T0,
            SignupStatus.SIGNED_UP);
        final int total = RecordBounds.DEFAULTS.purchases() + 20;
        // odd seconds first, then the even ones arrive late
        for (int i = 1; i < total; i += 2) {
            InsiderStates.applyPurchase(state, "sku-" + i, null, BigDecimal.ONE, T0.plusSeconds(i),
                RecordBounds.DEFAULTS);
        }
        for (int i = 0; i < total; i += 2) {
            InsiderStates.applyPurchase(state, "sku-" + i, null, BigDecimal.ONE, T0.plusSeconds(i),
                RecordBounds.DEFAULTS);
        }

        assertThat(state.getInstancesPurchased()).hasSize(RecordBounds.DEFAULTS.purchases());
        assertThat(state.getInstancesPurchased()).extracting(InstancePurchased::getInstanceId)
            .first().isEqualTo("sku-20");
        assertThat(state.getInstancesPurchased()).extracting(InstancePurchased::getTimestamp).isSorted();
        assertThat(state.getTotalPurchaseAmount()).isEqualByComparingTo(BigDecimal.valueOf(total));
        assertThat(state.getInstancesPurchasedTotal()).isEqualTo(total);
    }
}
