package io.insidernetwork.ingest.insightiq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * What the InsightIQ poller did since its last summary, told at most once per {@code every}: routine pages and the
 * retries of the sandbox's simulated 429/503 are DEBUG, this one line is INFO. Used by the poller's thread only.
 */
final class PollerSummary {

    private final Clock clock;
    private final Duration every;
    private final DoubleSupplier retries;
    private Instant since;
    private double retriesSince;
    private long cyclesDone;
    private long cyclesFailed;
    private long pages;
    private long published;

    /** @param retries the upstream retries so far (a counter that only grows) */
    PollerSummary(final Clock clock, final Duration every, final DoubleSupplier retries) {
        this.clock = clock;
        this.every = every;
        this.retries = retries;
        this.since = clock.instant();
        this.retriesSince = retries.getAsDouble();
    }

    void cycle(final boolean completed) {
        if (completed) {
            cyclesDone++;
        } else {
            cyclesFailed++;
        }
    }

    void page(final int recordsPublished) {
        pages++;
        published += recordsPublished;
    }

    /** The summary line when {@code every} has passed since the last one (then counting starts again); else empty. */
    Optional<String> due() {
        final Instant now = clock.instant();
        final Duration elapsed = Duration.between(since, now);
        if (elapsed.compareTo(every) < 0) {
            return Optional.empty();
        }
        final double total = retries.getAsDouble();
        final String line = String.format("InsightIQ poller in the last %d s: %d cycles completed, %d failed, %d pages, "
                + "%d records published, %d upstream retries (each at DEBUG)", elapsed.toSeconds(), cyclesDone,
            cyclesFailed, pages, published, (long) (total - retriesSince));
        since = now;
        retriesSince = total;
        cyclesDone = 0;
        cyclesFailed = 0;
        pages = 0;
        published = 0;
        return Optional.of(line);
    }
}
