package io.insidernetwork.schemas.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be written. For an output or internal topic, a record too large or one that cannot be
 * serialized is dead-lettered (its value left out when it is itself too large), counted and skipped: the topic misses
 * one update, and the next update of the same key (these topics are compacted states or change feeds) supersedes it.
 *
 * <p>A changelog write is never skipped: the store already holds the value, so skipping its changelog record would
 * let a restored store differ from the one that was running, silently. It fails the task instead (and is counted),
 * as Kafka Streams' default does; the services keep every stored value bounded (docs/architecture.md, "Bounded
 * records") so that this cannot happen. Retriable errors are retried, as by the default handler; any other error
 * fails the task (counted).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private static final String CHANGELOG_SUFFIX = "-changelog";

    private DeadLetterSink sink;

    @Override
    public void configure(final Map<String, ?> configs) {
        sink = DeadLetterSink.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException) {
            return skipUnlessChangelog(context, record, exception, record.key(), record.value());
        }
        sink.count(HandlerFailure.PRODUCTION);
        log.error("{}: cannot write to {}; failing the task", sink.service(), record.topic(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(final ErrorHandlerContext context, final ProducerRecord record,
                                             final Exception exception, final SerializationExceptionOrigin origin) {
        // the record could not be serialized, so only the source record's bytes can be kept
        return skipUnlessChangelog(context, record, exception, context.sourceRawKey(), context.sourceRawValue());
    }

    private Response skipUnlessChangelog(final ErrorHandlerContext context, final ProducerRecord<?, ?> record,
                                         final Exception exception, final byte[] key, final byte[] value) {
        if (record.topic().endsWith(CHANGELOG_SUFFIX)) {
            sink.count(HandlerFailure.PRODUCTION);
            log.error("{}: cannot write to changelog {}: skipping it would desynchronise store and changelog; "
                + "failing the task", sink.service(), record.topic(), exception);
            return Response.fail();
        }
        log.warn("{}: cannot write a record to {}; dead-lettered, continuing: {}", sink.service(), record.topic(),
            exception.toString());
        return Response.resume(List.of(sink.deadLetter(HandlerFailure.PRODUCTION, key, value, context, exception)));
    }
}
