package io.insidernetwork.local.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartnerEventGeneratorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-02-03T14:17:00Z"), ZoneOffset.UTC);

    @Test
    void shouldRepeatSameEventsWhenSeedIsSame() {
        final List<String> a = events(new PartnerEventGenerator(7, 500, "mybrand", CLOCK), 2_000);
        final List<String> b = events(new PartnerEventGenerator(7, 500, "mybrand", CLOCK), 2_000);
        final List<String> c = events(new PartnerEventGenerator(8, 500, "mybrand", CLOCK), 2_000);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void shouldStopGrowingWhenSizeIsReached() {
        final PartnerEventGenerator generator = new PartnerEventGenerator(1, 300, "mybrand", CLOCK);
        events(generator, 20_000);
        assertThat(generator.insiders()).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    void shouldConcentrateSharesOnHubsWhenGraphGrows() {
        final PartnerEventGenerator generator = new PartnerEventGenerator(3, 1_000, "mybrand", CLOCK);
        final Map<String, Integer> shares = new HashMap<>();
        IntStream.range(0, 30_000).mapToObj(i -> generator.next()).filter(e -> e.type().equals("share"))
            .forEach(e -> shares.merge(e.subject(), 1, Integer::sum));
        final int max = shares.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        final double mean = shares.values().stream().mapToInt(Integer::intValue).average().orElseThrow();
        // power law: the biggest sharer shares far more than the mean one
        assertThat(max).isGreaterThan((int) (20 * mean));
    }

    @Test
    void shouldEmitEveryKindWhenRunLongEnough() {
        final PartnerEventGenerator generator = new PartnerEventGenerator(5, 200, "mybrand", CLOCK);
        assertThat(IntStream.range(0, 5_000).mapToObj(i -> generator.next().type()).distinct())
            .containsExactlyInAnyOrder("signup", "share", "referral_visit", "purchase");
    }

    private static List<String> events(final PartnerEventGenerator generator, final int n) {
        return IntStream.range(0, n).mapToObj(i -> generator.next().json()).toList();
    }
}
