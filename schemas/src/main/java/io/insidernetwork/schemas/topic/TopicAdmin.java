package io.insidernetwork.schemas.topic;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalogue's topics that do not exist yet; existing topics are left as they are. */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /** Creates every missing topic of {@code topics}; returns the names it created. */
    public static List<String> ensureTopics(final Admin admin, final Collection<TopicSpec<?, ?>> topics,
                                            final short replicationFactor, final Duration timeout) {
        try {
            final Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            final List<NewTopic> missing = topics.stream()
                .filter(t -> !existing.contains(t.name()))
                .map(t -> t.newTopic(replicationFactor))
                .toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            final CreateTopicsResult result = admin.createTopics(missing);
            for (final var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            final List<String> created = missing.stream().map(NewTopic::name).toList();
            log.info("Created topics {}", created);
            return created;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list or create topics: " + e.getMessage(), e);
        }
    }
}
