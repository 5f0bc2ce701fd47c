package io.insidernetwork.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.api.auth.ApiKey;
import io.insidernetwork.api.auth.ApiKeys;
import io.insidernetwork.api.auth.PeerAuth;
import io.insidernetwork.api.auth.RateLimiter;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.HttpPeerClient;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.PeerException;
import io.insidernetwork.api.query.StoreUnavailableException;
import io.insidernetwork.schemas.streams.StreamsHealth;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP layer of the Network &amp; Insider Analytics API. Every {@code /api} request is authenticated (API key,
 * partner scope, per-key rate limit) and every failure goes through one error mapping into the seed's envelope:
 * 503 + Retry-After while stores are unavailable, 502/504 when a peer fails, 500 with only a request id.
 */
public final class ApiServer implements AutoCloseable {

    /** Context attribute set once an answer (error or relayed) is written, so the 404 fallback leaves it alone. */
    static final String ANSWERED = "api-answered";

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int RETRY_AFTER_SECONDS = 2;
    /** How long one summary answer is reused for the same scope (one pass over the stores per period). */
    private static final Duration SUMMARY_MAX_AGE = Duration.ofSeconds(1);
    /** The challenges of a 401: the key as a bearer token, or in the X-API-Key header. */
    static final String CHALLENGE = "Bearer realm=\"insider-network-api\", "
        + "ApiKey realm=\"insider-network-api\", header=\"X-API-Key\"";

    private final Javalin app;
    private final StreamHub hub;

    private ApiServer(final Javalin app, final StreamHub hub) {
        this.app = app;
        this.hub = hub;
    }

    /**
     * What the server needs.
     *
     * @param ready         whether the instance can answer (for /health/ready), and why not
     * @param headerTimeout longest a client may take to send a request's line and headers
     * @param maxConnections largest page of a network answer's connections (its {@code limit})
     * @param stream        bounds of the live feed
     */
    public record Wiring(NetworkQueries queries, ApiKeys keys, RateLimiter rateLimiter, PeerAuth peerAuth,
                        TokenCodec tokens, HttpClient http, Duration peerTimeout, String networkId,
                        Duration updatesRetention, int maxConnections, Clock clock, Supplier<StreamsHealth.Status> ready,
                        PrometheusMeterRegistry metrics, String openApiJson, Duration headerTimeout,
                        StreamSettings stream) {
    }

    /** The JSON mapper of answers and peer calls. */
    public static ObjectMapper json() {
        return new ObjectMapper();
    }

