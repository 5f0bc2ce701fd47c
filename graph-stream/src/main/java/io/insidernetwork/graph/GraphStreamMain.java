package io.insidernetwork.graph;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs graph-stream: {@code GraphStreamMain [config.properties]}; environment variables override the file. */
public final class GraphStreamMain {

    private static final Logger log = LoggerFactory.getLogger(GraphStreamMain.class);

    private GraphStreamMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final GraphStreamConfig config = GraphStreamConfig.load(args.length > 0 ? Path.of(args[0]) : null,
            System.getenv());
        log.info("Starting graph-stream with {}", config.values());
        final GraphStreamService service = GraphStreamService.start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "graph-stream-shutdown"));
        stopped.await();
    }
}
