package io.insidernetwork.ingest.insightiq;

import io.insidernetwork.ingest.health.Readiness;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.publish.DeadLetters;
import io.insidernetwork.schemas.insightiq.InsightIqWebhookNotification;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Consumes {@code insightiq.webhooks.v1} and turns each notification into targeted fetches whose objects go to the
 * poller's topics: bulk {@code /search} (at most 100 ids per call) for contents and content groups, GET {id} for
 * accounts, profiles, and the async jobs' {@code *.SUCCESS}, list calls for audience and comments. Offsets are
 * committed only after every fetched object was acknowledged (at-least-once). A notification whose fetch fails for
 * good goes to the dead-letter topic; a rejected credential stops the fetcher and turns readiness DOWN.
 */
public final class NotificationFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationFetcher.class);
    private static final String ORIGIN = "fetcher";
    private static final int MAX_IDS = 100;
    /** Async jobs whose results have the shape of one of our object kinds: event → (GET path prefix, kind). */
    private static final Map<String, Job> JOBS = Map.of(
        "CONTENTS_FETCH.SUCCESS", new Job("/v1/social/creators/async/contents/fetch/", ObjectKind.CONTENTS),
        "CONTENT_COMMENTS_FETCH.SUCCESS",
        new Job("/v1/social/creators/async/contents/comments/fetch/", ObjectKind.COMMENTS));

    private record Job(String path, ObjectKind kind) {
    }

    private final InsightIqClient client;
    private final ObjectPublisher objects;
    private final DeadLetters deadLetters;
    private final Readiness readiness;
    private final IngestMetrics metrics;
    private final TopicSpec<String, InsightIqWebhookNotification> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final int pageSize;
    private final Duration ackTimeout;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public NotificationFetcher(final InsightIqClient client, final ObjectPublisher objects,
                               final DeadLetters deadLetters, final Readiness readiness, final IngestMetrics metrics,
                               final TopicSpec<String, InsightIqWebhookNotification> topic,
                               final Map<String, Object> kafkaSettings, final String groupId, final int pageSize,
                               final Duration ackTimeout) {
        this.client = client;
        this.objects = objects;
        this.deadLetters = deadLetters;
        this.readiness = readiness;
        this.metrics = metrics;
        this.topic = topic;
        this.pageSize = pageSize;
        this.ackTimeout = ackTimeout;
        final Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "insightiq-fetcher");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic.name()));
            while (running.get()) {
                final ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (final TopicPartition partition : batch.partitions()) {
                    if (!process(partition, batch.records(partition))) {
                        return;
                    }
                }
            }
        } catch (final WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            log.info("InsightIQ fetcher stopped");
        }
    }

    /** Processes one partition's records in order; false when the fetcher must stop. */
    private boolean process(final TopicPartition partition, final List<ConsumerRecord<byte[], byte[]>> records) {
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            try {
                handle(record);
            } catch (final InsightIqException.CredentialRejected e) {
                readiness.credentialStopped(InsightIqPoller.CREDENTIAL, e.getMessage());
                log.error("InsightIQ rejected the credential, fetcher stops: {}", e.getMessage());
                return false;
            } catch (final RuntimeException e) {
                // Kafka did not acknowledge: go back to this notification and try again after a pause.
                log.warn("Fetch of {} at offset {} not stored, retrying: {}", partition, record.offset(), e.toString());
                consumer.seek(partition, record.offset());
                pause();
                return running.get();
            }
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        }
        return true;
    }

    private void handle(final ConsumerRecord<byte[], byte[]> record) {
        final String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        final InsightIqWebhookNotification notification;
        try {
            notification = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (final RuntimeException e) {
            acked(deadLetters.send("insightiq-fetcher", "undecodable", "notification cannot be decoded: " + e,
                origin, key(record), record.value() == null ? null
                    : new String(record.value(), StandardCharsets.UTF_8)));
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("delivery_id", notification.getDeliveryId())) {
            final List<CompletableFuture<?>> acks = new ArrayList<>();
            try {
                fetch(notification, acks);
            } catch (final InsightIqException.CredentialRejected e) {
                throw e;
            } catch (final InsightIqException e) {
                acks.add(deadLetters.send("insightiq-fetcher", "fetch-failed", notification.getEvent()
                    + " fetch failed: " + e.getMessage(), origin, key(record), notification.getPayloadJson()));
            }
            acks.forEach(this::acked);
        }
    }

    private void fetch(final InsightIqWebhookNotification n, final List<CompletableFuture<?>> acks) {
        final String event = n.getEvent();
        final String account = n.getAccountId();
        final List<String> ids = n.getIds();
        if (JOBS.containsKey(event) && n.getJobId() != null) {
            final Job job = JOBS.get(event);
            pages(job.path() + n.getJobId(), Map.of(), job.kind(), acks);
        } else if (event.startsWith("CONTENTS.")) {
            search(ObjectKind.CONTENTS, ids, acks);
        } else if (event.startsWith("CONTENT-GROUPS.")) {
            search(ObjectKind.CONTENT_GROUPS, ids, acks);
        } else if (event.startsWith("PROFILES_AUDIENCE.") && account != null) {
            acks.add(objects.publish(ObjectKind.AUDIENCE, client.get(ObjectKind.AUDIENCE.path(),
                Map.of("account_id", account)), ORIGIN));
        } else if (event.startsWith("PROFILES.")) {
            if (!ids.isEmpty()) {
                ids.forEach(id -> acks.add(objects.publish(ObjectKind.PROFILES,
                    client.get(ObjectKind.PROFILES.path() + "/" + id, Map.of()), ORIGIN)));
            } else if (account != null) {
                pages(ObjectKind.PROFILES.path(), Map.of("account_id", account), ObjectKind.PROFILES, acks);
            }
        } else if (event.startsWith("CONTENTS_COMMENTS.") && account != null) {
            ids.forEach(content -> pages(ObjectKind.COMMENTS.path(), Map.of("account_id", account, "content_id",
                content), ObjectKind.COMMENTS, acks));
        } else if (event.startsWith("ACCOUNTS.") && !"ACCOUNTS.DISCONNECTED".equals(event) && account != null) {
            acks.add(objects.publish(ObjectKind.ACCOUNTS, client.get(ObjectKind.ACCOUNTS.path() + "/" + account,
                Map.of()), ORIGIN));
        } else {
            // ACCOUNTS.DISCONNECTED was turned into a disconnect record on receipt; others have nothing to fetch.
            metrics.webhookCall("insightiq-fetcher", "nothing-to-fetch");
            log.debug("Nothing to fetch for {}", event);
        }
    }

    private void search(final ObjectKind kind, final List<String> ids, final List<CompletableFuture<?>> acks) {
        for (int from = 0; from < ids.size(); from += MAX_IDS) {
            final Page page = client.search(kind.path() + "/search", ids.subList(from,
                Math.min(ids.size(), from + MAX_IDS)));
            acks.add(objects.publish(kind, page, ORIGIN));
        }
    }

    private void pages(final String path, final Map<String, String> base, final ObjectKind kind,
                       final List<CompletableFuture<?>> acks) {
        long offset = 0;
        while (true) {
            final Map<String, String> query = new HashMap<>(base);
            query.put("limit", Integer.toString(pageSize));
            query.put("offset", Long.toString(offset));
            final Page page = client.list(path, query);
            acks.add(objects.publish(kind, page, ORIGIN));
            if (page.items().size() < pageSize) {
                return;
            }
            offset += page.items().size();
        }
    }

    private void acked(final CompletableFuture<?> ack) {
        try {
            ack.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge: " + e, e);
        }
    }

    private void pause() {
        try {
            // after a failed round: back off a second instead of spinning on a broken upstream or Kafka
            Thread.sleep(1_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private static String key(final ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
