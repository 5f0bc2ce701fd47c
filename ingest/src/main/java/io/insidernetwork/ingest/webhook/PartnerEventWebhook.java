package io.insidernetwork.ingest.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.insidernetwork.ingest.http.ErrorBody;
import io.insidernetwork.ingest.mapping.InvalidFieldException;
import io.insidernetwork.ingest.mapping.PartnerEventMapper;
import io.insidernetwork.ingest.mapping.StrictJson;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /webhooks/v1/events}: partner events from partners' own systems, one event or a batch
 * ({@code {"events": [...]}} or a JSON array), signed with Standard Webhooks over the raw body bytes. Answers 202
 * only after Kafka acknowledged every record of the call; 400 names the field at fault (also for a body that is not
 * valid UTF-8 or ambiguous JSON: duplicate keys, trailing content), 401 a bad signature, 413 an oversize body,
 * 503 with Retry-After while Kafka does not acknowledge. A replayed webhook-id answers 200 without publishing again;
 * a replay that arrives while the first delivery is still waiting for Kafka answers 409 (retry later). Every outcome
 * is counted in {@code ingest_webhook_requests_total{endpoint="partner-events"}}.
 */
public final class PartnerEventWebhook implements Handler {

    private static final Logger log = LoggerFactory.getLogger(PartnerEventWebhook.class);
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final String SOURCE = "partner-webhook";
    private static final String ENDPOINT = "partner-events";

    private final SignatureVerifier verifier;
    private final DeliveryDedupe dedupe;
    private final EventPublisher publisher;
    private final TopicSpec<String, PartnerEvent> topic;
    private final ObjectReader reader;
    private final PartnerEventMapper mapper = new PartnerEventMapper(SOURCE);
    private final Clock clock;
    private final int maxBodyBytes;
    private final int maxBatch;
    private final Duration produceTimeout;
    private final IngestMetrics metrics;

    public PartnerEventWebhook(final SignatureVerifier verifier, final DeliveryDedupe dedupe,
                               final EventPublisher publisher, final TopicSpec<String, PartnerEvent> topic,
                               final ObjectMapper json, final Clock clock, final int maxBodyBytes, final int maxBatch,
                               final Duration produceTimeout, final IngestMetrics metrics) {
        this.metrics = metrics;
        this.verifier = verifier;
        this.dedupe = dedupe;
        this.publisher = publisher;
        this.topic = topic;
        this.reader = StrictJson.reader(json);
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatch = maxBatch;
        this.produceTimeout = produceTimeout;
    }

