package io.insidernetwork.ingest.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.insidernetwork.ingest.http.ErrorBody;
import io.insidernetwork.ingest.mapping.EventTimeWindow;
import io.insidernetwork.ingest.mapping.InsightIqMapper;
import io.insidernetwork.ingest.mapping.InvalidFieldException;
import io.insidernetwork.ingest.mapping.StrictJson;
import io.insidernetwork.ingest.mapping.TextRules;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqWebhookNotification;
import io.insidernetwork.schemas.topic.Topics;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /webhooks/v1/insightiq}: InsightIQ notifications, authenticated with the configured shared-secret
 * scheme, deduplicated by delivery id and published raw to {@code insightiq.webhooks.v1} (the fetcher turns them
 * into targeted fetches). {@code ACCOUNTS.DISCONNECTED} also becomes an {@code InsightIqAccountDisconnected} record
 * in the same call (its time is the payload's, or the time of receipt when that is missing, unreadable or outside
 * {@link EventTimeWindow}). The HMAC is checked over the raw body; then the body must be strict UTF-8 and
 * unambiguous JSON, and ids must pass {@link TextRules}. Answers 202 only after Kafka acknowledged; 400 (field
 * named), 401, 409, 413 and 503 as the partner webhook. The payload format is not documented upstream: see docs/ingest.md for what is read from it.
 */
public final class InsightIqWebhook implements Handler {

    private static final Logger log = LoggerFactory.getLogger(InsightIqWebhook.class);
    private static final String ENDPOINT = "insightiq";
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final String DISCONNECTED = "ACCOUNTS.DISCONNECTED";
    private static final List<String> ID_ARRAYS = List.of("ids", "items", "content_ids", "content_group_ids",
        "profile_ids", "comment_ids");

    private final SharedSecretVerifier verifier;
    private final String authHeader;
    private final DeliveryDedupe dedupe;
    private final EventPublisher publisher;
    private final Topics topics;
    private final ObjectMapper json;
    private final ObjectReader reader;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Duration produceTimeout;
    private final IngestMetrics metrics;

    public InsightIqWebhook(final SharedSecretVerifier verifier, final String authHeader, final DeliveryDedupe dedupe,
                            final EventPublisher publisher, final Topics topics, final ObjectMapper json,
                            final Clock clock, final int maxBodyBytes, final Duration produceTimeout,
                            final IngestMetrics metrics) {
        this.verifier = verifier;
        this.authHeader = authHeader;
        this.dedupe = dedupe;
        this.publisher = publisher;
        this.topics = topics;
        this.json = json;
        this.reader = StrictJson.reader(json);
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.produceTimeout = produceTimeout;
        this.metrics = metrics;
    }

    @Override
    public void handle(final Context ctx) {
        final long started = System.nanoTime();
        final byte[] raw = ctx.contentLength() > maxBodyBytes ? null : ctx.bodyAsBytes();
        if (raw == null || raw.length > maxBodyBytes) {
            reject(ctx, HttpStatus.CONTENT_TOO_LARGE, ErrorBody.tooLarge(maxBodyBytes), "too-large");
            return;
        }
        if (!verifier.verify(raw, ctx.header(authHeader))) {
            log.warn("Rejected InsightIQ webhook from {}: bad or missing {}", ctx.ip(), authHeader);
            reject(ctx, HttpStatus.UNAUTHORIZED, ErrorBody.unauthorized("bad or missing " + authHeader), "unauthorized");
            return;
        }
        final InsightIqWebhookNotification notification;
        try {
            notification = parse(raw);
        } catch (final InvalidFieldException e) {
            reject(ctx, HttpStatus.BAD_REQUEST, ErrorBody.badRequest(e.field(), e.reason()), "bad-request");
            return;
        }
        final String deliveryId = notification.getDeliveryId();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("delivery_id", deliveryId)) {
            switch (dedupe.claim(deliveryId)) {
                case DUPLICATE -> {
                    metrics.webhookCall(ENDPOINT, "duplicate");
                    ctx.status(HttpStatus.OK).json(answer(notification, true));
                    return;
                }
                case IN_FLIGHT -> {
                    reject(ctx, HttpStatus.CONFLICT, ErrorBody.conflict("delivery " + deliveryId
                        + " is being stored, retry later"), "in-flight");
                    return;
                }
                default -> {
                    // NEW: this request owns the delivery until Kafka answers.
                }
            }
            // the id is kept in Kafka only after the notification is: a kept id always means a stored record
            final CompletableFuture<Void> done = publish(notification)
                .thenCompose(ack -> dedupe.keep(deliveryId, 1))
                .orTimeout(produceTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((acks, error) -> {
                    if (error != null) {
                        dedupe.released(deliveryId);
                        log.warn("Kafka did not acknowledge InsightIQ delivery {}: {}", deliveryId, error.toString());
                        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
                        reject(ctx, HttpStatus.SERVICE_UNAVAILABLE,
                            ErrorBody.unavailable(RETRY_AFTER_SECONDS, "notification was not stored, retry"),
                            "unavailable");
                    } else {
                        dedupe.accepted(deliveryId);
                        metrics.webhookCall(ENDPOINT, "accepted");
                        metrics.webhookAccepted(ENDPOINT, Duration.ofNanos(System.nanoTime() - started), 1);
                        ctx.status(HttpStatus.ACCEPTED).json(answer(notification, false));
                    }
                    return null;
                });
            ctx.future(() -> done);
        }
    }

