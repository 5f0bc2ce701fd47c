package io.insidernetwork.graph.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;

/**
 * Counts the partner events graph-stream applied: the Prometheus counter {@code graph_events_processed_total}
 * (redeliveries it recognised as already applied and dead letters are not counted; an event applied again after a
 * failed transaction is). One instance per service, handed to the processors through the Streams configuration
 * under {@link #CONFIG_KEY}, as {@code DeadLetters} is.
 */
public final class ProcessedEvents {

    /** Streams configuration key under which the service's instance travels to the processors. */
    public static final String CONFIG_KEY = "graph.internal.processed.events";

    private final Counter counter;

    public ProcessedEvents(final MeterRegistry registry) {
        counter = Counter.builder("graph.events.processed")
            .description("Partner events applied to the network (not counting recognised redeliveries)")
            .register(registry);
    }

    /** The instance in {@code configs}, or a private one (tests without a service). */
    public static ProcessedEvents from(final Map<String, ?> configs) {
        return configs != null && configs.get(CONFIG_KEY) instanceof ProcessedEvents events ? events
            : new ProcessedEvents(new SimpleMeterRegistry());
    }

    /** Counts one applied event. */
    public void record() {
        counter.increment();
    }

    /** Events counted so far. */
    public double count() {
        return counter.count();
    }
}
