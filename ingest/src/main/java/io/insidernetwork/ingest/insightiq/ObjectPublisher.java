package io.insidernetwork.ingest.insightiq;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.ingest.mapping.InsightIqMapper;
import io.insidernetwork.ingest.mapping.InvalidFieldException;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.publish.DeadLetters;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes the objects of one InsightIQ page to their topic, keyed by id, with headers {@code request-id},
 * {@code fetched-at}, {@code source} and {@code environment}. An object that cannot be mapped goes to the
 * dead-letter topic with the field at fault; the page's future completes only when Kafka acknowledged every record,
 * dead letters included, so a cursor advanced after it never skips an object.
 */
public final class ObjectPublisher {

    /** What a page became: records published and objects dead-lettered. */
    public record Outcome(int published, int deadLettered) {
    }

    private final EventPublisher publisher;
    private final Topics topics;
    private final DeadLetters deadLetters;
    private final InsightIqMapper mapper = new InsightIqMapper();
    private final IngestMetrics metrics;
    private final String environment;

    public ObjectPublisher(final EventPublisher publisher, final Topics topics, final DeadLetters deadLetters,
                           final IngestMetrics metrics, final String environment) {
        this.publisher = publisher;
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.environment = environment;
    }

    /** Publishes every object of {@code page} as {@code kind}; {@code origin} is poller or fetcher. */
    public CompletableFuture<Outcome> publish(final ObjectKind kind, final Page page, final String origin) {
        final InsightIqMapper.Meta meta = new InsightIqMapper.Meta(page.fetchedAt(), page.requestId(), environment);
        final List<EventPublisher.Outgoing<String, SpecificRecord>> records = new ArrayList<>(page.items().size());
        final List<CompletableFuture<?>> acks = new ArrayList<>();
        for (final JsonNode item : page.items()) {
            final String key = kind.key(item);
            try {
                if (key == null) {
                    throw new InvalidFieldException(kind == ObjectKind.AUDIENCE ? "account.id" : "id", "is required");
                }
                final SpecificRecord record = mapper.map(kind.type(), kind.schema(), item, meta);
                records.add(new EventPublisher.Outgoing<>(key, record, headers(page, origin)));
            } catch (final InvalidFieldException e) {
                acks.add(deadLetters.send("insightiq-" + origin, "invalid-field", kind.label() + " " + e.getMessage(),
                    page.url() + " request-id " + page.requestId(), key, item.toString()));
            }
        }
        final TopicSpec<String, SpecificRecord> topic = kind.topic(topics);
        acks.add(publisher.publishAll(topic, records));
        final int deadLettered = acks.size() - 1;
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            metrics.objectsPublished(origin, kind.label(), records.size());
            metrics.recordsPublished("insightiq-" + origin, records.size());
            return new Outcome(records.size(), deadLettered);
        });
    }

    /** Publishes a response body that is not the JSON expected, so that it can be inspected. */
    public CompletableFuture<?> deadLetterBody(final String origin, final InsightIqException.Malformed error,
                                               final String url) {
        return deadLetters.send("insightiq-" + origin, error.reasonCode(), error.getMessage(), url, null,
            error.body() == null ? "" : error.body());
    }

    private RecordHeaders headers(final Page page, final String origin) {
        final RecordHeaders headers = new RecordHeaders();
        if (page.requestId() != null) {
            headers.add("request-id", page.requestId().getBytes(StandardCharsets.UTF_8));
        }
        headers.add("fetched-at", page.fetchedAt().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("source", ("insightiq-" + origin).getBytes(StandardCharsets.UTF_8));
        headers.add("environment", environment.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
