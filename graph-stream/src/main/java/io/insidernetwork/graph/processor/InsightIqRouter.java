package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.logic.InsightIqFacts;
import io.insidernetwork.schemas.graph.InsightIqFact;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the raw InsightIQ topics (users, accounts, profiles, contents, account disconnects; each keyed by its own
 * id) and re-keys them as small {@link InsightIqFact}s: users by user id, everything else by account id. Stateless;
 * a record that cannot be mapped goes to the dead-letter topic with the field at fault.
 */
public final class InsightIqRouter implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /** Child that writes facts keyed by InsightIQ account id. */
    public static final String ACCOUNT_SINK = "insightiq-by-account-sink";
    /** Child that writes facts keyed by InsightIQ user id. */
    public static final String USER_SINK = "insightiq-by-user-sink";
    /** Child that writes records that could not be mapped. */
    public static final String DEAD_LETTER_SINK = "insightiq-dead-letter-sink";

    private static final Logger log = LoggerFactory.getLogger(InsightIqRouter.class);

    private ProcessorContext<String, SpecificRecord> context;
    private Sensor deadLetters;
    private DeadLetters deadLetterCounter;

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        deadLetters = context.metrics().addRateTotalSensor("graph-stream", "insightiq-router", "dead-letter",
            Sensor.RecordingLevel.INFO);
        deadLetterCounter = DeadLetters.from(context.appConfigs());
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        if (record.value() == null) {
            // a tombstone on a compacted InsightIQ topic: nothing upstream deletes objects, so nothing to undo
            return;
        }
        final InsightIqFacts.Mapped mapped = InsightIqFacts.map(record.value());
        if (mapped instanceof InsightIqFacts.Routed routed) {
            final String sink = routed.route() == InsightIqFacts.Route.USER ? USER_SINK : ACCOUNT_SINK;
            context.forward(new Record<String, SpecificRecord>(routed.key(), routed.fact(),
                routed.fact().getFactTime().toEpochMilli()), sink);
        } else if (mapped instanceof InsightIqFacts.Rejected rejected) {
            deadLetter(record, rejected.reason());
        }
    }

    private void deadLetter(final Record<String, SpecificRecord> record, final String reason) {
        final RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(NetworkProcessor.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(NetworkProcessor.EXCEPTION_HEADER, "InvalidInsightIqRecord".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REASON_HEADER,
            DeadLetters.INVALID_INSIGHTIQ.getBytes(StandardCharsets.UTF_8));
        final Optional<RecordMetadata> metadata = context.recordMetadata();
        // the source coordinates, as in Kafka Streams' own dead-letter records (KIP-1034 headers)
        metadata.ifPresent(m -> {
            headers.add("__streams.errors.topic", m.topic().getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.partition", Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.offset", Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
        });
        log.warn("Dead-lettered record of {} at offset {}: {}", metadata.map(RecordMetadata::topic).orElse("?"),
            metadata.map(RecordMetadata::offset).orElse(-1L), reason);
        deadLetters.record();
        deadLetterCounter.record(DeadLetters.INVALID_INSIGHTIQ);
        context.forward(record.withHeaders(headers), DEAD_LETTER_SINK);
    }
}
