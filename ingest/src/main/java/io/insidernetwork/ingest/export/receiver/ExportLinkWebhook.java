package io.insidernetwork.ingest.export.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.export.ExportMetrics;
import io.insidernetwork.ingest.export.format.ExportFormat;
import io.insidernetwork.ingest.http.ErrorBody;
import io.insidernetwork.ingest.mapping.InvalidFieldException;
import io.insidernetwork.ingest.mapping.StrictJson;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.schemas.export.InsiderExportLink;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export-link webhook: Insider calls it with {@code {"url": "https://<export host>/{partner}/p/{file}"}} when
 * an export is ready (also accepted as {@code ?url=}, and by GET, since the seed names no method). The URL must pass
 * the {@link LinkPolicy} (allowed host, https, the seed's path, a known partner), otherwise 400/403 and a WARN log;
 * a URL already accepted answers 200 without publishing again; a new one answers 202 once Kafka acknowledged its
 * {@link InsiderExportLink} on insider.export-links.v1. Nothing is downloaded here. With a configured token, the
 * token must be the last path segment or the X-Webhook-Token header (401 otherwise).
 */
public final class ExportLinkWebhook implements Handler {

    private static final Logger log = LoggerFactory.getLogger(ExportLinkWebhook.class);
    /** Path parameter holding the token in {@code <path>/<token>}. */
    public static final String TOKEN_PARAM = "token";
    public static final String TOKEN_HEADER = "X-Webhook-Token";
    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final int RETRY_AFTER_SECONDS = 5;

    private final LinkPolicy policy;
    private final KnownLinks known;
    private final EventPublisher publisher;
    private final TopicSpec<String, InsiderExportLink> topic;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration linkTtl;
    private final Duration produceTimeout;
    private final Optional<byte[]> token;
    private final ExportMetrics metrics;

    public ExportLinkWebhook(final LinkPolicy policy, final KnownLinks known, final EventPublisher publisher,
                             final TopicSpec<String, InsiderExportLink> topic, final ObjectMapper json,
                             final Clock clock, final Duration linkTtl, final Duration produceTimeout,
                             final Optional<String> token, final ExportMetrics metrics) {
        this.policy = policy;
        this.known = known;
        this.publisher = publisher;
        this.topic = topic;
        this.json = json;
        this.clock = clock;
        this.linkTtl = linkTtl;
        this.produceTimeout = produceTimeout;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.metrics = metrics;
    }

    @Override
    public void handle(final Context ctx) {
        if (token.isPresent() && !tokenMatches(ctx)) {
            refuse(ctx, HttpStatus.UNAUTHORIZED, "unauthorized", "missing or wrong webhook token", null);
            return;
        }
        if (ctx.contentLength() > MAX_BODY_BYTES || ctx.bodyAsBytes().length > MAX_BODY_BYTES) {
            metrics.link("refused", "too_large");
            ctx.status(HttpStatus.CONTENT_TOO_LARGE).json(ErrorBody.tooLarge(MAX_BODY_BYTES));
            return;
        }
        final String url;
        try {
            url = url(ctx);
        } catch (final InvalidFieldException e) {
            metrics.link("refused", "malformed");
            log.warn("Refused export link from {}: {}", ctx.ip(), e.getMessage());
            ctx.status(HttpStatus.BAD_REQUEST).json(ErrorBody.badRequest(e.field(), e.reason()));
            return;
        }
        final LinkPolicy.Verdict verdict = policy.check(url);
        if (verdict instanceof LinkPolicy.Refused refused) {
            refuse(ctx, refused.status() == 403 ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST,
                refused.status() == 403 ? "not_allowed" : "malformed", refused.reason(), url);
            return;
        }
        final LinkPolicy.Allowed allowed = (LinkPolicy.Allowed) verdict;
        final String key = allowed.uri().toString();
        if (known.contains(key)) {
            log.info("Export link for {} already received, ignored: {}", allowed.partner(), allowed.fileName());
            metrics.link("duplicate", "none");
            ctx.status(HttpStatus.OK).json(answer(allowed, true));
            return;
        }
        final Instant now = clock.instant();
        final InsiderExportLink link = InsiderExportLink.newBuilder()
            .setPartner(allowed.partner())
            .setUrl(key)
            .setFileName(allowed.fileName())
            .setFormat(ExportFormat.fromFileName(allowed.fileName()).map(ExportFormat::id).orElse(null))
            .setReceivedAt(now)
            .setExpiresAt(now.plus(linkTtl))
            .build();
        final CompletableFuture<Void> done = publisher.publish(topic, new Outgoing<>(key, link))
            .orTimeout(produceTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .handle((ack, error) -> {
                if (error != null) {
                    log.warn("Kafka did not acknowledge export link of {}: {}", allowed.partner(), error.toString());
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                        .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                        .json(ErrorBody.unavailable(RETRY_AFTER_SECONDS, "link was not stored, retry"));
                } else {
                    known.add(key);
                    metrics.link("accepted", "none");
                    log.info("Export link for {} accepted: {}, expires at {}", allowed.partner(), allowed.fileName(),
                        link.getExpiresAt());
                    ctx.status(HttpStatus.ACCEPTED).json(answer(allowed, false));
                }
                return null;
            });
        ctx.future(() -> done);
    }

    private String url(final Context ctx) throws InvalidFieldException {
        final String body;
        try {
            body = StrictJson.utf8(ctx.bodyAsBytes());
        } catch (final CharacterCodingException e) {
            throw new InvalidFieldException("body", "is not valid UTF-8");
        }
        if (!body.isBlank()) {
            final JsonNode root;
            try {
                root = StrictJson.reader(json).readTree(body);
            } catch (final java.io.IOException e) {
                throw new InvalidFieldException("body", "is not valid JSON (duplicate keys and trailing content are "
                    + "refused too)");
            }
            if (root == null || !root.isObject() || !root.path("url").isTextual()) {
                throw new InvalidFieldException("body", "must be {\"url\": \"...\"}");
            }
            return root.get("url").asText();
        }
        final String query = ctx.queryParam("url");
        if (query == null) {
            throw new InvalidFieldException("url", "is required");
        }
        return query;
    }

    private boolean tokenMatches(final Context ctx) {
        final String given = ctx.pathParamMap().containsKey(TOKEN_PARAM) ? ctx.pathParam(TOKEN_PARAM)
            : ctx.header(TOKEN_HEADER);
        return given != null && MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8));
    }

    private void refuse(final Context ctx, final HttpStatus status, final String reason, final String details,
                        final String url) {
        // Log the host only: a refused URL may carry anything.
        log.warn("Refused export link from {}: {} ({})", ctx.ip(), details, hostOf(url));
        metrics.link("refused", reason);
        final ErrorBody body = switch (status) {
            case UNAUTHORIZED -> new ErrorBody(false, new ErrorBody.Error("UNAUTHORIZED",
                "Authentication required. Please provide a valid webhook token.", details, null, null, null),
                Map.of());
            case FORBIDDEN -> new ErrorBody(false, new ErrorBody.Error("FORBIDDEN",
                "Insufficient permissions to access this resource.", details,
                java.util.List.of(new ErrorBody.FieldError("url", details)), null, null), Map.of());
            default -> ErrorBody.badRequest("url", details);
        };
        ctx.status(status).json(body);
    }

    private static String hostOf(final String url) {
        if (url == null) {
            return "no url";
        }
        try {
            final String host = java.net.URI.create(url.trim()).getHost();
            return host == null ? "no host" : "host " + host;
        } catch (final IllegalArgumentException e) {
            return "unparseable url";
        }
    }

    private static Map<String, Object> answer(final LinkPolicy.Allowed link, final boolean duplicate) {
        return Map.of("success", true,
            "data", Map.of("partner", link.partner(), "file_name", link.fileName(), "duplicate", duplicate),
            "message", duplicate ? "Already received" : "Accepted", "meta", Map.of());
    }
}
