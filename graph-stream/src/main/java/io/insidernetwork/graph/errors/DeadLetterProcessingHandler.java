package io.insidernetwork.graph.errors;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exception thrown while a processor handles a record, or in a punctuation (Kafka Streams passes those here with
 * a null record and the punctuation's context): the source record goes to the dead-letter topic with the exception
 * and its source topic, partition and offset, is counted and logged, and processing continues with the next record.
 * A record that always throws therefore no longer kills the stream thread again and again.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private String topic;
    private DeadLetters deadLetters;

    @Override
    public void configure(final Map<String, ?> configs) {
        topic = String.valueOf(configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                final Exception exception) {
        log.warn("Processing failed in {} (task {}, source {}-{} offset {}{}); dead-lettered, continuing",
            context.processorNodeId(), context.taskId(), context.topic(), context.partition(), context.offset(),
            record == null ? ", punctuation" : "", exception);
        deadLetters.record(DeadLetters.PROCESSING);
        return Response.resume(List.of(DeadLetterRecords.build(topic, context.sourceRawKey(),
            context.sourceRawValue(), context, exception, DeadLetters.PROCESSING, System.currentTimeMillis())));
    }
}
