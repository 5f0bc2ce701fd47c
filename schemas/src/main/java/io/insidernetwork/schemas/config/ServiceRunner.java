package io.insidernetwork.schemas.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.config.AbstractConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every service: loads its config (optional file as first argument, environment overrides),
 * logs it once, starts the service and keeps the JVM alive until SIGTERM/Ctrl-C, which closes the service.
 */
public final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    /**
     * Runs a service until the JVM is asked to stop.
     *
     * @param name  service name for logs and the shutdown thread
     * @param load  builds the validated config from a file (may be null) and the environment
     * @param start starts the service from its config
     */
    public static <C extends AbstractConfig> void run(final String name, final String[] args,
                                                      final BiFunction<Path, Map<String, String>, C> load,
                                                      final Function<C, ? extends AutoCloseable> start)
        throws InterruptedException {
        final C config = load.apply(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        log.info("Starting {} with {}", name, config.values());
        final AutoCloseable service = start.apply(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (final Exception e) {
                log.warn("{} did not stop cleanly", name, e);
            } finally {
                stopped.countDown();
            }
        }, name + "-shutdown"));
        stopped.await();
    }
}
