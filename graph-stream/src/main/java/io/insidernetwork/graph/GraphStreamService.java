package io.insidernetwork.graph;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.metrics.BacklogMeters;
import io.insidernetwork.graph.metrics.ProcessedEvents;
import io.insidernetwork.graph.sizes.NetworkSizeService;
import io.insidernetwork.graph.topology.NetworkTopology;
import io.insidernetwork.schemas.streams.StreamsHealth;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running graph-stream application. */
public final class GraphStreamService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GraphStreamService.class);

    private final KafkaStreams streams;
    private final InternalTopicPurger purger;
    private final StreamsHealth health;
    private final HealthServer http;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final DeadLetters deadLetters;
    private final ProcessedEvents processed;
    private final BacklogMeters backlog;
    private final NetworkSizeService sizes;

    private GraphStreamService(final KafkaStreams streams, final InternalTopicPurger purger,
                               final StreamsHealth health, final HealthServer http,
                               final PrometheusMeterRegistry registry, final KafkaStreamsMetrics streamsMetrics,
                               final DeadLetters deadLetters, final ProcessedEvents processed,
                               final BacklogMeters backlog, final NetworkSizeService sizes) {
        this.streams = streams;
        this.purger = purger;
        this.health = health;
        this.http = http;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
        this.deadLetters = deadLetters;
        this.processed = processed;
        this.backlog = backlog;
        this.sizes = sizes;
    }

    /** Creates missing topics and starts the topology. */
    public static GraphStreamService start(final GraphStreamConfig config) {
        return start(config, null);
    }

    /**
     * Creates missing topics and starts {@code topology} (null: graph-stream's own), with the health and metrics
     * server. Tests pass a topology with an injected failure to see readiness turn DOWN.
     */
    public static GraphStreamService start(final GraphStreamConfig config, final Topology topology) {
        try (Admin admin = Admin.create(config.kafkaSettings())) {
            TopicAdmin.ensureTopics(admin, config.topics().all(), config.replicationFactor(), Duration.ofSeconds(30));
        }
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final DeadLetters deadLetters = new DeadLetters(registry);
        final Properties props = config.streamsProperties(deadLetters);
        final ProcessedEvents processed = new ProcessedEvents(registry);
        props.put(ProcessedEvents.CONFIG_KEY, processed);
        final KafkaStreams streams = new KafkaStreams(topology != null ? topology
            : new NetworkTopology(config.topics(), config.graphParameters()).build(props), props);
        final StreamsHealth health = new StreamsHealth("graph-stream", Clock.systemUTC(),
            config.readyFailureWindow(), config.readyMaxThreadFailures());
        streams.setStateListener((to, from) -> {
            log.info("graph-stream state from {} to {}", from, to);
            health.onStateChange(to);
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("graph-stream thread failed; replacing it", e);
            health.onThreadReplaced();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        final HealthServer http;
        try {
            // before the application starts: a port in use fails start-up without leaving a running application
            http = HealthServer.start(config.httpPort(), health, registry);
        } catch (final RuntimeException e) {
            streamsMetrics.close();
            streams.close();
            throw e;
        }
        log.info("graph-stream health and metrics on port {}", http.port());
        streams.start();
        final InternalTopicPurger purger = InternalTopicPurger.start(config.kafkaSettings(), config.applicationId(),
            config.topics().internal().stream().map(TopicSpec::name).collect(Collectors.toSet()),
            config.internalPurgeInterval());
        final NetworkSizeService sizes = NetworkSizeService.start(config.networkSizeSettings(),
            config.topics().networkSizes().valueSerde().serializer(), () -> runsFirstNetworkTask(streams), registry);
        final BacklogMeters backlog = BacklogMeters.start(config.kafkaSettings(), config.applicationId(),
            config.topics().partnerEvents().name(), config.networkSizeSettings().group(),
            config.topics().connectionState().name(), config.backlogInterval(), registry);
        return new GraphStreamService(streams, purger, health, http, registry, streamsMetrics, deadLetters,
            processed, backlog, sizes);
    }

    /**
     * Whether this instance runs the network processor's task of partition 0 (sub-topology 0): the instance that
     * computes the network sizes, so one instance of the application does (Kafka Streams moves the task, and with it
     * the computation, when the instance goes).
     */
    static boolean runsFirstNetworkTask(final KafkaStreams streams) {
        try {
            return streams.state().isRunningOrRebalancing() && streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .anyMatch(task -> task.taskId().subtopology() == 0 && task.taskId().partition() == 0);
        } catch (final RuntimeException e) {
            return false;
        }
    }

    /** Why the application is not ready (not RUNNING, or threads failing), or empty when it is. */
    public Optional<String> notReady() {
        return Optional.ofNullable(health.status().reason());
    }

    /** Port of the health and metrics server. */
    public int httpPort() {
        return http.port();
    }

    /** The dead-letter counter (by reason class). */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** The applied-events counter. */
    public ProcessedEvents processedEvents() {
        return processed;
    }

    /** The meters in Prometheus form (what /metrics answers). */
    public String scrape() {
        return registry.scrape();
    }

    /** Current state of the Streams application. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Streams client's metrics (thread ratios, commit and punctuation latencies, task rates). */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    @Override
    public void close() {
        http.close();
        backlog.close();
        sizes.close();
        purger.close();
        // leave the group so that a restart does not wait for the old member's session to expire
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        registry.close();
        log.info("graph-stream stopped");
    }
}
