package io.insidernetwork.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.RUNNING);
    private final MutableClock clock = new MutableClock();
    private final StreamsHealth health = new StreamsHealth(state::get, Duration.ofMinutes(5), 2, clock);

    @Test
    void shouldBeDownWhenNotRunning() {
        state.set(KafkaStreams.State.REBALANCING);
        assertThat(health.notReady()).contains("streams state REBALANCING");
        state.set(KafkaStreams.State.RUNNING);
        assertThat(health.notReady()).isEmpty();
    }

    @Test
    void shouldBeDownWhileThreadsKeepFailingAndUpAgainAfterTheWindow() {
        health.threadFailed();
        assertThat(health.notReady()).isEmpty();
        clock.advance(Duration.ofSeconds(45));
        health.threadFailed();
        assertThat(health.notReady()).hasValueSatisfying(r -> assertThat(r).startsWith("2 stream thread failures"));
        state.set(KafkaStreams.State.REBALANCING);
        assertThat(health.notReady()).hasValueSatisfying(r -> assertThat(r).startsWith("2 stream thread failures"));
        state.set(KafkaStreams.State.RUNNING);
        clock.advance(Duration.ofMinutes(5));
        assertThat(health.notReady()).isEmpty();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-02-03T14:17:00Z");

        void advance(final Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
