package io.insidernetwork.api;

import io.insidernetwork.api.http.ApiServer;
import io.insidernetwork.api.query.LocalNetworkReader;
import io.insidernetwork.api.topology.MaterializeTopology;
import io.insidernetwork.schemas.topic.TopicAdmin;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running api-sink: its Streams query tier and the HTTP server in the same JVM. */
public final class ApiService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiService.class);

    private final KafkaStreams streams;
    private final ApiServer server;

    private ApiService(final KafkaStreams streams, final ApiServer server) {
        this.streams = streams;
        this.server = server;
    }

    /** Creates missing topics, starts the query tier, then the HTTP server. */
    public static ApiService start(final ApiConfig config) {
        try (Admin admin = Admin.create(config.kafkaSettings())) {
            TopicAdmin.ensureTopics(admin, config.topics().all(), config.replicationFactor(), Duration.ofSeconds(30));
        }
        final KafkaStreams streams = new KafkaStreams(new MaterializeTopology(config.topics()).build(),
            config.streamsProperties());
        streams.setStateListener((to, from) -> log.info("api-sink state from {} to {}", from, to));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("api-sink thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        final LocalNetworkReader reader = new LocalNetworkReader(streams);
        try {
            final ApiServer server = ApiServer.start(config.httpHost(), config.httpPort(), reader::dump,
                config.networkId(), () -> streams.state() == KafkaStreams.State.RUNNING, Clock.systemUTC());
            return new ApiService(streams, server);
        } catch (final RuntimeException e) {
            streams.close(Duration.ofSeconds(10));
            throw e;
        }
    }

    /** The bound HTTP port. */
    public int port() {
        return server.port();
    }

    /** Whether the stores are queryable. */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        server.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
        log.info("api-sink stopped");
    }
}
