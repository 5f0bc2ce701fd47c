package io.insidernetwork.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.topic.Topics;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The producer, not the event, decides a record's time: every record is sent without a timestamp. */
class EventPublisherTest {

    @Test
    void shouldLeaveTheTimestampToTheProducerWhenPublishing() {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
        final Topics topics = Topics.create("t.", 1, Duration.ofDays(1));
        final EventPublisher publisher = new EventPublisher(producer);
        publisher.publish(topics.ingestDeadLetters(), new EventPublisher.Outgoing<>(new byte[] {1}, new byte[] {2}));
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.timestamp()).as("null: the producer stamps the time it sends (CreateTime)").isNull();
            assertThat(record.topic()).isEqualTo("t.ingest.dead-letters.v1");
        });
    }
}
