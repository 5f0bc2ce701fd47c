package io.insidernetwork.graph.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {

    private static final String DLQ = "graph.dead-letters.v1";

    private final DeadLetters deadLetters = new DeadLetters(new SimpleMeterRegistry());
    private final Map<String, Object> configs = Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ,
        DeadLetters.CONFIG_KEY, deadLetters);

    @Test
    void shouldBuildDeadLetterWithValidTimestampWhenContextHasNone() {
        // what RecordCollectorImpl passes for a failed changelog write: no record context, timestamp -1
        final ProducerRecord<byte[], byte[]> dead = DeadLetterRecords.build(DLQ, bytes("k"), bytes("v"),
            context(null, -1, -1, -1), new RecordTooLargeException("too big"), DeadLetters.PRODUCTION, 1234L);
        assertThat(dead.timestamp()).isEqualTo(1234L);
        assertThat(dead.headers().lastHeader("__streams.errors.topic")).isNull();
        assertThat(text(dead.headers().lastHeader("__streams.errors.exception").value()))
            .isEqualTo(RecordTooLargeException.class.getName());
    }

    @Test
    void shouldLeaveValueOutWhenItIsTooLargeForADeadLetter() {
        final byte[] huge = new byte[DeadLetterRecords.MAX_VALUE_BYTES + 1];
        final ProducerRecord<byte[], byte[]> dead = DeadLetterRecords.build(DLQ, bytes("k"), huge,
            context("t", 0, 5, 99), new RecordTooLargeException("too big"), DeadLetters.PRODUCTION, 1L);
        assertThat(dead.value()).isNull();
        assertThat(text(dead.headers().lastHeader(DeadLetterRecords.VALUE_DROPPED_HEADER).value()))
            .isEqualTo(Integer.toString(huge.length));
        assertThat(dead.timestamp()).isEqualTo(99L);
        assertThat(text(dead.headers().lastHeader("__streams.errors.offset").value())).isEqualTo("5");
    }

    @Test
    void shouldResumeWithDeadLetterWhenOutputRecordIsTooLarge() {
        final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs);
        final ProductionExceptionHandler.Response response = handler.handleError(context(null, -1, -1, -1),
            new ProducerRecord<>("graph.network-updates.v1", bytes("k"), bytes("v")), new RecordTooLargeException());
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
            .satisfies(r -> assertThat(r.timestamp()).isNotNegative());
        assertThat(deadLetters.count(DeadLetters.PRODUCTION)).isEqualTo(1.0);
    }

    @Test
    void shouldFailWhenChangelogWriteFailsSoStoreAndChangelogNeverDiverge() {
        final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs);
        final ProductionExceptionHandler.Response response = handler.handleError(context(null, -1, -1, -1),
            new ProducerRecord<>("insider-graph-graph-insiders-changelog", bytes("k"), bytes("v")),
            new RecordTooLargeException());
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void shouldRetryWhenErrorIsRetriable() {
        final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs);
        assertThat(handler.handleError(context("t", 0, 1, 1), new ProducerRecord<>("out", bytes("k"), bytes("v")),
            new TimeoutException()).result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
    }

    @Test
    void shouldResumeWithSourceRecordWhenProcessingOrPunctuationThrows() {
        final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(configs);
        final ProcessingExceptionHandler.Response forRecord = handler.handleError(context("partner.events.v1", 2, 7,
            50), new Record<>("k", "v", 50), new NumberFormatException("boom"));
        // a punctuation: no record, no source
        final ProcessingExceptionHandler.Response forPunctuation = handler.handleError(context(null, -1, -1, 60),
            null, new IllegalStateException("tick"));
        assertThat(forRecord.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(forRecord.deadLetterQueueRecords()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(DLQ);
            assertThat(text(r.value())).isEqualTo("raw-value");
            assertThat(text(r.headers().lastHeader("__streams.errors.topic").value())).isEqualTo("partner.events.v1");
            assertThat(text(r.headers().lastHeader("__streams.errors.partition").value())).isEqualTo("2");
            assertThat(text(r.headers().lastHeader("__streams.errors.message").value())).isEqualTo("boom");
        });
        assertThat(forPunctuation.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(forPunctuation.deadLetterQueueRecords()).singleElement()
            .satisfies(r -> assertThat(r.timestamp()).isEqualTo(60L));
        assertThat(deadLetters.count(DeadLetters.PROCESSING)).isEqualTo(2.0);
    }

    private static ErrorHandlerContext context(final String topic, final int partition, final long offset,
                                               final long timestamp) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "network-processor";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, Math.max(partition, 0));
            }

            @Override
            public long timestamp() {
                return timestamp;
            }

            @Override
            public byte[] sourceRawKey() {
                return topic == null ? null : bytes("raw-key");
            }

            @Override
            public byte[] sourceRawValue() {
                return topic == null ? null : bytes("raw-value");
            }
        };
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
