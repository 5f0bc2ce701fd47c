package io.insidernetwork.graph.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.insidernetwork.schemas.streams.DeadLetterReporting;
import io.insidernetwork.schemas.streams.HandlerFailure;
import java.util.Map;

/**
 * Counts the records graph-stream sends to its dead-letter topic, by reason class: the Prometheus counter
 * {@code graph_dead_letters_total{reason="..."}}. One instance per service, handed to the processors through the
 * Streams configuration under {@link #CONFIG_KEY} (Kafka Streams passes its configuration's original objects to
 * {@code ProcessorContext.appConfigs()}), and to the shared exception handlers (schemas'
 * {@code io.insidernetwork.schemas.streams}) as their counter hook ({@link #reporting()}).
 */
public final class DeadLetters {

    /** Streams configuration key under which the service's instance travels to handlers and processors. */
    public static final String CONFIG_KEY = "graph.internal.dead.letters";

    /** Label of graph-stream's dead letters: reason header {@code __graph.errors.reason}. */
    public static final String SERVICE = "graph";
    /** Header with the reason class of each dead letter, from the processors and the exception handlers alike. */
    public static final String REASON_HEADER = DeadLetterReporting.reasonHeader(SERVICE);

    /** A partner event that failed validation (field named in the reason header). */
    public static final String INVALID_EVENT = "invalid-event";
    /** A partner event dated too far in the future (more than the configured skew). */
    public static final String FUTURE_EVENT = "future-event";
    /** An InsightIQ record that cannot be mapped. */
    public static final String INVALID_INSIGHTIQ = "invalid-insightiq";
    /** An exception while processing a record or in a punctuation (processing exception handler). */
    public static final String PROCESSING = HandlerFailure.PROCESSING.reason();
    /** A record that could not be written to an output topic (production exception handler). */
    public static final String PRODUCTION = HandlerFailure.PRODUCTION.reason();
    /** A record whose key or value could not be read (deserialization exception handler). */
    public static final String DESERIALIZATION = HandlerFailure.DESERIALIZATION.reason();
    /** An index entry that does not parse (written before key parts were checked); dropped, not dead-lettered. */
    public static final String MALFORMED_INDEX_ENTRY = "malformed-index-entry";

    private static final String METER = "graph.dead.letters";

    private final MeterRegistry registry;

    public DeadLetters(final MeterRegistry registry) {
        this.registry = registry;
        // every reason class from the start (at 0), so that a scrape shows the counter before the first dead letter
        for (final String reason : new String[] {INVALID_EVENT, FUTURE_EVENT, INVALID_INSIGHTIQ, PROCESSING,
            PRODUCTION, DESERIALIZATION, MALFORMED_INDEX_ENTRY}) {
            counter(reason);
        }
    }

    /** The instance in {@code configs}, or a private one (tests without a service). */
    public static DeadLetters from(final Map<String, ?> configs) {
        return configs != null && configs.get(CONFIG_KEY) instanceof DeadLetters deadLetters ? deadLetters
            : new DeadLetters(new SimpleMeterRegistry());
    }

    /** The shared exception handlers' settings: graph's label, counting each failure by its reason class. */
    public DeadLetterReporting reporting() {
        return new DeadLetterReporting(SERVICE, failure -> record(failure.reason()));
    }

    /** Counts one record of {@code reason}. */
    public void record(final String reason) {
        counter(reason).increment();
    }

    /** Records counted for {@code reason} so far. */
    public double count(final String reason) {
        return counter(reason).count();
    }

    private Counter counter(final String reason) {
        return Counter.builder(METER).description("Records sent to the dead-letter topic (or dropped index "
            + "entries), by reason class").tag("reason", reason).register(registry);
    }
}
