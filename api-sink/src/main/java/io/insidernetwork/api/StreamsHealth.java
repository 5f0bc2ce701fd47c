package io.insidernetwork.api;

import io.insidernetwork.api.http.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness of the query tier: ready only while Kafka Streams is RUNNING (not CREATED, REBALANCING, PENDING_ERROR,
 * ERROR ...) and fewer than {@code maxReplacedThreads} stream threads failed (and were replaced) within
 * {@code window}: a record that kills every thread that reads it keeps the application cycling through
 * replacements, which must not look healthy.
 */
public final class StreamsHealth implements Readiness {

    private final Clock clock;
    private final Duration window;
    private final int maxReplacedThreads;
    private final Deque<Instant> replacements = new ArrayDeque<>();
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

    public StreamsHealth(final Clock clock, final Duration window, final int maxReplacedThreads) {
        this.clock = clock;
        this.window = window;
        this.maxReplacedThreads = maxReplacedThreads;
    }

    /** Records the application's new state (its state listener). */
    public void onStateChange(final KafkaStreams.State newState) {
        state = newState;
    }

    /** Records one stream thread that failed and was replaced (its uncaught-exception handler). */
    public synchronized void onThreadReplaced() {
        replacements.addLast(clock.instant());
    }

    private synchronized int recentReplacements() {
        final Instant horizon = clock.instant().minus(window);
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(horizon)) {
            replacements.removeFirst();
        }
        return replacements.size();
    }

    @Override
    public Status status() {
        final KafkaStreams.State current = state;
        final int replaced = recentReplacements();
        if (current != KafkaStreams.State.RUNNING) {
            return new Status(false, current.name(), "query tier is " + current + ", not RUNNING", replaced);
        }
        if (replaced >= maxReplacedThreads) {
            return new Status(false, current.name(), replaced + " stream threads failed and were replaced in the last "
                + window.toSeconds() + " s", replaced);
        }
        return new Status(true, current.name(), null, replaced);
    }
}
