package io.insidernetwork.ingest.insightiq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import io.insidernetwork.ingest.mapping.StrictJson;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@link InsightIqClient} on the JDK HTTP client, with Basic auth, a shared Failsafe rate limiter and a Failsafe
 * retry policy: exponential backoff with 25% jitter, a longer Retry-After wins, at most N attempts within a time
 * budget. The credential never appears in logs or exception messages.
 */
public final class HttpInsightIqClient implements InsightIqClient {

    /** Client settings; {@code secret} is only read to build the Authorization header. */
    public record Settings(String baseUrl, String clientId, String secret, Duration requestTimeout,
                           int requestsPerSecond, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                           Duration budget) {
        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", clientId=" + clientId + ", secret=[hidden]]";
        }
    }

    /** One HTTP exchange, before classification. */
    record Exchange(int status, String body, String requestId, Duration retryAfter, String url) {
    }

    private static final Logger log = LoggerFactory.getLogger(HttpInsightIqClient.class);
    private static final int MAX_IDS = 100;

    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final String authorization;
    private final FailsafeExecutor<Exchange> executor;

    public HttpInsightIqClient(final Settings settings, final HttpClient http, final ObjectMapper json,
                               final Clock clock, final IngestMetrics metrics) {
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
            (settings.clientId() + ":" + settings.secret()).getBytes(StandardCharsets.UTF_8));
        final RetryPolicy<Exchange> retry = RetryPolicy.<Exchange>builder()
            .handle(IOException.class)
            .handleResultIf(e -> ResponseClassifier.classify(e.status()) == ResponseClassifier.Action.RETRY)
            .withBackoff(settings.initialBackoff(), settings.maxBackoff())
            .withJitter(0.25)
            .withDelayFn(ctx -> retryAfter(ctx.getLastResult()))
            .withMaxAttempts(settings.maxAttempts())
            .withMaxDuration(settings.budget())
            .onRetry(event -> {
                metrics.upstreamCall("retry");
                final Exchange last = event.getLastResult();
                // routine (the sandbox answers 429/503 on purpose); counted, and summed up by the poller's summary
                log.debug("retry {} of {} for {}: {}", event.getAttemptCount(), settings.maxAttempts() - 1,
                    last == null ? "request" : last.url(), last == null ? String.valueOf(event.getLastException())
                        : "HTTP " + last.status() + " request-id " + last.requestId());
            })
            .build();
        final RateLimiter<Exchange> limiter = RateLimiter.<Exchange>smoothBuilder(settings.requestsPerSecond(),
            Duration.ofSeconds(1)).withMaxWaitTime(settings.budget()).build();
        this.executor = Failsafe.with(retry).compose(limiter);
    }

    @Override
    public Page list(final String path, final Map<String, String> query) {
        final Exchange exchange = execute(() -> HttpRequest.newBuilder(uri(path, query)).GET());
        if (ResponseClassifier.classify(exchange.status()) == ResponseClassifier.Action.SKIP) {
            return new Page(List.of(), exchange.requestId(), clock.instant(), exchange.url());
        }
        return new Page(items(exchange, true), exchange.requestId(), clock.instant(), exchange.url());
    }

    @Override
    public Page get(final String path, final Map<String, String> query) {
        final Exchange exchange = execute(() -> HttpRequest.newBuilder(uri(path, query)).GET());
        if (ResponseClassifier.classify(exchange.status()) == ResponseClassifier.Action.SKIP) {
            return new Page(List.of(), exchange.requestId(), clock.instant(), exchange.url());
        }
        final JsonNode body = parse(exchange);
        if (!body.isObject()) {
            throw malformed(exchange, "is not a JSON object");
        }
        return new Page(List.of(body), exchange.requestId(), clock.instant(), exchange.url());
    }

    @Override
    public Page search(final String path, final List<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("search takes 1 to " + MAX_IDS + " ids, got " + ids.size());
        }
        final String body;
        try {
            body = json.writeValueAsString(Map.of("ids", ids));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        final Exchange exchange = execute(() -> HttpRequest.newBuilder(uri(path, Map.of()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
        return new Page(items(exchange, false), exchange.requestId(), clock.instant(), exchange.url());
    }

    private Exchange execute(final java.util.function.Supplier<HttpRequest.Builder> request) {
        final Exchange exchange;
        try {
            exchange = executor.get(() -> send(request.get()
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .build()));
        } catch (final FailsafeException e) {
            metrics.upstreamCall("failed");
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new InsightIqException("io", "InsightIQ request failed after retries: " + cause, cause);
        }
        final ResponseClassifier.Action action = ResponseClassifier.classify(exchange.status());
        switch (action) {
            case PROCESS, SKIP -> metrics.upstreamCall("ok");
            case REJECTED -> {
                metrics.upstreamCall("rejected");
                throw new InsightIqException.CredentialRejected("InsightIQ answered " + exchange.status()
                    + " to " + exchange.url() + " (request-id " + exchange.requestId() + ")");
            }
            case RETRY -> {
                metrics.upstreamCall("failed");
                throw new InsightIqException("retries-exhausted", "InsightIQ still answered " + exchange.status()
                    + " to " + exchange.url() + " after the retry budget (request-id " + exchange.requestId() + ")");
            }
            default -> {
                metrics.upstreamCall("failed");
                throw new InsightIqException("http-" + exchange.status(), "InsightIQ answered " + exchange.status()
                    + " to " + exchange.url() + " (request-id " + exchange.requestId() + ")");
            }
        }
        return exchange;
    }

    private Exchange send(final HttpRequest request) throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        final String requestId = response.headers().firstValue("request-id").orElse(null);
        final String url = request.method() + " " + request.uri();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("request_id", requestId)) {
            log.debug("{} answered {} request-id {}", url, response.statusCode(), requestId);
            log.trace("{} body {}", url, response.body());
        }
        return new Exchange(response.statusCode(), response.body(), requestId,
            parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null)), url);
    }

    private List<JsonNode> items(final Exchange exchange, final boolean paged) {
        final JsonNode body = parse(exchange);
        final JsonNode data = body.get("data");
        if (data == null || !data.isArray()) {
            throw malformed(exchange, "has no data array");
        }
        if (paged && body.has("metadata") && !body.get("metadata").isObject()) {
            log.debug("{} metadata is not an object (request-id {})", exchange.url(), exchange.requestId());
        }
        final List<JsonNode> items = new ArrayList<>(data.size());
        data.forEach(items::add);
        return items;
    }

    private JsonNode parse(final Exchange exchange) {
        try {
            final JsonNode body = StrictJson.reader(json).readTree(exchange.body());
            if (body == null) {
                throw malformed(exchange, "is empty");
            }
            return body;
        } catch (final JsonProcessingException e) {
            throw malformed(exchange, "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private InsightIqException malformed(final Exchange exchange, final String problem) {
        metrics.upstreamCall("malformed");
        return new InsightIqException.Malformed("InsightIQ response to " + exchange.url() + " " + problem
            + " (request-id " + exchange.requestId() + ")", exchange.body());
    }

    private URI uri(final String path, final Map<String, String> query) {
        final String base = settings.baseUrl().endsWith("/")
            ? settings.baseUrl().substring(0, settings.baseUrl().length() - 1) : settings.baseUrl();
        final String q = query.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
        return URI.create(base + path + (q.isEmpty() ? "" : "?" + q));
    }

    private static String enc(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable (the backoff then applies). */
    static Duration parseRetryAfter(final String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (final NumberFormatException notSeconds) {
            try {
                final Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                final Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (final DateTimeParseException e) {
                return null;
            }
        }
    }

    private Duration retryAfter(final Exchange last) {
        if (last == null || last.retryAfter() == null) {
            // Failsafe reads a negative delay as "none computed" and applies the backoff.
            return Duration.ofMillis(-1);
        }
        // Failsafe applies jitter after this delay: pad it so that jitter never brings the wait under Retry-After.
        return Duration.ofMillis((long) (last.retryAfter().toMillis() / 0.75) + 1);
    }
}
