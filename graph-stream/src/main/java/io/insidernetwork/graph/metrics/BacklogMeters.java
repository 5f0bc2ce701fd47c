package io.insidernetwork.graph.metrics;

import io.insidernetwork.schemas.streams.ConsumerBacklog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How far behind graph-stream is, measured from Kafka by a background thread every {@code interval} (never on the
 * stream threads, never on a scrape):
 * <ul>
 *   <li>{@code graph_events_waiting}: partner events not processed yet (the application's committed offsets to the
 *   ends of the partner-events topic);</li>
 *   <li>{@code graph_behind_seconds}: how old the oldest of them is (now minus its acceptance time, the record
 *   timestamp ingest sets); 0 when none waits, so its outputs are this far behind the events accepted;</li>
 *   <li>{@code graph_network_size_changes_waiting} and {@code graph_network_size_behind_seconds}: the same for the
 *   network-size computation's input, the connections topic, from its own consumer group's checkpoint (the
 *   changes whose sizes are not all written yet; times are the changes' event times).</li>
 * </ul>
 * A gauge is NaN until the first measurement and while Kafka does not answer.
 */
public final class BacklogMeters implements AutoCloseable {

    private final ConsumerBacklog backlog;
    private final List<String> events;
    private final String sizeGroup;
    private final List<String> sizes;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "graph-backlog-meters");
        t.setDaemon(true);
        return t;
    });
    private volatile Optional<ConsumerBacklog.Backlog> eventBacklog = Optional.empty();
    private volatile Optional<ConsumerBacklog.Backlog> sizeBacklog = Optional.empty();

    private BacklogMeters(final ConsumerBacklog backlog, final List<String> events, final String sizeGroup,
                          final List<String> sizes) {
        this.backlog = backlog;
        this.events = events;
        this.sizeGroup = sizeGroup;
        this.sizes = sizes;
    }

    /**
     * Registers the gauges in {@code registry} and starts measuring.
     *
     * @param kafka         client settings
     * @param applicationId the Streams application id (its consumer group)
     * @param partnerEvents the partner-events topic
     * @param sizeGroup     the network-size computation's consumer group
     * @param connections   the connections topic (its input)
     */
    public static BacklogMeters start(final Map<String, Object> kafka, final String applicationId,
                                      final String partnerEvents, final String sizeGroup, final String connections,
                                      final Duration interval, final MeterRegistry registry) {
        final BacklogMeters meters = new BacklogMeters(new ConsumerBacklog(kafka, applicationId),
            List.of(partnerEvents), sizeGroup, List.of(connections));
        Gauge.builder("graph.events.waiting", meters, m -> waiting(m.eventBacklog))
            .description("Partner events graph-stream has not processed yet").register(registry);
        Gauge.builder("graph.behind.seconds", meters, m -> behind(m.eventBacklog))
            .description("Age of the oldest partner event graph-stream has not processed (0 when none waits)")
            .register(registry);
        Gauge.builder("graph.network.size.changes.waiting", meters, m -> waiting(m.sizeBacklog))
            .description("Connection changes whose network sizes are not all written yet")
            .register(registry);
        Gauge.builder("graph.network.size.behind.seconds", meters, m -> behind(m.sizeBacklog))
            .description("Event-time age of the oldest connection change whose network sizes are not all written "
                + "(0 when none waits)")
            .register(registry);
        meters.scheduler.scheduleWithFixedDelay(meters::measure, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return meters;
    }

    private void measure() {
        eventBacklog = backlog.measure(events);
        sizeBacklog = backlog.measure(sizeGroup, sizes);
    }

    private static double waiting(final Optional<ConsumerBacklog.Backlog> backlog) {
        return backlog.map(b -> (double) b.waiting()).orElse(Double.NaN);
    }

    private static double behind(final Optional<ConsumerBacklog.Backlog> backlog) {
        return backlog.map(b -> b.behind().toMillis() / 1000.0).orElse(Double.NaN);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backlog.close();
    }
}
