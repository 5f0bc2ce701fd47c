package io.insidernetwork.local;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job: broker + ingest + graph-stream + api-sink in one process. Prints one {@code ready:} line when
 * everything serves, and stops cleanly on Ctrl-C (services first, broker last).
 */
public final class LocalMain {

    private static final Logger log = LoggerFactory.getLogger(LocalMain.class);

    private LocalMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        // the ready line and usage are this CLI's own output, for people and scripts; logs go to SLF4J
        final PrintStream out = System.out;
        final LocalOptions options;
        try {
            options = LocalOptions.parse(args, System.getenv());
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final LocalRuntime runtime = LocalRuntime.start(options);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            runtime.close();
            stopped.countDown();
        }, "local-runtime-shutdown"));
        while (!runtime.ready()) {
            if (stopped.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        final String api = "http://127.0.0.1:" + runtime.apiPort();
        out.println(readyLine(runtime.apiPort(), runtime.ingestPort(), runtime.graphPort(), runtime.bootstrapServers()));
        out.printf("  data: %s%n", options.dataDir().toAbsolutePath());
        out.printf("  demo API key: %s (also in api-key.txt; webhook secret in webhook-secret.txt, export webhook "
            + "token in export-webhook-token.txt)%n", runtime.apiKey());
        final String insider = runtime.sampleInsider();
        final String curl = "  curl -s -H 'X-API-Key: " + runtime.apiKey() + "' '" + api;
        out.println(curl + "/api/v1/networks/dump?limit=5'");
        out.println(curl + "/api/v1/insiders/" + insider + "'");
        out.println(curl + "/api/v1/insiders/" + insider + "/network?degree=2'");
        out.flush();
        runtime.startSimulation(out);
        stopped.await();
    }

    /** The first line printed once everything serves: every address, the dashboard's last. */
    static String readyLine(final int apiPort, final int ingestPort, final int graphPort, final String kafka) {
        final String api = "http://127.0.0.1:" + apiPort;
        return String.format("ready: api=%s ingest=http://127.0.0.1:%d graph=http://127.0.0.1:%d kafka=%s "
            + "dashboard=%s/dashboard", api, ingestPort, graphPort, kafka, api);
    }
}