    @Override
    public void handle(final Context ctx) {
        final long started = System.nanoTime();
        if (ctx.contentLength() > maxBodyBytes) {
            reject(ctx, HttpStatus.CONTENT_TOO_LARGE, ErrorBody.tooLarge(maxBodyBytes), "too-large");
            return;
        }
        final byte[] raw = ctx.bodyAsBytes();
        if (raw.length > maxBodyBytes) {
            reject(ctx, HttpStatus.CONTENT_TOO_LARGE, ErrorBody.tooLarge(maxBodyBytes), "too-large");
            return;
        }
        final var reason = verifier.verify(raw, lowerCaseHeaders(ctx));
        if (reason.isPresent()) {
            log.warn("Rejected webhook from {}: {}", ctx.ip(), reason.get());
            reject(ctx, HttpStatus.UNAUTHORIZED, ErrorBody.unauthorized(reason.get()), "unauthorized");
            return;
        }
        final String body;
        try {
            body = StrictJson.utf8(raw);
        } catch (final CharacterCodingException e) {
            reject(ctx, HttpStatus.BAD_REQUEST, ErrorBody.badRequest("body", "is not valid UTF-8"), "bad-request");
            return;
        }
        final String deliveryId = ctx.header("webhook-id");
        try (MDC.MDCCloseable ignored = MDC.putCloseable("delivery_id", deliveryId)) {
            final List<Outgoing<String, PartnerEvent>> records;
            try {
                records = parse(body);
            } catch (final InvalidFieldException e) {
                reject(ctx, HttpStatus.BAD_REQUEST, ErrorBody.badRequest(e.field(), e.reason()), "bad-request");
                return;
            }
            switch (dedupe.claim(deliveryId)) {
                case DUPLICATE -> {
                    log.debug("Replayed delivery {} acknowledged without publishing", deliveryId);
                    metrics.webhookCall(ENDPOINT, "duplicate");
                    ctx.status(HttpStatus.OK).json(accepted(List.of(), deliveryId, true));
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
            // the id is kept in Kafka only after the records are: a kept id always means stored records
            final CompletableFuture<Void> done = publisher.publishAll(topic, records)
                .thenCompose(acks -> dedupe.keep(deliveryId, records.size()))
                .orTimeout(produceTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((acks, error) -> {
                    if (error != null) {
                        dedupe.released(deliveryId);
                        log.warn("Kafka did not acknowledge delivery {} ({} events): {}", deliveryId, records.size(),
                            error.toString());
                        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
                        reject(ctx, HttpStatus.SERVICE_UNAVAILABLE,
                            ErrorBody.unavailable(RETRY_AFTER_SECONDS, "events were not stored, retry"),
                            "unavailable");
                    } else {
                        dedupe.accepted(deliveryId);
                        metrics.webhookCall(ENDPOINT, "accepted");
                        metrics.webhookAccepted(ENDPOINT, Duration.ofNanos(System.nanoTime() - started),
                            records.size());
                        ctx.status(HttpStatus.ACCEPTED).json(accepted(records, deliveryId, false));
                    }
                    return null;
                });
            ctx.future(() -> done);
        }
    }

    private void reject(final Context ctx, final HttpStatus status, final ErrorBody body, final String outcome) {
        metrics.webhookCall(ENDPOINT, outcome);
        ctx.status(status).json(body);
    }

    private List<Outgoing<String, PartnerEvent>> parse(final String body) throws InvalidFieldException {
        final JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new InvalidFieldException("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        final List<JsonNode> nodes = new ArrayList<>();
        final List<String> paths = new ArrayList<>();
        if (root != null && root.isArray()) {
            collect(root, "", nodes, paths);
        } else if (root != null && root.isObject() && root.has("events")) {
            if (!root.get("events").isArray() || root.get("events").isEmpty()) {
                throw new InvalidFieldException("events", "must be a non-empty array of events");
            }
            collect(root.get("events"), "events", nodes, paths);
        } else {
            nodes.add(root);
            paths.add("");
        }
        if (nodes.isEmpty()) {
            throw new InvalidFieldException("body", "contains no event");
        }
        if (nodes.size() > maxBatch) {
            throw new InvalidFieldException("events", "at most " + maxBatch + " events per call");
        }
        final Instant receivedAt = clock.instant();
        final List<Outgoing<String, PartnerEvent>> records = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            final PartnerEventMapper.Mapped mapped = mapper.map(nodes.get(i), paths.get(i), receivedAt);
            final RecordHeaders headers = new RecordHeaders();
            headers.add("source", SOURCE.getBytes(StandardCharsets.UTF_8));
            records.add(new Outgoing<>(mapped.key(), mapped.event(), headers));
        }
        return records;
    }

    private static void collect(final JsonNode array, final String name, final List<JsonNode> nodes,
                                final List<String> paths) {
        for (int i = 0; i < array.size(); i++) {
            nodes.add(array.get(i));
            paths.add(name + "[" + i + "]");
        }
    }

    private static Map<String, Object> accepted(final List<Outgoing<String, PartnerEvent>> records,
                                                final String deliveryId, final boolean duplicate) {
        final Map<String, Object> data = new HashMap<>();
        data.put("accepted", records.size());
        data.put("duplicate", duplicate);
        data.put("event_ids", records.stream().map(r -> r.value().getEventId()).toList());
        return Map.of("success", true, "data", data, "message", duplicate ? "Already accepted" : "Accepted",
            "meta", Map.of("webhook_id", deliveryId));
    }

    private static Map<String, List<String>> lowerCaseHeaders(final Context ctx) {
        final Map<String, List<String>> headers = new HashMap<>();
        ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        return headers;
    }
}
