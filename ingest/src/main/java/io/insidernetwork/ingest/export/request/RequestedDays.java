package io.insidernetwork.ingest.export.request;

import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.ingest.publish.TopicReader;
import io.insidernetwork.schemas.export.InsiderExportRequest;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UTC days each partner's export was already requested for, backed by the compacted
 * {@code insider.export-requests.v1} topic: read whole at start-up, so a restarted or a second ingest instance does
 * not request a day again (the seed allows one request per partner per UTC day, and a second one would import the
 * day's events twice). {@link #inMemory()} keeps them in this JVM only (tests).
 */
public final class RequestedDays {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RequestedDays.class);

    private final EventPublisher publisher;
    private final TopicSpec<String, InsiderExportRequest> topic;
    private final Set<String> days = ConcurrentHashMap.newKeySet();

    public RequestedDays(final EventPublisher publisher, final TopicSpec<String, InsiderExportRequest> topic) {
        this.publisher = publisher;
        this.topic = topic;
    }

    /** Days remembered in this JVM only. */
    public static RequestedDays inMemory() {
        return new RequestedDays(null, null);
    }

    /** Reads every day requested so far from the topic; returns how many are known. */
    public int load(final Map<String, Object> kafkaSettings, final Duration timeout) {
        if (topic != null) {
            try {
                TopicReader.read(kafkaSettings, topic, Long.MAX_VALUE, timeout, (key, value) -> {
                    if (value == null) {
                        days.remove(key);
                    } else {
                        days.add(key);
                    }
                });
            } catch (final org.apache.kafka.common.KafkaException e) {
                // a day may then be asked for again: the export API answers 429 and nothing is imported twice
                log.warn("Export days requested so far unknown ({} not read): {}", topic.name(), e.toString());
            }
        }
        return days.size();
    }

    /** Whether {@code day}'s export of {@code partner} was already requested (by any instance). */
    public boolean requested(final String partner, final LocalDate day) {
        return days.contains(key(partner, day));
    }

    /** Remembers that {@code day} was requested; completes once Kafka acknowledged it. */
    public CompletableFuture<Void> remember(final String partner, final LocalDate day, final Instant at,
                                            final int status) {
        final String key = key(partner, day);
        if (publisher == null) {
            days.add(key);
            return CompletableFuture.completedFuture(null);
        }
        return publisher.publish(topic, new Outgoing<>(key, InsiderExportRequest.newBuilder().setPartner(partner)
                .setDay(day).setRequestedAt(at).setStatus(status).build()))
            .thenAccept(ack -> days.add(key));
    }

    private static String key(final String partner, final LocalDate day) {
        return partner + "|" + day;
    }
}
