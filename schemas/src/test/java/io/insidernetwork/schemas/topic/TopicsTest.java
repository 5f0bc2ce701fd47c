package io.insidernetwork.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldPrefixEveryTopicWhenCreatedWithPrefix() {
        final Topics topics = Topics.create("t1-", 2, Duration.ofDays(1));
        assertThat(topics.all()).allSatisfy(t -> assertThat(t.name()).startsWith("t1-"));
        assertThat(topics.all()).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(2));
    }

    @Test
    void shouldNameEveryTopicOnceWhenStandard() {
        final var names = Topics.standard().all().stream().map(TopicSpec::name).toList();
        assertThat(names).doesNotHaveDuplicates().contains("partner.events.v1", "graph.insider-state.v1");
    }

    @Test
    void shouldCompactStateTopicsWhenCreated() {
        final Topics topics = Topics.standard();
        assertThat(topics.insiderState().newTopic((short) 1).configs())
            .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(topics.networkUpdates().newTopic((short) 1).configs())
            .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
            .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(30).toMillis()));
        assertThat(topics.partnerEvents().newTopic((short) 1).configs())
            .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }
}
