package io.insidernetwork.schemas.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record whose key or value cannot be read: dead-lettered as it came (raw bytes), counted, logged, skipped. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetterSink sink;

    @Override
    public void configure(final Map<String, ?> configs) {
        sink = DeadLetterSink.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        log.warn("{}: cannot read record of {}-{} at offset {}; dead-lettered, continuing: {}", sink.service(),
            record.topic(), record.partition(), record.offset(), exception.toString());
        return Response.resume(List.of(sink.deadLetter(HandlerFailure.DESERIALIZATION, record.key(), record.value(),
            context, exception)));
    }
}
