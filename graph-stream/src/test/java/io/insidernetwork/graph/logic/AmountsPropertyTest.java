package io.insidernetwork.graph.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.topic.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.serialization.Serde;

/** Any sequence of accepted amounts sums exactly (or saturates at the cap) and encodes without an exception. */
class AmountsPropertyTest {

    private static final BigDecimal MAX_EVENT_AMOUNT = new BigDecimal("99999999999999.9999");
    private static final Instant T0 = Instant.parse("2025-02-03T14:17:00Z");
    private static final Serde<InsiderState> SERDE = Topics.create("", 1, Duration.ofDays(1)).insiderState()
        .valueSerde();

    @Property(tries = 300)
    void shouldSumAndEncodeWhenAmountsAreAccepted(@ForAll @Size(max = 60) final List<@From("amounts") BigDecimal> bought,
                                                  @ForAll @Size(max = 60) final List<@From("amounts") BigDecimal> generated) {
        final InsiderState state = InsiderStates.create("a1b2c3d4-e5f6-7890-1234-567890abcdef", "p", 1, T0,
            SignupStatus.SIGNED_UP);
        BigDecimal expected = BigDecimal.ZERO;
        for (final BigDecimal amount : bought) {
            InsiderStates.applyPurchase(state, "sku", null, amount, T0, RecordBounds.DEFAULTS);
            expected = expected.add(amount);
        }
        for (final BigDecimal amount : generated) {
            InsiderStates.addGenerated(state, amount, T0);
            expected = expected.add(amount);
        }
        final InsiderState decoded = SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", state));
        assertThat(decoded.getUserValue()).isEqualByComparingTo(expected.min(Amounts.MAX));
    }

    @Property(tries = 300)
    void shouldSaturateInsteadOfOverflowingWhenSumPassesThePrecision(@ForAll("amounts") final BigDecimal amount,
                                                                     @ForAll("near") final BigDecimal total) {
        final BigDecimal sum = Amounts.add(total, amount);
        assertThat(sum).isLessThanOrEqualTo(Amounts.MAX);
        assertThat(sum.precision()).isLessThanOrEqualTo(Amounts.PRECISION);
        assertThat(sum).isEqualByComparingTo(total.add(amount).min(Amounts.MAX));
    }

    @Provide
    Arbitrary<BigDecimal> amounts() {
        return Arbitraries.oneOf(Arbitraries.bigDecimals().between(BigDecimal.ZERO, MAX_EVENT_AMOUNT).ofScale(4),
            Arbitraries.just(MAX_EVENT_AMOUNT));
    }

    @Provide
    Arbitrary<BigDecimal> near() {
        return Arbitraries.bigDecimals().between(Amounts.MAX.subtract(MAX_EVENT_AMOUNT.multiply(BigDecimal.TEN)),
            Amounts.MAX).ofScale(4);
    }
}
