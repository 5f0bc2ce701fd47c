package io.insidernetwork.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Options of the all-in-one runtime, from flags, then the environment ({@code API_PORT}, {@code INGEST_PORT},
 * {@code GRAPH_PORT}, {@code KAFKA_PORT}, {@code DATA_DIR}), then defaults.
 *
 * @param bootstrapServers an external broker to use; empty starts the in-process broker
 * @param kafkaPort        client port of the in-process broker: this port when free, else a free one (with a
 *                         warning); 0 = always a free one
 */
public record LocalOptions(int apiPort, int ingestPort, int graphPort, int kafkaPort, Path dataDir, boolean reset,
                           Optional<String> bootstrapServers, String topicPrefix, Simulation simulation) {

    /**
     * What the built-in simulator sends: partner events over a power-law referral graph of {@code insiders}
     * insiders at {@code eventsPerSecond}, reproducible from {@code seed}; {@code enabled=false} sends nothing.
     */
    public record Simulation(boolean enabled, int insiders, double eventsPerSecond, long seed, boolean insightIq,
                             String exportFormat) {

        /** The defaults of the main job: a few thousand insiders, a few hundred events/s, every upstream. */
        public static Simulation defaults() {
            return new Simulation(true, 3_000, 300, 42L, true, "csv");
        }

        /** No simulator. */
        public static Simulation off() {
            return new Simulation(false, 0, 0, 0L, false, "off");
        }

        /** Only the partner-event producers (no InsightIQ sandbox, no export server). */
        public static Simulation partnerEventsOnly(final int insiders, final double eventsPerSecond,
                                                   final long seed) {
            return new Simulation(true, insiders, eventsPerSecond, seed, false, "off");
        }
    }

    /** Options for tests: free ports, an external broker, a topic prefix, no simulator. */
    public static LocalOptions forTests(final Path dataDir, final String bootstrapServers, final String prefix) {
        return new LocalOptions(0, 0, 0, 0, dataDir, false, Optional.of(bootstrapServers), prefix, Simulation.off());
    }

    /** The same options with another simulation. */
    public LocalOptions withSimulation(final Simulation other) {
        return new LocalOptions(apiPort, ingestPort, graphPort, kafkaPort, dataDir, reset, bootstrapServers,
            topicPrefix, other);
    }

    static final String USAGE = """
        usage: local-runtime [--api-port N] [--ingest-port N] [--kafka-port N] [--data-dir DIR] [--reset]
                             [--bootstrap-servers H:P]
          --api-port N           port of the Network & Insider Analytics API (env API_PORT; 0 = free port; default 8080)
          --ingest-port N        port of the webhooks (env INGEST_PORT; 0 = free port; default 8081)
          --graph-port N         port of graph-stream's health and metrics (env GRAPH_PORT; 0 = free port; default 8082)
          --kafka-port N         client port of the in-process Kafka (env KAFKA_PORT; default 9092; when taken, a free
                                 port with a warning; 0 = free port)
          --data-dir DIR         broker data and state stores (env DATA_DIR; default ./local-data); kept across runs
          --reset                delete the data directory first and start clean
          --bootstrap-servers    use this Kafka instead of starting one in-process
          --insiders N           size of the simulated referral graph (default 3000)
          --rate N               simulated partner events per second (default 300)
          --seed N               seed of the simulation (default 42; same seed, same events)
          --no-insightiq         no InsightIQ sandbox (and no InsightIQ poller)
          --export-format F      format of simulated Insider export files: csv (default), json, parquet, or off
          --no-simulator         start no simulator""";

    /** Parses {@code args} with {@code env} as fallback; throws IllegalArgumentException with the usage. */
    public static LocalOptions parse(final String[] args, final Map<String, String> env) {
        int apiPort = port(env.getOrDefault("API_PORT", "8080"), "API_PORT");
        int ingestPort = port(env.getOrDefault("INGEST_PORT", "8081"), "INGEST_PORT");
        int graphPort = port(env.getOrDefault("GRAPH_PORT", "8082"), "GRAPH_PORT");
        int kafkaPort = port(env.getOrDefault("KAFKA_PORT", "9092"), "KAFKA_PORT");
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "local-data"));
        boolean reset = false;
        Optional<String> bootstrap = Optional.empty();
        final Simulation defaults = Simulation.defaults();
        boolean simulate = true;
        int insiders = defaults.insiders();
        double rate = defaults.eventsPerSecond();
        long seed = defaults.seed();
        boolean insightIq = defaults.insightIq();
        String exportFormat = defaults.exportFormat();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--api-port" -> apiPort = port(value(args, ++i), "--api-port");
                case "--ingest-port" -> ingestPort = port(value(args, ++i), "--ingest-port");
                case "--graph-port" -> graphPort = port(value(args, ++i), "--graph-port");
                case "--kafka-port" -> kafkaPort = port(value(args, ++i), "--kafka-port");
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--reset" -> reset = true;
                case "--bootstrap-servers" -> bootstrap = Optional.of(value(args, ++i));
                case "--insiders" -> insiders = positive(value(args, ++i), "--insiders");
                case "--rate" -> rate = positive(value(args, ++i), "--rate");
                case "--seed" -> seed = number(value(args, ++i), "--seed");
                case "--no-simulator" -> simulate = false;
                case "--no-insightiq" -> insightIq = false;
                case "--export-format" -> exportFormat = format(value(args, ++i));
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new LocalOptions(apiPort, ingestPort, graphPort, kafkaPort, dataDir, reset, bootstrap, "",
            simulate ? new Simulation(true, insiders, rate, seed, insightIq, exportFormat) : Simulation.off());
    }

    private static String value(final String[] args, final int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int port(final String raw, final String name) {
        try {
            final int port = Integer.parseInt(raw.trim());
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be a port 0-65535, got " + raw);
            }
            return port;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port 0-65535, got " + raw, e);
        }
    }

    private static String format(final String raw) {
        if (!java.util.List.of("csv", "json", "parquet", "off").contains(raw)) {
            throw new IllegalArgumentException("--export-format must be csv, json, parquet or off, got " + raw);
        }
        return raw;
    }

    private static int positive(final String raw, final String name) {
        final long value = number(raw, name);
        if (value < 1 || value > 100_000_000) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + raw);
        }
        return (int) value;
    }

    private static long number(final String raw, final String name) {
        try {
            return Long.parseLong(raw.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + raw, e);
        }
    }
}
