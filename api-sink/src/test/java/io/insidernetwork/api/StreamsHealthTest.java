package io.insidernetwork.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2025-07-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void shouldBeReadyAgainWhenFailuresLeaveTheWindow() {
        final MovingClock clock = new MovingClock();
        final StreamsHealth health = new StreamsHealth(clock, Duration.ofMinutes(5), 2);
        assertThat(health.status().ready()).isFalse();
        health.onStateChange(KafkaStreams.State.RUNNING);
        assertThat(health.status().ready()).isTrue();
        health.onThreadReplaced();
        clock.now = clock.now.plusSeconds(240);
        health.onThreadReplaced();
        assertThat(health.status().ready()).isFalse();
        assertThat(health.status().replacedThreads()).isEqualTo(2);
        // the first failure leaves the 5-minute window: one left, below the limit of 2
        clock.now = clock.now.plusSeconds(61);
        assertThat(health.status().ready()).isTrue();
        assertThat(health.status().replacedThreads()).isEqualTo(1);
        clock.now = clock.now.plusSeconds(300);
        assertThat(health.status().replacedThreads()).isZero();
    }

    @Test
    void shouldBeNotReadyWhenRebalancingEvenWithoutFailures() {
        final StreamsHealth health = new StreamsHealth(new MovingClock(), Duration.ofMinutes(5), 3);
        health.onStateChange(KafkaStreams.State.REBALANCING);
        assertThat(health.status().ready()).isFalse();
        assertThat(health.status().reason()).isEqualTo("query tier is REBALANCING, not RUNNING");
    }
}
