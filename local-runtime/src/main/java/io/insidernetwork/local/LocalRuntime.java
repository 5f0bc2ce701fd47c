package io.insidernetwork.local;

import io.insidernetwork.api.ApiConfig;
import io.insidernetwork.api.ApiService;
import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.local.sim.PartnerEventGenerator;
import io.insidernetwork.local.sim.Simulator;
import io.insidernetwork.schemas.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process: a real Kafka broker (in-process KRaft unless an external one is given), then
 * ingest, graph-stream and api-sink. {@link #close()} stops the services first and the broker last.
 */
public final class LocalRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRuntime.class);
    private static final String GRAPH_APP_ID = "insider-graph";
    private static final int LOCAL_KEY_RPS = 100_000;

    private final EmbeddedKafkaBroker broker;
    private final List<AutoCloseable> services;
    private final IngestService ingest;
    private final ApiService api;
    private final String webhookSecret;
    private final String bootstrapServers;
    private final LocalOptions options;
    private final Map<String, Object> kafka;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final String apiKey;

    private LocalRuntime(final EmbeddedKafkaBroker broker, final List<AutoCloseable> services,
                         final IngestService ingest, final ApiService api, final String webhookSecret,
                         final String bootstrapServers, final LocalOptions options, final String apiKey) {
        this.broker = broker;
        this.services = services;
        this.ingest = ingest;
        this.api = api;
        this.webhookSecret = webhookSecret;
        this.bootstrapServers = bootstrapServers;
        this.options = options;
        this.kafka = Map.of("bootstrap.servers", bootstrapServers);
        this.apiKey = apiKey;
    }

    /** Starts everything; on failure stops what already started and rethrows. */
    public static LocalRuntime start(final LocalOptions options) {
        final Path dataDir = options.dataDir().toAbsolutePath();
        if (options.reset()) {
            deleteRecursively(dataDir);
        }
        EmbeddedKafkaBroker broker = null;
        final List<AutoCloseable> started = new ArrayList<>();
        try {
            Files.createDirectories(dataDir);
            final String bootstrap;
            if (options.bootstrapServers().isPresent()) {
                bootstrap = options.bootstrapServers().get();
            } else {
                broker = EmbeddedKafkaBroker.builder().dataDir(dataDir.resolve("kafka"))
                    .port(brokerPort(options.kafkaPort())).start();
                bootstrap = broker.bootstrapServers();
            }
            final String secret = webhookSecret(dataDir);
            final Map<String, Object> common = new HashMap<>();
            common.put(CommonConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            common.put(CommonConfig.TOPICS_PREFIX_CONFIG, options.topicPrefix());

            final Map<String, Object> graph = new HashMap<>(common);
            graph.put(GraphStreamConfig.STATE_DIR_CONFIG, dataDir.resolve("state/graph-stream").toString());
            graph.put(GraphStreamConfig.APPLICATION_ID_CONFIG, options.topicPrefix() + GRAPH_APP_ID);
            graph.put(GraphStreamConfig.HTTP_PORT_CONFIG, options.graphPort());
            final GraphStreamService graphStream = GraphStreamService.start(new GraphStreamConfig(graph));
            started.add(0, graphStream);

            final Map<String, Object> apiSettings = new HashMap<>(common);
            apiSettings.put(ApiConfig.STATE_DIR_CONFIG, dataDir.resolve("state/api-sink").toString());
            apiSettings.put(ApiConfig.APPLICATION_ID_CONFIG, options.topicPrefix() + "insider-api");
            apiSettings.put(ApiConfig.HTTP_HOST_CONFIG, "127.0.0.1");
            apiSettings.put(ApiConfig.HTTP_PORT_CONFIG, options.apiPort());
            // one local instance: no other instance to keep a standby on (Streams would warn at every start)
            apiSettings.put(ApiConfig.STANDBY_REPLICAS_CONFIG, 0);
            final String apiKey = generatedSecret(dataDir, "api-key.txt", "");
            // the local demo key reads every network and is not throttled in practice (100k requests/s)
            apiSettings.put(ApiConfig.AUTH_KEYS_CONFIG, "local:" + sha256Hex(apiKey) + ":*:" + LOCAL_KEY_RPS);
            apiSettings.put(ApiConfig.SECRET_CONFIG, generatedSecret(dataDir, "api-secret.txt", ""));
            final ApiService api = ApiService.start(new ApiConfig(apiSettings));
            started.add(0, api);

            final Map<String, Object> ingestSettings = new HashMap<>(common);
            // upstream simulators call ingest back, so its port must be known before they start
            final int ingestPort = options.ingestPort() != 0 || !options.simulation().enabled()
                ? options.ingestPort() : freePort();
            ingestSettings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
            ingestSettings.put(IngestConfig.HTTP_PORT_CONFIG, ingestPort);
            ingestSettings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, secret);
            // The export webhook needs a token: generated at first start and kept, like the API key.
            ingestSettings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG,
                generatedSecret(dataDir, "export-webhook-token.txt", ""));
            if (options.simulation().enabled()) {
                started.addAll(0, Upstreams.start(options.simulation(), dataDir, ingestPort, ingestSettings));
            }
            final IngestService ingest = IngestService.start(new IngestConfig(ingestSettings));
            started.add(0, ingest);
            return new LocalRuntime(broker, started, ingest, api, secret, bootstrap, options, apiKey);
        } catch (final IOException | RuntimeException e) {
            closeAll(started);
            if (broker != null) {
                broker.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Starts the simulator of the options (if enabled) and a progress line every five seconds on {@code out}.
     */
    public void startSimulation(final PrintStream out) {
        final LocalOptions.Simulation simulation = options.simulation();
        final Simulator simulator = simulation.enabled()
            ? Simulator.start(URI.create("http://127.0.0.1:" + ingestPort()), webhookSecret, simulation.insiders(),
                simulation.eventsPerSecond(), simulation.seed(), Long.MAX_VALUE, options.dataDir(), (b, t) -> { })
            : null;
        final Topics topics = Topics.create(options.topicPrefix(), Topics.DEFAULT_PARTITIONS, Duration.ofDays(30));
        final ProgressReporter progress = new ProgressReporter(kafka, topics.networkUpdates(),
            topics.partnerEvents().name(), options.topicPrefix() + GRAPH_APP_ID, simulator == null ? () -> 0L : simulator::accepted, out,
            Duration.ofSeconds(5));
        progress.start();
        // stop order on close: progress and simulator before the services they talk to
        extras.add(progress);
        if (simulator != null) {
            extras.add(simulator);
        }
    }

    /** Port of the API. */
    public int apiPort() {
        return api.port();
    }

    /** Port of the webhooks. */
    public int ingestPort() {
        return ingest.port();
    }

    /** Port of graph-stream's health and metrics server (/health/live, /health/ready, /metrics). */
    public int graphPort() {
        return services.stream().filter(GraphStreamService.class::isInstance).map(GraphStreamService.class::cast)
            .findFirst().orElseThrow().httpPort();
    }

    /** Whether the API's stores are queryable. */
    public boolean ready() {
        return api.ready();
    }

    /** The Standard Webhooks secret partner webhooks must be signed with. */
    public String webhookSecret() {
        return webhookSecret;
    }

    /** An insider of the simulation to show in the printed examples. */
    public String sampleInsider() {
        final LocalOptions.Simulation simulation = options.simulation();
        // the simulation's first insider: the oldest, so usually a hub with a large network
        return new PartnerEventGenerator(simulation.seed(), Math.max(2, simulation.insiders()), "mybrand",
            java.time.Clock.systemUTC()).next().subject();
    }

    /** The API key of the local API (all partner networks); kept in api-key.txt of the data directory. */
    public String apiKey() {
        return apiKey;
    }

    /** Bootstrap servers of the broker in use. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        closeAll(extras);
        closeAll(services);
        if (broker != null) {
            broker.close();
        }
        log.info("Local runtime stopped");
    }

    /**
     * The client port for the in-process broker: {@code wanted} when it is free on 127.0.0.1 (a stable address for
     * outside consumers), else 0 (a free port) with a warning; 0 stays 0.
     */
    static int brokerPort(final int wanted) {
        if (wanted == 0) {
            return 0;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), wanted));
            return wanted;
        } catch (final IOException e) {
            log.warn("Kafka port {} is taken ({}); the broker starts on a free port instead (see the ready: line; "
                + "--kafka-port or KAFKA_PORT picks another)", wanted, e.getMessage());
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0,
            java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void closeAll(final List<AutoCloseable> services) {
        for (final AutoCloseable service : services) {
            try {
                service.close();
            } catch (final Exception e) {
                log.warn("Failed to stop {}", service.getClass().getSimpleName(), e);
            }
        }
    }

    /** The secret kept in the data directory, created at first start, so restarts keep signing keys valid. */
    private static String webhookSecret(final Path dataDir) throws IOException {
        final String fromEnv = System.getenv("INGEST_WEBHOOK_SECRETS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        final Path file = dataDir.resolve("webhook-secret.txt");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        final String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return secret;
    }

    /** A random secret kept in {@code file} of the data directory, created at first start. */
    private static String generatedSecret(final Path dataDir, final String file, final String prefix)
        throws IOException {
        final Path path = dataDir.resolve(file);
        if (Files.exists(path)) {
            return Files.readString(path, StandardCharsets.UTF_8).trim();
        }
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        final String secret = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        Files.writeString(path, secret + "\n", StandardCharsets.UTF_8);
        return secret;
    }

    private static String sha256Hex(final String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static void deleteRecursively(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot reset " + dir, e);
        }
    }
}
