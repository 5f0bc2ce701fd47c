package io.insidernetwork.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.insidernetwork.api.auth.PeerAuth;
import io.insidernetwork.api.auth.RateLimiter;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.http.ApiServer;
import io.insidernetwork.api.query.HttpPeerClient;
import io.insidernetwork.api.query.LocalReader;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.StreamsBackend;
import io.insidernetwork.api.topology.MaterializeTopology;
import io.insidernetwork.schemas.streams.DeadLetterReporting;
import io.insidernetwork.schemas.streams.HandlerFailure;
import io.insidernetwork.schemas.streams.StreamsHealth;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running api-sink: the HTTP server binds first (its port becomes the Streams application.server), then the
 * query tier starts; until its stores are queryable every query answers 503.
 */
public final class ApiService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiService.class);

    private final KafkaStreams streams;
    private final ApiServer server;
    private final StreamsBackend backend;
    private final KafkaStreamsMetrics streamsMetrics;

    private ApiService(final KafkaStreams streams, final ApiServer server, final StreamsBackend backend,
                       final KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.server = server;
        this.backend = backend;
        this.streamsMetrics = streamsMetrics;
    }

    /** Creates missing topics, binds the HTTP server, then starts the query tier. */
    public static ApiService start(final ApiConfig config) {
        return start(config, Clock.systemUTC());
    }

    static ApiService start(final ApiConfig config, final Clock clock) {
        final Topics topics = config.topics();
        final int partitions;
        try (Admin admin = Admin.create(config.kafkaSettings())) {
            final List<TopicSpec<?, ?>> needed = new ArrayList<>(topics.all());
            needed.add(config.deadLetterTopic());
            TopicAdmin.ensureTopics(admin, needed, config.replicationFactor(), Duration.ofSeconds(30));
            partitions = admin.describeTopics(List.of(topics.insiderState().name())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topics.insiderState().name()).partitions().size();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics.insiderState().name(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        }
        final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        final StreamsBackend backend = new StreamsBackend(partitions, topics.insiderState().name());
        final StreamsHealth health = new StreamsHealth("query tier", clock, config.readinessWindow(),
            config.readinessMaxReplacedThreads());
        // registered up front so /metrics shows 0 before the first dead letter
        final Map<HandlerFailure, Counter> deadLetters = new EnumMap<>(HandlerFailure.class);
        for (final HandlerFailure failure : HandlerFailure.values()) {
            deadLetters.put(failure, deadLetterCounter(metrics, failure.kind()));
        }
        final DeadLetterReporting reporting = new DeadLetterReporting("api",
            failure -> deadLetters.get(failure).increment());
        final Counter replacedThreads = Counter.builder("api_stream_threads_replaced")
            .description("Stream threads of the query tier that failed and were replaced").register(metrics);
        final ObjectMapper json = ApiServer.json();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(config.peerTimeout()).build();
        final PeerAuth peerAuth = new PeerAuth(config.secret());
        final NetworkQueries queries = new NetworkQueries(backend, new LocalReader(backend),
            new HttpPeerClient(http, json, peerAuth, config.peerTimeout()));
        final ApiServer server = ApiServer.start(config.httpHost(), config.httpPort(), new ApiServer.Wiring(queries,
            config.apiKeys(), new RateLimiter(), peerAuth, new TokenCodec(config.secret(), json), http,
            config.peerTimeout(), config.networkId(), config.updatesRetention(), config.maxConnections(), clock,
            health::status, metrics, openApiJson(), config.headerTimeout(),
            config.streamSettings()));
        try {
            final HostInfo self = new HostInfo(config.advertisedHost(), server.port());
            final KafkaStreams streams = new KafkaStreams(
                new MaterializeTopology(topics, config.updatesRetention(), clock).build(),
                config.streamsProperties(self.host() + ":" + self.port(), reporting));
            streams.setStateListener((to, from) -> {
                log.info("api-sink state from {} to {}", from, to);
                health.onStateChange(to);
            });
            streams.setUncaughtExceptionHandler(e -> {
                log.error("api-sink thread failed; replacing it", e);
                replacedThreads.increment();
                health.onThreadReplaced();
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(metrics);
            streams.start();
            backend.attach(streams, self);
            log.info("api-sink serving as {} over {} partitions", self, partitions);
            return new ApiService(streams, server, backend, streamsMetrics);
        } catch (final RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Counter deadLetterCounter(final PrometheusMeterRegistry metrics, final String reason) {
        return Counter.builder("api_dead_letters").description("Records sent to the query tier's dead-letter topic")
            .tag("reason", reason).register(metrics);
    }

    /** The OpenAPI document of the API, as JSON. */
    public static String openApiJson() {
        try (InputStream in = ApiService.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            return new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(new YAMLMapper().readTree(in));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read openapi.yaml", e);
        }
    }

    /** The bound HTTP port. */
    public int port() {
        return server.port();
    }

    /** Whether the stores are queryable. */
    public boolean ready() {
        return backend.ready();
    }

    @Override
    public void close() {
        server.close();
        streamsMetrics.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
        log.info("api-sink stopped");
    }
}
