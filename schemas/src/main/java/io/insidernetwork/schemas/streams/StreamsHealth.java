package io.insidernetwork.schemas.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness of a Streams application: ready only while it is RUNNING (not CREATED, REBALANCING, PENDING_ERROR,
 * ERROR ...) and fewer than {@code maxReplacedThreads} stream threads failed (and were replaced) within
 * {@code window}: a record that kills every thread that reads it keeps the application cycling through
 * replacements, RUNNING most of the time yet processing nothing, which must not look healthy. Failing threads are
 * told first: a replaced thread rebalances, so the state alone would hide why.
 *
 * <p>Fed by the application's state listener ({@link #onStateChange}) and uncaught-exception handler
 * ({@link #onThreadReplaced}).
 */
public final class StreamsHealth {

    /**
     * One readiness answer.
     *
     * @param ready           whether the application can serve
     * @param state           the Kafka Streams state (never null)
     * @param reason          why it is not ready; null when ready
     * @param replacedThreads stream threads that failed and were replaced within the window
     */
    public record Status(boolean ready, String state, String reason, int replacedThreads) {
    }

    private final String label;
    private final Clock clock;
    private final Duration window;
    private final int maxReplacedThreads;
    private final Deque<Instant> replacements = new ArrayDeque<>();
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

    /**
     * @param label              what the reasons call the application ("query tier", "graph-stream")
     * @param window             how long a replaced thread counts
     * @param maxReplacedThreads replaced threads within {@code window} from which the application is not ready
     */
    public StreamsHealth(final String label, final Clock clock, final Duration window, final int maxReplacedThreads) {
        if (window.isNegative() || window.isZero() || maxReplacedThreads < 1) {
            throw new IllegalArgumentException("window must be positive and maxReplacedThreads at least 1");
        }
        this.label = Objects.requireNonNull(label, "label");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = window;
        this.maxReplacedThreads = maxReplacedThreads;
    }

    /** Records the application's new state (its state listener). */
    public void onStateChange(final KafkaStreams.State newState) {
        state = Objects.requireNonNull(newState, "newState");
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

    /** The current status. */
    public Status status() {
        final KafkaStreams.State current = state;
        final int replaced = recentReplacements();
        if (replaced >= maxReplacedThreads) {
            return new Status(false, current.name(), replaced + " stream threads failed and were replaced in the last "
                + window.toSeconds() + " s", replaced);
        }
        if (current != KafkaStreams.State.RUNNING) {
            return new Status(false, current.name(), label + " is " + current + ", not RUNNING", replaced);
        }
        return new Status(true, current.name(), null, replaced);
    }
}
