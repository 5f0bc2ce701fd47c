package io.insidernetwork.graph;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness of the Streams application: DOWN while it is not RUNNING, or while its stream threads keep failing
 * ({@code maxFailures} threads or more failed, and were replaced, within {@code window}): a replaced thread that
 * fails again on the same record is RUNNING most of the time, yet processes nothing.
 */
final class StreamsHealth {

    private final Supplier<KafkaStreams.State> state;
    private final Duration window;
    private final int maxFailures;
    private final Clock clock;
    private final Deque<Long> failures = new ArrayDeque<>();

    StreamsHealth(final Supplier<KafkaStreams.State> state, final Duration window, final int maxFailures,
                  final Clock clock) {
        this.state = state;
        this.window = window;
        this.maxFailures = maxFailures;
        this.clock = clock;
    }

    /** A stream thread failed (and is being replaced). */
    synchronized void threadFailed() {
        failures.addLast(clock.millis());
        forgetOld();
    }

    /** Why the application is not ready, or empty when it is. */
    synchronized Optional<String> notReady() {
        // failing threads first: a replaced thread rebalances, so the state alone would hide why
        forgetOld();
        if (failures.size() >= maxFailures) {
            return Optional.of(failures.size() + " stream thread failures within " + window);
        }
        final KafkaStreams.State current = state.get();
        if (current != KafkaStreams.State.RUNNING) {
            return Optional.of("streams state " + current);
        }
        return Optional.empty();
    }

    private void forgetOld() {
        final long from = clock.millis() - window.toMillis();
        while (!failures.isEmpty() && failures.peekFirst() < from) {
            failures.removeFirst();
        }
    }
}
