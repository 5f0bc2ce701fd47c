package io.insidernetwork.ingest.insightiq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Test;

class PollerSummaryTest {

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));

        void advance(final Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void shouldSummarizeAtMostOncePerMinuteWithTheActivitySinceTheLastSummary() {
        final Moving clock = new Moving();
        final DoubleAdder retries = new DoubleAdder();
        retries.add(5);
        final PollerSummary summary = new PollerSummary(clock, Duration.ofMinutes(1), retries::sum);

        summary.page(40);
        summary.page(2);
        summary.cycle(true);
        retries.add(3);
        clock.advance(Duration.ofSeconds(59));
        assertThat(summary.due()).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(summary.due()).hasValue("InsightIQ poller in the last 60 s: 1 cycles completed, 0 failed, 2 pages, "
            + "42 records published, 3 upstream retries (each at DEBUG)");
        assertThat(summary.due()).isEmpty();

        summary.cycle(false);
        clock.advance(Duration.ofSeconds(61));
        assertThat(summary.due()).hasValue("InsightIQ poller in the last 61 s: 0 cycles completed, 1 failed, 0 pages, "
            + "0 records published, 0 upstream retries (each at DEBUG)");
    }
}
