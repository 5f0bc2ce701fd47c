package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.streams.ConsumerBacklog;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The progress line's events waiting and seconds behind, from a real consumer group on a real broker. */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
class ProgressReporterIT {

    @Test
    void shouldCountUnprocessedPartnerEventsAndTheAgeOfTheOldestWhenTheGroupLags(final KafkaBroker broker)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("progress") + ".";
        final Topics topics = Topics.create(prefix, 2, Duration.ofDays(1));
        final String events = topics.partnerEvents().name();
        final String group = prefix + "insider-graph";
        final Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        final long now = System.currentTimeMillis();
        try (Admin admin = Admin.create(kafka);
             KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                 new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(events, 2, (short) 1), new NewTopic(
                topics.networkUpdates().name(), 1, (short) 1))).all().get();
            // partition 0: five events accepted 50..10 s ago; partition 1: two events 5 s ago
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(events, 0, now - (50 - 10L * i) * 1000, "k" + i, "v")).get();
            }
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(events, 1, now - 5_000, "p" + i, "v")).get();
            }
            try (ProgressReporter reporter = new ProgressReporter(kafka, topics.networkUpdates(), events, group,
                () -> 7L, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Duration.ofHours(1))) {
                // no offsets committed yet: everything waits, the oldest is 50 s old
                ConsumerBacklog.Backlog backlog = reporter.backlog();
                assertThat(backlog.waiting()).isEqualTo(7);
                assertThat(backlog.behind().toSeconds()).isBetween(50L, 60L);

                // graph-stream processed the first three of partition 0 and all of partition 1
                admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(events, 0),
                    new OffsetAndMetadata(3), new TopicPartition(events, 1), new OffsetAndMetadata(2))).all().get();
                backlog = reporter.backlog();
                assertThat(backlog.waiting()).isEqualTo(2);
                assertThat(backlog.behind().toSeconds()).isBetween(20L, 30L);

                admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(events, 0),
                    new OffsetAndMetadata(5))).all().get();
                backlog = reporter.backlog();
                assertThat(backlog).isEqualTo(new ConsumerBacklog.Backlog(0, Duration.ZERO));
                assertThat(ProgressReporter.line(7, 1.4, backlog, 3, 4)).isEqualTo(
                    "progress: ingested 7 events (1/s) | events waiting 0 | API data behind 0 s | insiders 3, "
                        + "connections 4");
            }
        }
    }
}