    /** Starts the server on {@code host:port} (0 = free port). */
    public static ApiServer start(final String host, final int port, final Wiring w) {
        final Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json(), false));
            cfg.requestLogger.http((ctx, ms) -> record(w.metrics(), ctx, ms));
            Dashboard.configure(cfg);
            // Jetty's own answers (bad request line, URI too long, headers too large) in the error envelope
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new EnvelopeErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new EnvelopeErrorHandler()));
            cfg.jetty.addConnector((server, http) -> {
                final ServerConnector connector = new ServerConnector(server,
                    new HeaderTimeoutConnectionFactory(http, w.headerTimeout()));
                connector.setHost(host);
                connector.setPort(port);
                return connector;
            });
        });
        final InsiderResolver resolver = new InsiderResolver(w.queries(),
            new Forwarder(w.http(), w.peerAuth(), w.peerTimeout()));
        final Counter rateLimited = Counter.builder("api_rate_limited").description("Requests answered 429")
            .register(w.metrics());
        app.before(ctx -> RequestMeta.assign(ctx));
        app.before("/api/*", ctx -> authenticate(ctx, w, rateLimited));
        app.before("/internal/*", ctx -> {
            if (!w.peerAuth().valid(ctx.header(PeerAuth.HEADER))) {
                throw ApiError.unauthorized();
            }
        });
        app.after(ctx -> MDC.remove("request_id"));
        app.get("/api/v1/networks/dump", new DumpHandler(w.queries(), w.networkId(), w.clock()));
        app.get("/api/v1/networks/updates/since/{timestamp}",
            new UpdatesHandler(w.queries(), w.tokens(), w.updatesRetention(), w.clock()));
        app.get("/api/v1/networks/summary", new SummaryHandler(w.queries(), w.clock(), SUMMARY_MAX_AGE));
        final Counter slowStreams = Counter.builder("api_stream_slow_disconnects")
            .description("Live-feed streams ended because the client did not keep up").register(w.metrics());
        final StreamCursors cursors = new StreamCursors(w.tokens());
        final StreamHub hub = new StreamHub(w.queries(), cursors, w.stream(), w.clock(), json(),
            s -> slowStreams.increment());
        Gauge.builder("api_streams_open", hub, StreamHub::openStreams).description("Open live-feed streams")
            .register(w.metrics());
        app.get("/api/v1/networks/updates/stream",
            new StreamHandler(hub, cursors, w.stream(), w.updatesRetention(), w.clock()));
        app.get("/api/v1/insiders/{insider_id}", new ProfileHandler(resolver, w.queries()));
        app.get("/api/v1/insiders/{insider_id}/network",
            new NetworkHandler(resolver, w.queries(), w.tokens(), w.maxConnections()));
        app.get("/api/v1/insiders/{insider_id}/behavior", new BehaviorHandler(resolver, w.queries()));
        final InternalHandlers internal = new InternalHandlers(w.queries());
        app.get(HttpPeerClient.DUMP_PATH, internal::dump);
        app.get(HttpPeerClient.UPDATES_PATH, internal::updates);
        app.post(HttpPeerClient.EDGES_PATH, internal::edges);
        app.post(HttpPeerClient.PURCHASES_PATH, internal::purchases);
        app.post(HttpPeerClient.FACTS_PATH, internal::facts);
        app.get(HttpPeerClient.SUMMARY_PATH, internal::summary);
        Dashboard.routes(app);
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(w.openApiJson()));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
            .result(w.metrics().scrape()));
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        app.get("/health/ready", ctx -> {
            final StreamsHealth.Status status = w.ready().get();
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status.ready() ? "UP" : "DOWN");
            body.put("state", status.state());
            if (!status.ready()) {
                body.put("reason", status.reason());
            }
            body.put("replaced_threads", status.replacedThreads());
            ctx.status(status.ready() ? 200 : 503).json(body);
        });
        app.exception(ApiError.class, (e, ctx) -> respond(ctx, e));
        app.exception(StoreUnavailableException.class, (e, ctx) -> {
            log.debug("Request {} answered 503: {}", RequestMeta.id(ctx), e.getMessage());
            respond(ctx, ApiError.unavailable(RETRY_AFTER_SECONDS, "network state is rebalancing or restoring"));
        });
        app.exception(PeerException.class, (e, ctx) -> {
            log.warn("Request {} failed calling a peer: {}", RequestMeta.id(ctx), e.getMessage());
            respond(ctx, e.timeout() ? ApiError.gatewayTimeout("another instance did not answer in time")
                : ApiError.badGateway("another instance could not answer"));
        });
        app.exception(Exception.class, (e, ctx) -> {
            final String requestId = RequestMeta.id(ctx);
            log.error("Request {} {} failed, request id {}", ctx.method(), ctx.path(), requestId, e);
            respond(ctx, ApiError.internal(requestId));
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                respond(ctx, ApiError.notFound("Resource not found.", "no route " + ctx.method() + " " + ctx.path()));
            }
        });
        try {
            app.start();
        } catch (final RuntimeException e) {
            hub.close();
            throw e;
        }
        log.info("API listening on port {}", app.port());
        return new ApiServer(app, hub);
    }

    private static void authenticate(final Context ctx, final Wiring w, final Counter rateLimited) {
        final boolean forwarded = w.peerAuth().valid(ctx.header(PeerAuth.HEADER));
        final ApiKey key = w.keys().authenticate(ctx.header("X-API-Key"), ctx.header("Authorization"))
            .orElseThrow(ApiError::unauthorized);
        // a forwarded request was already counted by the instance the client called
        if (!forwarded) {
            final OptionalLong wait = w.rateLimiter().tryAcquire(key);
            if (wait.isPresent()) {
                rateLimited.increment();
                throw ApiError.rateLimited((int) wait.getAsLong());
            }
        }
        ctx.attribute(Caller.ATTRIBUTE, new Caller(key, forwarded));
    }

    private static void record(final PrometheusMeterRegistry metrics, final Context ctx, final float ms) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (final RuntimeException e) {
            route = "unmatched";
        }
        if (route == null || route.isEmpty()) {
            route = "unmatched";
        }
        // Micrometer's standard HTTP server timer (the names and tags of its servlet and Spring instrumentation),
        // with histogram buckets so quantiles (p99) can be computed from /metrics
        final int status = ctx.statusCode();
        Timer.builder("http.server.requests").description("HTTP server requests by route template, method and status")
            .tags("uri", route, "method", ctx.method().name(), "status", Integer.toString(status),
                "outcome", outcome(status))
            .publishPercentileHistogram()
            .register(metrics).record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private static String outcome(final int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        if (status >= 300) {
            return "REDIRECTION";
        }
        return status >= 200 ? "SUCCESS" : "INFORMATIONAL";
    }

    private static void respond(final Context ctx, final ApiError error) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        if (error.status() == 401) {
            // RFC 9110 section 11.6.1: a 401 names how to authenticate; keys go in Authorization (Bearer) or X-API-Key
            ctx.header("WWW-Authenticate", CHALLENGE);
        }
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
        // ends every live-feed stream first, so their responses complete before Jetty stops
        hub.close();
        app.stop();
    }
}
