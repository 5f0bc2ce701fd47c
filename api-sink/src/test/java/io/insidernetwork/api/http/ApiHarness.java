package io.insidernetwork.api.http;

import io.insidernetwork.api.ApiService;
import io.insidernetwork.api.ContractClient;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.auth.ApiKeys;
import io.insidernetwork.api.auth.PeerAuth;
import io.insidernetwork.api.auth.RateLimiter;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.LocalReader;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.PeerClient;
import io.insidernetwork.api.topology.MaterializeTopology;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.streams.StreamsHealth;
import io.insidernetwork.schemas.topic.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The API server on port 0 over the real topology in a TopologyTestDriver (one partition, no peers): production
 * query, routing and rendering code, real Avro serdes, with inputs piped into graph-stream's topics.
 */
final class ApiHarness implements AutoCloseable {

    /** "Now" of every HTTP test: the change feed's retention horizon is 30 days before it. */
    static final Instant NOW = Instant.parse("2025-07-20T12:00:00Z");
    static final Duration RETENTION = Duration.ofDays(30);
    /** Header timeout of the test server: short, so slow-header tests finish fast. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    /** Live-feed bounds of the test server: small, so cap and heartbeat tests finish fast. */
    static final StreamSettings STREAMS = new StreamSettings(Duration.ofMillis(300), 64 << 10, Duration.ofSeconds(2), 8, 4,
        Duration.ofMillis(50), Duration.ZERO);

    final TopologyTestDriver driver;
    final StoresFromDriver stores;
    final ApiServer server;
    final ContractClient client;
    final TestInputTopic<String, InsiderState> insiders;
    final TestInputTopic<String, ConnectionState> connections;
    final TestInputTopic<String, PurchaseRecord> purchases;
    final TestInputTopic<String, NetworkUpdate> updates;
    final TestInputTopic<String, NetworkSizes> sizes;
    final NetworkQueries queries;

    /** Readiness as the server reports it: DOWN while reads fail, else what {@link #health} says. */
    final StreamsHealth health = new StreamsHealth("query tier", Clock.fixed(NOW, ZoneOffset.UTC),
        Duration.ofMinutes(5), 3);

    ApiHarness(final Path stateDir) {
        final Topics topics = Topics.create("", 1, RETENTION);
        final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "api-http-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(new MaterializeTopology(topics, RETENTION, clock).build(), props, NOW);
        stores = new StoresFromDriver(driver);
        health.onStateChange(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
        final Supplier<StreamsHealth.Status> readiness = () -> stores.failure != null
            ? new StreamsHealth.Status(false, "REBALANCING", "stores are not queryable", 0) : health.status();
        final StringSerializer keys = new StringSerializer();
        insiders = driver.createInputTopic(topics.insiderState().name(), keys,
            topics.insiderState().valueSerde().serializer());
        connections = driver.createInputTopic(topics.connectionState().name(), keys,
            topics.connectionState().valueSerde().serializer());
        purchases = driver.createInputTopic(topics.purchases().name(), keys,
            topics.purchases().valueSerde().serializer());
        updates = driver.createInputTopic(topics.networkUpdates().name(), keys,
            topics.networkUpdates().valueSerde().serializer());
        sizes = driver.createInputTopic(topics.networkSizes().name(), keys,
            topics.networkSizes().valueSerde().serializer());
        final PeerClient noPeers = new NoPeers();
        queries = new NetworkQueries(stores, new LocalReader(stores), noPeers);
        final ApiKeys keys2 = ApiKeys.parse("api.auth.keys",
            List.of(Fixtures.KEY_ENTRY, Fixtures.BRAND_KEY_ENTRY, Fixtures.BRAND_B_KEY_ENTRY, Fixtures.SLOW_KEY_ENTRY),
            10_000, 10_000);
        server = ApiServer.start("127.0.0.1", 0, new ApiServer.Wiring(queries, keys2, new RateLimiter(),
            new PeerAuth(Fixtures.SECRET), new TokenCodec(Fixtures.SECRET, ApiServer.json()),
            HttpClient.newHttpClient(), Duration.ofSeconds(2), "test-network", RETENTION, 10_000, clock,
            readiness, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiService.openApiJson(),
            HEADER_TIMEOUT, STREAMS));
        client = new ContractClient(server.port());
    }

    /** Pipes an insider. */
    void insider(final InsiderState s) {
        insiders.pipeInput(s.getInsiderId(), s, s.getTimeUpdated());
    }

    /** Pipes a connection. */
    void edge(final ConnectionState c) {
        connections.pipeInput(c.getSourceId() + "|" + c.getTargetId(), c, c.getTimeUpdated());
    }

    /** Pipes a purchase. */
    void purchase(final PurchaseRecord p) {
        purchases.pipeInput(Fixtures.purchaseKey(p), p, p.getTimestamp());
    }

    /** Pipes a change-feed entry (record timestamp = updated_at, as graph-stream writes it). */
    void update(final NetworkUpdate u) {
        updates.pipeInput(u.getInsiderId(), u, u.getUpdatedAt());
    }

    /** Pipes an insider's network sizes (record timestamp = time_updated). */
    void sizes(final NetworkSizes s) {
        sizes.pipeInput(s.getInsiderId(), s, s.getTimeUpdated());
    }

    @Override
    public void close() {
        server.close();
        driver.close();
    }

    /** A single instance has no peers to ask. */
    private static final class NoPeers implements PeerClient {
        @Override
        public io.insidernetwork.api.query.Dtos.PartialPage<io.insidernetwork.api.query.Dtos.DumpEntry> dump(
            final org.apache.kafka.streams.state.HostInfo peer, final io.insidernetwork.api.query.DumpQuery query,
            final io.insidernetwork.api.query.NetworkScope scope) {
            throw new AssertionError("no peers in a single-instance test");
        }

        @Override
        public io.insidernetwork.api.query.Dtos.PartialPage<io.insidernetwork.api.query.Dtos.UpdateEntry> updates(
            final org.apache.kafka.streams.state.HostInfo peer, final io.insidernetwork.api.query.UpdatesQuery query,
            final io.insidernetwork.api.query.NetworkScope scope) {
            throw new AssertionError("no peers in a single-instance test");
        }

        @Override
        public io.insidernetwork.api.query.Dtos.EdgesAnswer edges(final org.apache.kafka.streams.state.HostInfo peer,
                                                                  final java.util.Collection<String> ids) {
            throw new AssertionError("no peers in a single-instance test");
        }

        @Override
        public io.insidernetwork.api.query.Dtos.InsiderFactsAnswer facts(
            final org.apache.kafka.streams.state.HostInfo peer, final java.util.Collection<String> ids) {
            throw new AssertionError("no peers in a single-instance test");
        }

        @Override
        public io.insidernetwork.api.query.NetworkSummary summary(final org.apache.kafka.streams.state.HostInfo peer,
                                                                  final io.insidernetwork.api.query.NetworkScope scope,
                                                                  final int top) {
            throw new AssertionError("no peers in a single-instance test");
        }

        @Override
        public io.insidernetwork.api.query.Dtos.PurchasesAnswer purchases(
            final org.apache.kafka.streams.state.HostInfo peer, final java.util.Collection<String> ids) {
            throw new AssertionError("no peers in a single-instance test");
        }
    }
}