    private CompletableFuture<?> publish(final InsightIqWebhookNotification notification) {
        final String key = firstNonNull(notification.getAccountId(), notification.getJobId(),
            notification.getDeliveryId());
        final RecordHeaders headers = new RecordHeaders();
        headers.add("source", "insightiq-webhook".getBytes(StandardCharsets.UTF_8));
        headers.add("delivery-id", notification.getDeliveryId().getBytes(StandardCharsets.UTF_8));
        final CompletableFuture<?> raw = publisher.publish(topics.insightIqWebhooks(),
            new Outgoing<>(key, notification, headers));
        if (!DISCONNECTED.equals(notification.getEvent()) || notification.getAccountId() == null) {
            return raw;
        }
        final InsightIqAccountDisconnected disconnected = InsightIqAccountDisconnected.newBuilder()
            .setAccountId(notification.getAccountId())
            .setUserId(notification.getUserId())
            .setWorkPlatformId(workPlatformId(notification))
            .setDisconnectedAt(eventTime(notification))
            .setSourceEventId(notification.getDeliveryId())
            .build();
        final CompletableFuture<?> disconnect = publisher.publish(topics.accountDisconnects(),
            new Outgoing<>(notification.getAccountId(), disconnected, headers));
        return CompletableFuture.allOf(raw, disconnect);
    }

    private InsightIqWebhookNotification parse(final byte[] raw) throws InvalidFieldException {
        final String body;
        try {
            body = StrictJson.utf8(raw);
        } catch (final CharacterCodingException e) {
            throw new InvalidFieldException("body", "is not valid UTF-8");
        }
        final JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new InvalidFieldException("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidFieldException("body", "must be a JSON object");
        }
        final String event = firstText(root, "event", "name", "type");
        if (event == null) {
            throw new InvalidFieldException("event", "is required (event, name or type), e.g. CONTENTS.ADDED");
        }
        final JsonNode data = root.path("data").isObject() ? root.get("data") : root;
        final String accountId = firstNonNull(firstText(data, "account_id"), text(data.path("account").path("id")),
            firstText(root, "account_id"));
        final String userId = firstNonNull(firstText(data, "user_id"), text(data.path("user").path("id")),
            firstText(root, "user_id"));
        final String jobId = event.endsWith(".SUCCESS") || event.endsWith(".FAILURE")
            ? firstNonNull(firstText(data, "id", "job_id"), firstText(root, "job_id")) : null;
        final Set<String> ids = new LinkedHashSet<>();
        for (final String name : ID_ARRAYS) {
            final JsonNode array = data.path(name);
            if (array.isArray()) {
                for (int i = 0; i < array.size(); i++) {
                    final JsonNode item = array.get(i);
                    final String id = item.isTextual() ? item.asText() : text(item.path("id"));
                    if (id == null || id.isBlank()) {
                        throw new InvalidFieldException("data." + name + "[" + i + "]", "must be an id or {\"id\"}");
                    }
                    ids.add(TextRules.check("data." + name + "[" + i + "]", id));
                }
            }
        }
        final String contentId = firstText(data, "content_id", "profile_id", "content_group_id");
        if (contentId != null) {
            ids.add(TextRules.check("data.content_id", contentId));
        }
        final String deliveryId = firstNonNull(firstText(root, "id", "delivery_id", "notification_id", "webhook_id"),
            "sha256:" + sha256(raw));
        TextRules.check("event", event);
        TextRules.check("account_id", accountId);
        TextRules.check("user_id", userId);
        TextRules.check("job_id", jobId);
        TextRules.check("id", deliveryId);
        TextRules.check("work_platform_id", firstNonNull(firstText(data, "work_platform_id"),
            text(data.path("work_platform").path("id"))));
        return InsightIqWebhookNotification.newBuilder()
            .setDeliveryId(deliveryId)
            .setEvent(event)
            .setReceivedAt(clock.instant())
            .setAccountId(accountId)
            .setUserId(userId)
            .setJobId(jobId)
            .setIds(new ArrayList<>(ids))
            .setPayloadJson(body)
            .build();
    }

    private Instant eventTime(final InsightIqWebhookNotification notification) {
        try {
            final JsonNode root = json.readTree(notification.getPayloadJson());
            for (final JsonNode node : List.of(root.path("data"), root)) {
                for (final String name : List.of("disconnected_at", "timestamp", "created_at", "updated_at")) {
                    if (node.hasNonNull(name)) {
                        return EventTimeWindow.check(name, InsightIqMapper.instant(node.get(name), name),
                            notification.getReceivedAt());
                    }
                }
            }
        } catch (final JsonProcessingException | InvalidFieldException e) {
            log.debug("No usable event time in delivery {}: {}", notification.getDeliveryId(), e.getMessage());
        }
        return notification.getReceivedAt();
    }

    private String workPlatformId(final InsightIqWebhookNotification notification) {
        try {
            final JsonNode root = json.readTree(notification.getPayloadJson());
            final JsonNode data = root.path("data").isObject() ? root.get("data") : root;
            return firstNonNull(firstText(data, "work_platform_id"), text(data.path("work_platform").path("id")));
        } catch (final JsonProcessingException e) {
            return null;
        }
    }

    private void reject(final Context ctx, final HttpStatus status, final ErrorBody body, final String outcome) {
        metrics.webhookCall(ENDPOINT, outcome);
        ctx.status(status).json(body);
    }

    private static Map<String, Object> answer(final InsightIqWebhookNotification notification,
                                              final boolean duplicate) {
        return Map.of("success", true, "data", Map.of("event", notification.getEvent(), "duplicate", duplicate),
            "message", duplicate ? "Already accepted" : "Accepted",
            "meta", Map.of("delivery_id", notification.getDeliveryId()));
    }

    private static String firstText(final JsonNode node, final String... names) {
        for (final String name : names) {
            final String value = text(node.path(name));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String text(final JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    @SafeVarargs
    private static <T> T firstNonNull(final T... values) {
        for (final T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String sha256(final byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
