package io.insidernetwork.graph.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.topic.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The documented worst case of an encoded insider state under the default bounds. */
class RecordBoundsTest {

    private static final Logger log = LoggerFactory.getLogger(RecordBoundsTest.class);

    private static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");
    /** Documented in docs/graph-model.md ("Bounded records") and RecordBounds.DEFAULTS. */
    private static final int WORST_CASE_LIMIT = 180 * 1024;

    @Test
    void shouldEncodeWorstCaseInsiderStateUnderTheDocumentedBoundWhenEveryListIsFullOfLongestTexts() {
        final RecordBounds bounds = RecordBounds.DEFAULTS;
        final InsiderState state = InsiderStates.create("a1b2c3d4-e5f6-7890-1234-567890abcdef",
            longest("n", 0), 1, T0, SignupStatus.SIGNED_UP);
        int n = 0;
        for (int i = 0; i < bounds.instances() * 3; i++) {
            final String instance = longest("i", i);
            for (int s = 0; s < 30; s++) {
                final List<String> recipients = new ArrayList<>();
                for (int r = 0; r < 40; r++) {
                    recipients.add(longest("r", n++));
                }
                InsiderStates.applyShare(state, instance, longest("p", n), recipients, T0.plusSeconds(n), bounds,
                    new InsiderStates.ShareTotals(s, n, n, i, n));
                InsiderStates.applySignupCredit(state, instance, longest("g", n), T0.plusSeconds(n), bounds,
                    new InsiderStates.ShareTotals(s, n, n, i, n));
            }
            InsiderStates.applyLastShared(state, longest("n", 0), instance, 1000, T0.plusSeconds(n));
        }
        for (int p = 0; p < bounds.purchases() * 2; p++) {
            InsiderStates.applyPurchase(state, longest("b", p), longest("c", p), Amounts.MAX, T0.plusSeconds(p),
                bounds);
        }
        InsiderStates.addGenerated(state, Amounts.MAX, T0);

        final int size = Topics.create("", 1, Duration.ofDays(1)).insiderState().valueSerde().serializer()
            .serialize("t", state).length;
        assertThat(state.getInstancesShared()).hasSize(bounds.instances());
        assertThat(state.getTotalPurchaseAmount()).isEqualByComparingTo(Amounts.MAX);
        assertThat(state.getUserValue()).isEqualByComparingTo(Amounts.MAX);
        assertThat(size).as("worst-case encoded insider state, bytes").isLessThan(WORST_CASE_LIMIT)
            .isGreaterThan(100 * 1024);
        log.info("worst-case encoded InsiderState: {} bytes", size);
    }

    @Test
    void shouldKeepNewestEntriesWithinCountAndCharacterBudget() {
        final RecordBounds bounds = new RecordBounds(2, 3, 3, 3, 3, 10);
        assertThat(bounds.newest(List.of("a", "b", "c", "d"), 3, String::length)).containsExactly("b", "c", "d");
        assertThat(bounds.newest(List.of("aaaa", "bbbb", "cccc"), 3, String::length)).containsExactly("bbbb", "cccc");
        assertThat(bounds.newest(List.of("x".repeat(50)), 3, String::length)).hasSize(1);
        assertThat(BigDecimal.ONE).isNotNull();
    }

    /** A 512-character text of 3-byte UTF-8 characters, distinct per {@code kind} and {@code n}. */
    private static String longest(final String kind, final int n) {
        final String head = kind + n + "-";
        return head + "\u20ac".repeat(EventValidator.MAX_TEXT - head.length());
    }
}
