package io.insidernetwork.graph;

import io.insidernetwork.schemas.streams.StreamsHealth;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * graph-stream's small HTTP server: {@code GET /health/live} (UP while the process serves), {@code /health/ready}
 * (503 DOWN with the reason while the Streams application is not RUNNING or its threads keep failing) and
 * {@code /metrics} (Prometheus text: Kafka Streams' metrics through Micrometer's binder, and the dead-letter counter).
 */
final class HealthServer implements AutoCloseable {

    private static final String JSON = "application/json";

    private final Javalin http;

    private HealthServer(final Javalin http) {
        this.http = http;
    }

    static HealthServer start(final int port, final StreamsHealth health, final PrometheusMeterRegistry registry) {
        final Javalin http = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        http.get("/health/live", ctx -> ctx.contentType(JSON).result("{\"status\":\"UP\"}"));
        http.get("/health/ready", ctx -> {
            final StreamsHealth.Status status = health.status();
            ctx.status(status.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).contentType(JSON)
                .result(status.ready() ? "{\"status\":\"UP\"}"
                    : "{\"status\":\"DOWN\",\"reason\":\"" + status.reason().replace("\"", "'") + "\"}");
        });
        http.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
            .result(registry.scrape()));
        http.start(port);
        return new HealthServer(http);
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
    }
}
