package io.insidernetwork.schemas.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller, node id 1) running inside this JVM.
 *
 * <p>Listeners bind to 127.0.0.1 only. Storage is formatted on first use of a data directory and reused afterwards,
 * so a broker restarted on a persistent directory keeps its data and starts in well under a second. A temporary
 * directory (the default) is deleted on {@link #close()}.
 *
 * <p>Starting a broker replaces Kafka's {@link Exit} halt and exit procedures for the whole JVM: a fatal broker fault
 * then throws instead of halting the process. Close the broker last, after the clients and apps that use it; the JVM
 * does not exit while a broker is open.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String LOG_DIR_NAME = "kraft-logs";
    private static final int MAX_START_ATTEMPTS = 5;
    private static final AtomicBoolean EXIT_PROCEDURES_INSTALLED = new AtomicBoolean();

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean temporary;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(final KafkaRaftServer server, final int port, final Path dataDir,
                                final boolean temporary) {
        this.server = server;
        this.bootstrapServers = HOST + ":" + port;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /** Returns a builder for a broker on a fresh temporary directory and a free port. */
    public static Builder builder() {
        return new Builder();
    }

    /** The client bootstrap address, {@code 127.0.0.1:<port>}; never null. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding the broker's data and metadata logs; never null. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits for it to finish; deletes the data directory if it was temporary. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final long startNanos = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                deleteQuietly(dataDir);
            }
        }
        log.info("Kafka broker at {} stopped in {} ms", bootstrapServers, elapsedMillis(startNanos));
    }

    /** Configures and starts an {@link EmbeddedKafkaBroker}. Not thread-safe. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** A persistent data directory, formatted on first use and kept on close. Default: a temporary one. */
        public Builder dataDir(final Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The client listener port; 0 (the default) picks a free port. */
        public Builder port(final int clientPort) {
            if (clientPort < 0 || clientPort > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535]: " + clientPort);
            }
            this.port = clientPort;
            return this;
        }

        /** An extra broker setting; it overrides the single-node defaults of the same key. */
        public Builder property(final String key, final String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Formats the storage if needed, then starts the broker and waits until it accepts clients. */
        public EmbeddedKafkaBroker start() {
            final long startNanos = System.nanoTime();
            final boolean temporary = dataDir == null;
            final Path dir = temporary ? createTempDir() : dataDir;
            try {
                final Path logDir = dir.resolve(LOG_DIR_NAME);
                if (port != 0) {
                    requireFree(port);
                }
                formatIfNeeded(logDir);
                installExitProcedures();
                final EmbeddedKafkaBroker broker = startWithRetries(dir, logDir, temporary);
                log.info("Kafka broker started at {} in {} ms, data in {}",
                        broker.bootstrapServers(), elapsedMillis(startNanos), dir);
                return broker;
            } catch (RuntimeException e) {
                if (temporary) {
                    deleteQuietly(dir);
                }
                throw e;
            }
        }

        private EmbeddedKafkaBroker startWithRetries(final Path dir, final Path logDir, final boolean temporary) {
            for (int attempt = 1; ; attempt++) {
                final int clientPort = port == 0 ? freePort() : port;
                final int controllerPort = freePort();
                final KafkaRaftServer server = new KafkaRaftServer(
                        KafkaConfig.fromProps(brokerProperties(logDir, clientPort, controllerPort), false),
                        Time.SYSTEM);
                try {
                    server.startup();
                    return new EmbeddedKafkaBroker(server, clientPort, dir, temporary);
                } catch (RuntimeException e) {
                    shutdownAfterFailedStart(server, e);
                    // Free ports are picked before binding, so another process may take one in between.
                    if (!(rootCause(e) instanceof BindException) || attempt >= MAX_START_ATTEMPTS) {
                        throw e;
                    }
                    log.warn("retry {} of {}: port {} or {} was taken, starting on other ports",
                            attempt, MAX_START_ATTEMPTS - 1, clientPort, controllerPort);
                }
            }
        }

        private Properties brokerProperties(final Path logDir, final int clientPort, final int controllerPort) {
            final Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            props.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort + ","
                    + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
            props.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort);
            props.put("listener.security.protocol.map",
                    CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("inter.broker.listener.name", CLIENT_LISTENER);
            props.put("log.dirs", logDir.toString());
            props.put("metadata.log.dir", logDir.toString());
            // One node: every internal topic and ISR must make do with a single replica.
            props.put("offsets.topic.replication.factor", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("min.insync.replicas", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
            // Short session: a restart after a crash waits for the old registration to expire.
            props.put("broker.session.timeout.ms", "3000");
            props.put("broker.heartbeat.interval.ms", "1000");
            props.put("num.partitions", "3");
            props.put("auto.create.topics.enable", "false");
            props.putAll(properties);
            return props;
        }
    }

    private static void formatIfNeeded(final Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            log.debug("Storage in {} is already formatted", logDir);
            return;
        }
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir, e);
        }
        log.debug("Formatted Kafka storage: {}", output.toString(StandardCharsets.UTF_8).trim());
    }

    private static void installExitProcedures() {
        if (!EXIT_PROCEDURES_INSTALLED.compareAndSet(false, true)) {
            return;
        }
        // Kafka halts the JVM on fatal faults, skipping shutdown hooks; in-process that would kill the host app too.
        Exit.setHaltProcedure((status, message) -> {
            log.error("Kafka requested halt({}): {}", status, message);
            throw new IllegalStateException("Kafka requested halt(" + status + "): " + message);
        });
        Exit.setExitProcedure((status, message) -> {
            log.error("Kafka requested exit({}): {}", status, message);
            throw new IllegalStateException("Kafka requested exit(" + status + "): " + message);
        });
    }

    private static void shutdownAfterFailedStart(final KafkaRaftServer server, final RuntimeException cause) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    // Fails fast with a clear message: retrying a taken fixed port would only repeat Kafka's bind errors.
    private static void requireFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka client port " + HOST + ":" + port + " is not free", e);
        }
    }

    private static Path createTempDir() {
        try {
            // Surefire may point java.io.tmpdir at a folder under target/ that does not exist yet.
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory("embedded-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary Kafka data directory", e);
        }
    }

    private static void deleteQuietly(final Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("Cannot delete Kafka data directory {}", dir, e);
        }
    }

    private static Throwable rootCause(final Throwable throwable) {
        Throwable cause = throwable;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static long elapsedMillis(final long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
