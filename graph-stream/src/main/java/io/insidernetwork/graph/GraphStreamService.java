package io.insidernetwork.graph;

import io.insidernetwork.graph.topology.NetworkTopology;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running graph-stream application. */
public final class GraphStreamService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GraphStreamService.class);

    private final KafkaStreams streams;
    private final InternalTopicPurger purger;

    private GraphStreamService(final KafkaStreams streams, final InternalTopicPurger purger) {
        this.streams = streams;
        this.purger = purger;
    }

    /** Creates missing topics and starts the topology. */
    public static GraphStreamService start(final GraphStreamConfig config) {
        try (Admin admin = Admin.create(config.kafkaSettings())) {
            TopicAdmin.ensureTopics(admin, config.topics().all(), config.replicationFactor(), Duration.ofSeconds(30));
        }
        final Properties props = config.streamsProperties();
        final KafkaStreams streams = new KafkaStreams(
            new NetworkTopology(config.topics(), config.graphParameters()).build(props), props);
        streams.setStateListener((to, from) -> log.info("graph-stream state from {} to {}", from, to));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("graph-stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        final InternalTopicPurger purger = InternalTopicPurger.start(config.kafkaSettings(), config.applicationId(),
            config.topics().internal().stream().map(TopicSpec::name).collect(Collectors.toSet()),
            config.internalPurgeInterval());
        return new GraphStreamService(streams, purger);
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
        purger.close();
        // leave the group so that a restart does not wait for the old member's session to expire
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
        log.info("graph-stream stopped");
    }
}
