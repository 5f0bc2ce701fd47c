package io.insidernetwork.schemas.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exception thrown while a processor handles a record, or in a punctuation (Kafka Streams passes those here with
 * a null record and the punctuation's context, timestamp -1): the source record goes to the dead-letter topic with
 * the exception and its source topic, partition and offset, is counted and logged, and processing continues with the
 * next record. A record that always throws therefore no longer kills the stream thread again and again.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetterSink sink;

    @Override
    public void configure(final Map<String, ?> configs) {
        sink = DeadLetterSink.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                final Exception exception) {
        log.warn("{}: processing failed in {} (task {}, source {}-{} offset {}{}); dead-lettered, continuing",
            sink.service(), context.processorNodeId(), context.taskId(), context.topic(), context.partition(),
            context.offset(), record == null ? ", punctuation" : "", exception);
        return Response.resume(List.of(sink.deadLetter(HandlerFailure.PROCESSING, context.sourceRawKey(),
            context.sourceRawValue(), context, exception)));
    }
}
