package io.insidernetwork.ingest;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the ingest service: {@code IngestMain [config.properties]}; environment variables override the file. */
public final class IngestMain {

    private static final Logger log = LoggerFactory.getLogger(IngestMain.class);

    private IngestMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final IngestConfig config = IngestConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        log.info("Starting ingest with {}", config.values());
        final IngestService service = IngestService.start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        stopped.await();
    }
}
