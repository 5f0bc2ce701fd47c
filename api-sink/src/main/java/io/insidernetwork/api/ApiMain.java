package io.insidernetwork.api;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs api-sink: {@code ApiMain [config.properties]}; environment variables override the file. */
public final class ApiMain {

    private static final Logger log = LoggerFactory.getLogger(ApiMain.class);

    private ApiMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final ApiConfig config = ApiConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        log.info("Starting api-sink with {}", config.values());
        final ApiService service = ApiService.start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "api-sink-shutdown"));
        stopped.await();
    }
}
