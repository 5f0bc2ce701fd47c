package io.insidernetwork.schemas.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The shared exception handlers: every failure gives one dead letter with a valid timestamp (a punctuation's or a
 * failed changelog write's context has timestamp -1, on which Kafka's own dead-letter builder threw "Invalid
 * timestamp: -1"), the service's reason header and the source coordinates, is counted, and processing resumes;
 * a changelog write that fails fails the task.
 */
class DeadLetterHandlersTest {

    private static final String DLQ = "graph.dead-letters.v1";

    private final List<HandlerFailure> counted = new ArrayList<>();
    private final DeadLetterReporting reporting = new DeadLetterReporting("graph", counted::add);
    private final Map<String, Object> configs = Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ,
        DeadLetterReporting.CONFIG_KEY, reporting);

    @Test
    void shouldBuildDeadLetterWithValidTimestampWhenContextHasNone() {
        // what RecordCollectorImpl passes for a failed changelog write: no record context, timestamp -1
        final ProducerRecord<byte[], byte[]> dead = DeadLetterRecords.build(DLQ, bytes("k"), bytes("v"),
            context(null, -1, -1, -1), new RecordTooLargeException("too big"), reporting,
            HandlerFailure.PRODUCTION.reason(), 1234L);
        assertThat(dead.timestamp()).isEqualTo(1234L);
        assertThat(dead.headers().lastHeader("__streams.errors.topic")).isNull();
        assertThat(text(dead.headers().lastHeader("__streams.errors.exception").value()))
            .isEqualTo(RecordTooLargeException.class.getName());
        assertThat(text(dead.headers().lastHeader("__graph.errors.reason").value())).isEqualTo("production-error");
    }

    @Test
    void shouldLeaveValueOutWhenItIsTooLargeForADeadLetter() {
        final byte[] huge = new byte[DeadLetterRecords.MAX_VALUE_BYTES + 1];
        final ProducerRecord<byte[], byte[]> dead = DeadLetterRecords.build(DLQ, bytes("k"), huge,
            context("t", 0, 5, 99), new RecordTooLargeException("too big"), reporting,
            HandlerFailure.PRODUCTION.reason(), 1L);
        assertThat(dead.value()).isNull();
        assertThat(text(dead.headers().lastHeader(reporting.valueDroppedHeader()).value()))
            .isEqualTo(Integer.toString(huge.length));
        assertThat(reporting.valueDroppedHeader()).isEqualTo("__graph.errors.value.dropped.bytes");
        assertThat(dead.timestamp()).isEqualTo(99L);
        assertThat(text(dead.headers().lastHeader("__streams.errors.offset").value())).isEqualTo("5");
    }

    @Test
    void shouldKeepValueAndCutStackTraceWhenValueFitsAndTraceIsLong() {
        final byte[] fits = new byte[DeadLetterRecords.MAX_VALUE_BYTES];
        final Exception deep = new IllegalStateException("x".repeat(2 * DeadLetterRecords.MAX_STACKTRACE_CHARS));
        final ProducerRecord<byte[], byte[]> dead = DeadLetterRecords.build(DLQ, null, fits, context("t", 0, 5, 99),
            deep, reporting, HandlerFailure.PROCESSING.reason(), 1L);
        assertThat(dead.value()).isSameAs(fits);
        assertThat(dead.headers().lastHeader(reporting.valueDroppedHeader())).isNull();
        assertThat(dead.headers().lastHeader("__streams.errors.stacktrace").value())
            .hasSize(DeadLetterRecords.MAX_STACKTRACE_CHARS);
    }

    @Test
    void shouldResumeWithDeadLetterWhenOutputRecordIsTooLarge() {
        final ProductionExceptionHandler.Response response = production().handleError(context(null, -1, -1, -1),
            new ProducerRecord<>("graph.network-updates.v1", bytes("k"), bytes("v")), new RecordTooLargeException());
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
            .satisfies(r -> assertThat(r.timestamp()).isNotNegative());
        assertThat(counted).containsExactly(HandlerFailure.PRODUCTION);
    }

    @Test
    void shouldDeadLetterSourceBytesWhenOutputCannotBeSerialized() {
        final ProductionExceptionHandler.Response response = production().handleSerializationError(
            context("partner.events.v1", 1, 3, 10), new ProducerRecord<>("graph.network-updates.v1", "k", "v"),
            new SerializationException("precision"), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
            .satisfies(r -> assertThat(text(r.value())).isEqualTo("raw-value"));
        assertThat(counted).containsExactly(HandlerFailure.PRODUCTION);
    }

    @Test
    void shouldFailWhenChangelogWriteFailsSoStoreAndChangelogNeverDiverge() {
        final ProductionExceptionHandler.Response response = production().handleError(context(null, -1, -1, -1),
            new ProducerRecord<>("insider-graph-graph-insiders-changelog", bytes("k"), bytes("v")),
            new RecordTooLargeException());
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(counted).containsExactly(HandlerFailure.PRODUCTION);
    }

    @Test
    void shouldRetryWhenErrorIsRetriable() {
        assertThat(production().handleError(context("t", 0, 1, 1), new ProducerRecord<>("out", bytes("k"),
            bytes("v")), new TimeoutException()).result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(counted).isEmpty();
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
            assertThat(text(r.key())).isEqualTo("raw-key");
            assertThat(text(r.value())).isEqualTo("raw-value");
            assertThat(r.timestamp()).isEqualTo(50L);
            assertThat(text(r.headers().lastHeader("__streams.errors.topic").value())).isEqualTo("partner.events.v1");
            assertThat(text(r.headers().lastHeader("__streams.errors.partition").value())).isEqualTo("2");
            assertThat(text(r.headers().lastHeader("__streams.errors.offset").value())).isEqualTo("7");
            assertThat(text(r.headers().lastHeader("__streams.errors.message").value())).isEqualTo("boom");
            assertThat(text(r.headers().lastHeader("__graph.errors.reason").value())).isEqualTo("processing-error");
        });
        assertThat(forPunctuation.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(forPunctuation.deadLetterQueueRecords()).singleElement()
            .satisfies(r -> assertThat(r.timestamp()).isEqualTo(60L));
        assertThat(counted).containsExactly(HandlerFailure.PROCESSING, HandlerFailure.PROCESSING);
    }

    @Test
    void shouldSendPunctuationFailureAsideWhenItsTimestampIsMinusOne() {
        final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(configs);
        final long before = System.currentTimeMillis();
        final ProcessingExceptionHandler.Response response = handler.handleError(context(null, -1, -1, -1), null,
            new IllegalStateException("expiry failed"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo(DLQ);
        assertThat(dead.timestamp()).as("stamped with the wall clock").isBetween(before, System.currentTimeMillis());
        assertThat(text(dead.headers().lastHeader("__streams.errors.message").value())).isEqualTo("expiry failed");
        assertThat(counted).containsExactly(HandlerFailure.PROCESSING);
    }

    @Test
    void shouldDeadLetterRawBytesAndResumeWhenRecordCannotBeRead() {
        final DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(configs);
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("graph.insiders.v1", 1, 9, bytes("k"),
            bytes("not avro"));
        final DeserializationExceptionHandler.Response response = handler.handleError(
            context("graph.insiders.v1", 1, 9, 70), record, new SerializationException("bad magic"));
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(r -> {
            assertThat(text(r.value())).isEqualTo("not avro");
            assertThat(text(r.headers().lastHeader("__graph.errors.reason").value()))
                .isEqualTo("deserialization-error");
            assertThat(text(r.headers().lastHeader("__streams.errors.offset").value())).isEqualTo("9");
        });
        assertThat(counted).containsExactly(HandlerFailure.DESERIALIZATION);
    }

    @Test
    void shouldRefuseToStartWhenReportingOrTopicIsMissing() {
        final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        assertThatThrownBy(() -> handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
            DLQ))).isInstanceOf(IllegalStateException.class).hasMessageContaining(DeadLetterReporting.CONFIG_KEY);
        assertThatThrownBy(() -> handler.configure(Map.of(DeadLetterReporting.CONFIG_KEY, reporting)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        assertThatThrownBy(() -> new DeadLetterReporting("Graph Stream", counted::add))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service");
    }

    @Test
    void shouldSetHandlersTopicAndReportingWhenAppliedToStreamsProperties() {
        final Properties props = new Properties();
        reporting.applyTo(props, DLQ);
        assertThat(props).containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class)
            .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class)
            .containsEntry(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class)
            .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ)
            .containsEntry(DeadLetterReporting.CONFIG_KEY, reporting);
    }

    private DeadLetterProductionHandler production() {
        final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs);
        return handler;
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
