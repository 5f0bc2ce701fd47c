package io.insidernetwork.local.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in simulator: a partner system sending signed partner events over a power-law referral graph. Its
 * progress (events generated) is kept in the data directory, so a restarted simulator continues the same simulated
 * world where it stopped instead of starting over.
 */
public final class Simulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);
    private static final String STATE_FILE = "simulator.properties";

    private final PartnerWebhookProducer producer;
    private final Path stateFile;
    private final long seed;
    private final long skipped;

    private Simulator(final PartnerWebhookProducer producer, final Path stateFile, final long seed,
                      final long skipped) {
        this.producer = producer;
        this.stateFile = stateFile;
        this.seed = seed;
        this.skipped = skipped;
    }

    /**
     * Starts sending to {@code ingest}'s partner webhook.
     *
     * @param stateDir   where progress is kept (null: nowhere, always start at the first event)
     * @param maxEvents  how many events to send in all (Long.MAX_VALUE: until closed)
     * @param onAccepted told of every acknowledged batch and when it was acknowledged
     */
    public static Simulator start(final URI ingest, final String secret, final int insiders,
                                  final double eventsPerSecond, final long seed, final long maxEvents,
                                  final Path stateDir, final BiConsumer<List<GeneratedEvent>, Instant> onAccepted) {
        final PartnerEventGenerator generator = new PartnerEventGenerator(seed, insiders, "mybrand",
            Clock.systemUTC());
        final Path stateFile = stateDir == null ? null : stateDir.resolve(STATE_FILE);
        final long skip = resumePoint(stateFile, seed);
        for (long i = 0; i < skip; i++) {
            generator.next();
        }
        if (skip > 0) {
            log.info("Simulator resumes after {} events of seed {}", skip, seed);
        }
        final PartnerWebhookProducer producer = new PartnerWebhookProducer(ingest.resolve("/webhooks/v1/events"),
            secret, generator, eventsPerSecond, maxEvents, onAccepted, Clock.systemUTC());
        producer.start();
        log.info("Simulator sending {} events/s over {} insiders (seed {})", eventsPerSecond, insiders, seed);
        return new Simulator(producer, stateFile, seed, skip);
    }

    /** Events acknowledged by ingest since this start. */
    public long accepted() {
        return producer.accepted();
    }

    /** Whether every event was generated and acknowledged. */
    public boolean finished() {
        return producer.finished();
    }

    @Override
    public void close() {
        producer.close();
        if (stateFile != null) {
            // only acknowledged events count as sent: unacknowledged ones are generated again on restart
            try {
                Files.writeString(stateFile, "seed=" + seed + "\ngenerated=" + (skipped + producer.accepted()) + "\n",
                    StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot save simulator progress", e);
            }
        }
    }

    private static long resumePoint(final Path stateFile, final long seed) {
        if (stateFile == null || !Files.exists(stateFile)) {
            return 0;
        }
        final Properties state = new Properties();
        try (var reader = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
            state.load(reader);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + stateFile, e);
        }
        if (!Long.toString(seed).equals(state.getProperty("seed"))) {
            return 0;
        }
        return Long.parseLong(state.getProperty("generated", "0"));
    }
}
