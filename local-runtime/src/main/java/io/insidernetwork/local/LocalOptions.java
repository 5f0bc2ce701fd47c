package io.insidernetwork.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Options of the all-in-one runtime, from flags, then the environment ({@code API_PORT}, {@code INGEST_PORT},
 * {@code DATA_DIR}), then defaults.
 *
 * @param bootstrapServers an external broker to use; empty starts the in-process broker
 */
public record LocalOptions(int apiPort, int ingestPort, Path dataDir, boolean reset,
                           Optional<String> bootstrapServers, String topicPrefix) {

    static final String USAGE = """
        usage: local-runtime [--api-port N] [--ingest-port N] [--data-dir DIR] [--reset] [--bootstrap-servers H:P]
          --api-port N           port of the Network & Insider Analytics API (env API_PORT; 0 = free port; default 8080)
          --ingest-port N        port of the webhooks (env INGEST_PORT; 0 = free port; default 8081)
          --data-dir DIR         broker data and state stores (env DATA_DIR; default ./local-data); kept across runs
          --reset                delete the data directory first and start clean
          --bootstrap-servers    use this Kafka instead of starting one in-process""";

    /** Parses {@code args} with {@code env} as fallback; throws IllegalArgumentException with the usage. */
    public static LocalOptions parse(final String[] args, final Map<String, String> env) {
        int apiPort = port(env.getOrDefault("API_PORT", "8080"), "API_PORT");
        int ingestPort = port(env.getOrDefault("INGEST_PORT", "8081"), "INGEST_PORT");
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "local-data"));
        boolean reset = false;
        Optional<String> bootstrap = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--api-port" -> apiPort = port(value(args, ++i), "--api-port");
                case "--ingest-port" -> ingestPort = port(value(args, ++i), "--ingest-port");
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--reset" -> reset = true;
                case "--bootstrap-servers" -> bootstrap = Optional.of(value(args, ++i));
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new LocalOptions(apiPort, ingestPort, dataDir, reset, bootstrap, "");
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

    /** The same options with another topic prefix (tests). */
    public LocalOptions withTopicPrefix(final String prefix) {
        return new LocalOptions(apiPort, ingestPort, dataDir, reset, bootstrapServers, prefix);
    }
}
