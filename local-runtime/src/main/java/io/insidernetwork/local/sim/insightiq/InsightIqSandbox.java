package io.insidernetwork.local.sim.insightiq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An InsightIQ-compatible sandbox server over a {@link SandboxWorld}: the seed's list endpoints with offset
 * pagination ({@code data} + {@code metadata}), Basic auth, a {@code request-id} header on every answer, and, when
 * told to, 429 + Retry-After or 5xx answers for a share of requests to exercise a poller. As the world grows it sends
 * CONTENTS.ADDED webhooks to the configured URL.
 */
public final class InsightIqSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InsightIqSandbox.class);
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 100;

    /**
     * Faults to inject: the share of requests answered 429 (with Retry-After: 1) and 5xx.
     */
    public record Faults(double tooManyRequests, double serverErrors) {
        public static Faults none() {
            return new Faults(0, 0);
        }
    }

    /**
     * Where and how to send webhooks; empty URL sends none.
     *
     * @param authHeader header name and value the receiver authenticates with, e.g. "X-InsightIQ-Secret: s3cret"
     */
    public record WebhookTarget(Optional<URI> url, Optional<String> authHeader, Duration every) {
        public static WebhookTarget none() {
            return new WebhookTarget(Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
        }
    }

    private final Javalin app;
    private final ScheduledExecutorService ticker;

    private InsightIqSandbox(final Javalin app, final ScheduledExecutorService ticker) {
        this.app = app;
        this.ticker = ticker;
    }

    /** Starts the sandbox on 127.0.0.1:{@code port} (0 = free port). */
    public static InsightIqSandbox start(final SandboxWorld world, final int port, final String username,
                                         final String password, final Faults faults, final WebhookTarget webhooks,
                                         final long seed) {
        final ObjectMapper json = new ObjectMapper();
        final String expected = "Basic " + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        final Random chaos = new Random(seed);
        final Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        app.before(ctx -> {
            ctx.header("request-id", UUID.randomUUID().toString());
            if (!expected.equals(ctx.header("Authorization"))) {
                throw new Refusal(401, "AUTHENTICATION_FAILED", "Invalid or missing Basic credentials", null);
            }
            final double roll;
            synchronized (chaos) {
                roll = chaos.nextDouble();
            }
            if (roll < faults.tooManyRequests()) {
                throw new Refusal(429, "RATE_LIMIT_EXCEEDED", "Too many requests", "1");
            }
            if (roll < faults.tooManyRequests() + faults.serverErrors()) {
                throw new Refusal(503, "SERVICE_UNAVAILABLE", "Try again later", null);
            }
        });
        app.exception(Refusal.class, (e, ctx) -> {
            if (e.retryAfter != null) {
                ctx.header("Retry-After", e.retryAfter);
            }
            ctx.status(e.status).json(error(json, ctx, e.status, e.code, e.getMessage()));
        });
        app.get("/v1/work-platforms", ctx -> page(ctx, json, world.workPlatforms()));
        app.get("/v1/work-platforms/{id}", ctx -> one(ctx, json, world.workPlatforms(), ctx.pathParam("id")));
        app.get("/v1/users", ctx -> page(ctx, json, world.users()));
        app.get("/v1/users/{id}", ctx -> one(ctx, json, world.users(), ctx.pathParam("id")));
        app.get("/v1/users/external_id/{external_id}", ctx -> {
            final String external = ctx.pathParam("external_id");
            final var user = world.users().stream()
                .filter(u -> u.path("external_id").asText().equals(external)).findFirst();
            if (user.isEmpty()) {
                throw new Refusal(404, "NOT_FOUND", "No user with that external_id", null);
            }
            ctx.json(user.get());
        });
        app.get("/v1/accounts", ctx -> page(ctx, json, world.accounts(ctx.queryParam("user_id"))));
        app.get("/v1/accounts/{id}", ctx -> one(ctx, json, world.accounts(null), ctx.pathParam("id")));
        app.get("/v1/profiles", ctx -> page(ctx, json, world.profiles(ctx.queryParam("account_id"))));
        app.get("/v1/profiles/{id}", ctx -> one(ctx, json, world.profiles(null), ctx.pathParam("id")));
        app.get("/v1/audience", ctx -> {
            final ObjectNode audience = world.audience(required(ctx, "account_id"));
            if (audience == null) {
                throw new Refusal(404, "NOT_FOUND", "No audience for that account", null);
            }
            ctx.json(audience);
        });
        app.get("/v1/social/contents", ctx -> page(ctx, json, world.contents(required(ctx, "account_id"),
            ctx.queryParam("from_date"), ctx.queryParam("to_date"))));
        app.get("/v1/social/contents/{id}", ctx -> {
            final List<ObjectNode> found = world.contentsByIds(List.of(ctx.pathParam("id")));
            if (found.isEmpty()) {
                throw new Refusal(404, "NOT_FOUND", "No content with that id", null);
            }
            ctx.json(found.get(0));
        });
        app.post("/v1/social/contents/search", ctx -> {
            final JsonNode ids = json.readTree(ctx.body()).path("ids");
            if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_LIMIT) {
                throw new Refusal(400, "INVALID_REQUEST_PARAMETERS", "ids must hold 1 to 100 ids", null);
            }
            final List<String> wanted = new ArrayList<>();
            ids.forEach(id -> wanted.add(id.asText()));
            final ObjectNode body = json.createObjectNode();
            body.set("data", json.valueToTree(world.contentsByIds(wanted)));
            ctx.json(body);
        });
        app.get("/v1/social/comments", ctx -> {
            required(ctx, "account_id");
            page(ctx, json, world.comments(required(ctx, "content_id")));
        });
        app.start("127.0.0.1", port);
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "insightiq-sandbox-webhooks");
            t.setDaemon(true);
            return t;
        });
        if (webhooks.url().isPresent()) {
            final HttpClient http = HttpClient.newHttpClient();
            ticker.scheduleAtFixedRate(() -> sendWebhooks(world, json, http, webhooks),
                webhooks.every().toMillis(), webhooks.every().toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("InsightIQ sandbox on port {} ({} users)", app.port(), world.users().size());
        return new InsightIqSandbox(app, ticker);
    }

    /** The base URL of the sandbox. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    private static void sendWebhooks(final SandboxWorld world, final ObjectMapper json, final HttpClient http,
                                      final WebhookTarget target) {
        try {
            for (final ObjectNode content : world.grow(3)) {
                final ObjectNode event = json.createObjectNode()
                    .put("id", UUID.randomUUID().toString())
                    .put("event", "CONTENTS.ADDED")
                    .put("name", "CONTENTS.ADDED");
                final ObjectNode data = json.createObjectNode()
                    .put("account_id", content.path("account").path("id").asText())
                    .put("user_id", content.path("user").path("id").asText())
                    .put("last_updated_time", content.path("updated_at").asText());
                data.set("items", json.createArrayNode().add(content.path("id").asText()));
                event.set("data", data);
                final HttpRequest.Builder request = HttpRequest.newBuilder(target.url().orElseThrow())
                    .timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event.toString()));
                target.authHeader().ifPresent(h -> {
                    final int colon = h.indexOf(':');
                    request.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                });
                final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    log.warn("InsightIQ webhook answered {}: {}", response.statusCode(), response.body());
                }
            }
        } catch (final java.io.IOException e) {
            log.warn("InsightIQ webhook failed: {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void page(final Context ctx, final ObjectMapper json, final List<ObjectNode> all) {
        final int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        final int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        final ObjectNode body = json.createObjectNode();
        final ArrayNode data = json.createArrayNode();
        all.stream().skip(offset).limit(limit).forEach(data::add);
        body.set("data", data);
        final ObjectNode metadata = json.createObjectNode().put("offset", offset).put("limit", limit);
        putOrNull(metadata, "from_date", ctx.queryParam("from_date"));
        putOrNull(metadata, "to_date", ctx.queryParam("to_date"));
        body.set("metadata", metadata);
        ctx.json(body);
    }

    private static void one(final Context ctx, final ObjectMapper json, final List<ObjectNode> all, final String id) {
        ctx.json(all.stream().filter(o -> o.path("id").asText().equals(id)).findFirst()
            .orElseThrow(() -> new Refusal(404, "NOT_FOUND", "No object with that id", null)));
    }

    private static void putOrNull(final ObjectNode node, final String field, final String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static String required(final Context ctx, final String name) {
        final String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw new Refusal(400, "INVALID_REQUEST_PARAMETERS", "Request is missing required fields: [" + name + "].",
                null);
        }
        return value;
    }

    private static int intParam(final Context ctx, final String name, final int fallback, final int min,
                                final int max) {
        final String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (final NumberFormatException e) {
            throw new Refusal(400, "INVALID_REQUEST_PARAMETERS", name + " must be between " + min + " and " + max,
                null);
        }
    }

    /** The error object of the seed's only documented error (content-audience job), for every failure. */
    private static ObjectNode error(final ObjectMapper json, final Context ctx, final int status, final String code,
                                    final String message) {
        final ObjectNode error = json.createObjectNode()
            .put("type", status == 401 ? "AUTHENTICATION_ERROR" : "INVALID_REQUEST_PARAMETERS")
            .put("error_code", code)
            .put("message", message)
            .put("request_id", ctx.res().getHeader("request-id"))
            .put("http_status_code", status);
        final ObjectNode body = json.createObjectNode();
        body.set("error", error);
        return body;
    }

    /** An answer other than 2xx. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        private final String retryAfter;

        Refusal(final int status, final String code, final String message, final String retryAfter) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.retryAfter = retryAfter;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        app.stop();
    }
}
