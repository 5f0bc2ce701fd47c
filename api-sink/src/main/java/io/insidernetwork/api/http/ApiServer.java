package io.insidernetwork.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.api.query.DumpPage;
import io.insidernetwork.api.query.DumpQuery;
import io.insidernetwork.api.query.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer of the Network &amp; Insider Analytics API. Every failure goes through one error mapping: the seed's
 * envelope, 503 + Retry-After while stores are unavailable, 500 with only a request id.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int RETRY_AFTER_SECONDS = 2;

    private final Javalin app;

    private ApiServer(final Javalin app) {
        this.app = app;
    }

    /** Starts the server on {@code host:port} (0 = free port). */
    public static ApiServer start(final String host, final int port, final Function<DumpQuery, DumpPage> dump,
                                  final String networkId, final BooleanSupplier ready, final Clock clock) {
        final ObjectMapper json = new ObjectMapper();
        final Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
        });
        app.before(RequestMeta::assign);
        app.get("/api/v1/networks/dump", new DumpHandler(dump, networkId, clock));
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        app.get("/health/ready", ctx -> {
            final boolean up = ready.getAsBoolean();
            ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN"));
        });
        app.exception(ApiError.class, (e, ctx) -> respond(ctx, e));
        app.exception(StoreUnavailableException.class, (e, ctx) -> respond(ctx,
            ApiError.unavailable(RETRY_AFTER_SECONDS, "network state is rebalancing or restoring")));
        app.exception(Exception.class, (e, ctx) -> {
            final String requestId = RequestMeta.id(ctx);
            log.error("Request {} {} failed, request id {}", ctx.method(), ctx.path(), requestId, e);
            respond(ctx, ApiError.internal(requestId));
        });
        app.error(404, ctx -> {
            if (ctx.attribute("api-error") == null) {
                respond(ctx, ApiError.notFound("Resource not found.", "no route " + ctx.method() + " " + ctx.path()));
            }
        });
        app.start(host, port);
        log.info("API listening on port {}", app.port());
        return new ApiServer(app);
    }

    private static void respond(final Context ctx, final ApiError error) {
        ctx.attribute("api-error", Boolean.TRUE);
        if (error.body().retryAfter() != null) {
            ctx.header("Retry-After", Integer.toString(error.body().retryAfter()));
        }
        ctx.status(error.status()).json(new Envelope.Failure(false, error.body(), RequestMeta.of(ctx)));
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
