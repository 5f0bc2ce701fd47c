package io.insidernetwork.schemas.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2025-07-01T00:00:00Z"));

    @Test
    void shouldBeReadyAgainWhenFailuresLeaveTheWindow() {
        final StreamsHealth health = new StreamsHealth("query tier", clock, Duration.ofMinutes(5), 2);
        assertThat(health.status().ready()).isFalse();
        health.onStateChange(KafkaStreams.State.RUNNING);
        assertThat(health.status().ready()).isTrue();
        assertThat(health.status().reason()).isNull();
        health.onThreadReplaced();
        assertThat(health.status().ready()).isTrue();
        clock.advance(Duration.ofSeconds(240));
        health.onThreadReplaced();
        assertThat(health.status().ready()).isFalse();
        assertThat(health.status().replacedThreads()).isEqualTo(2);
        assertThat(health.status().reason()).isEqualTo("2 stream threads failed and were replaced in the last 300 s");
        // the first failure leaves the 5-minute window: one left, below the limit of 2
        clock.advance(Duration.ofSeconds(61));
        assertThat(health.status().ready()).isTrue();
        assertThat(health.status().replacedThreads()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(300));
        assertThat(health.status().replacedThreads()).isZero();
    }

    @Test
    void shouldBeNotReadyWhenNotRunningEvenWithoutFailures() {
        final StreamsHealth health = new StreamsHealth("query tier", clock, Duration.ofMinutes(5), 3);
        assertThat(health.status().state()).isEqualTo("CREATED");
        health.onStateChange(KafkaStreams.State.REBALANCING);
        assertThat(health.status().ready()).isFalse();
        assertThat(health.status().state()).isEqualTo("REBALANCING");
        assertThat(health.status().reason()).isEqualTo("query tier is REBALANCING, not RUNNING");
        health.onStateChange(KafkaStreams.State.RUNNING);
        assertThat(health.status().ready()).isTrue();
    }

    @Test
    void shouldTellFailingThreadsFirstWhileTheyRebalanceAndBeUpAgainAfterTheWindow() {
        final StreamsHealth health = new StreamsHealth("graph-stream", clock, Duration.ofMinutes(5), 2);
        health.onStateChange(KafkaStreams.State.RUNNING);
        health.onThreadReplaced();
        assertThat(health.status().ready()).isTrue();
        clock.advance(Duration.ofSeconds(45));
        health.onThreadReplaced();
        assertThat(health.status().reason()).startsWith("2 stream threads failed");
        // a replaced thread rebalances: the failures, not the state, say why
        health.onStateChange(KafkaStreams.State.REBALANCING);
        assertThat(health.status().reason()).startsWith("2 stream threads failed");
        assertThat(health.status().state()).isEqualTo("REBALANCING");
        health.onStateChange(KafkaStreams.State.RUNNING);
        clock.advance(Duration.ofMinutes(5));
        assertThat(health.status().ready()).isTrue();
        health.onStateChange(KafkaStreams.State.ERROR);
        assertThat(health.status().reason()).isEqualTo("graph-stream is ERROR, not RUNNING");
    }
}
