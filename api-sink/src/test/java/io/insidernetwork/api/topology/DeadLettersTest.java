package io.insidernetwork.api.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The query tier's exception handlers: every failure gives one dead letter (stamped when written, with the reason),
 * is counted, and processing resumes, including a punctuation's failure, whose context has no record and timestamp
 * -1 (Kafka's own dead-letter builder threw "Invalid timestamp: -1" on it).
 */
class DeadLettersTest {

    private static final String TOPIC = "api.dead-letters.v1";

    /** A failure context; {@code timestamp} -1 and no source bytes is what a punctuation gives. */
    private record Context(long timestamp, byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {
        @Override
        public String topic() {
            return "graph.network-updates.v1";
        }

        @Override
        public int partition() {
            return 2;
        }

        @Override
        public long offset() {
            return 41;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "network-update-indexer";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 2);
        }
    }

    private static DeadLetters.Processing processing(final List<String> counted) {
        final DeadLetters.Processing handler = new DeadLetters.Processing();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TOPIC,
            DeadLetters.COUNTER_CONFIG, (Consumer<String>) counted::add));
        return handler;
    }

    @Test
    void shouldSendPunctuationFailureAsideWhenItsTimestampIsMinusOne() {
        final List<String> counted = new ArrayList<>();
        final ProcessingExceptionHandler.Response response = processing(counted)
            .handleError(new Context(-1L, null, null), null, new IllegalStateException("expiry failed"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo(TOPIC);
        assertThat(dead.timestamp()).as("stamped by the producer when sent").isNull();
        assertThat(new String(dead.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
            .isEqualTo("expiry failed");
        assertThat(counted).containsExactly(DeadLetters.PROCESSING);
    }

    @Test
    void shouldKeepSourceBytesAndCoordinatesWhenRecordProcessingFails() {
        final List<String> counted = new ArrayList<>();
        final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        final byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        final ProcessingExceptionHandler.Response response = processing(counted).handleError(
            new Context(1_750_000_000_000L, key, value), new Record<>("k", "v", 1_750_000_000_000L),
            new ClassCastException("not an InsiderState"));
        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.key()).isEqualTo(key);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(dead.timestamp()).isNull();
        assertThat(new String(dead.headers().lastHeader("__streams.errors.offset").value(), StandardCharsets.UTF_8))
            .isEqualTo("41");
        assertThat(new String(dead.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
            .isEqualTo("graph.network-updates.v1");
        assertThat(counted).containsExactly(DeadLetters.PROCESSING);
    }
}
