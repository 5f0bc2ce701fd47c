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

    private String topic;
    private DeadLetterReporting reporting;

    @Override
    public void configure(final Map<String, ?> configs) {
        topic = DeadLetterReporting.topic(configs);
        reporting = DeadLetterReporting.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        log.warn("{}: cannot read record of {}-{} at offset {}; dead-lettered, continuing: {}", reporting.service(),
            record.topic(), record.partition(), record.offset(), exception.toString());
        reporting.counter().count(HandlerFailure.DESERIALIZATION);
        return Response.resume(List.of(DeadLetterRecords.build(topic, record.key(), record.value(), context,
            exception, reporting, HandlerFailure.DESERIALIZATION.reason(), System.currentTimeMillis())));
    }
}
