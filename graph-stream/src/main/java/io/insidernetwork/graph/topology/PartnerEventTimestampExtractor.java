package io.insidernetwork.graph.topology;

import io.insidernetwork.schemas.partner.PartnerEvent;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of partner events for stream time: the payload's {@code event_time} (ingest writes its acceptance time
 * as the Kafka record timestamp), falling back to the record timestamp for anything else. An event dated more than
 * {@code maxFutureSkew} after the wall clock does not advance stream time (it would trigger mass decay and
 * settlement): it gets the partition's current time instead, and the network processor dead-letters it with the
 * reason.
 */
public final class PartnerEventTimestampExtractor implements TimestampExtractor {

    private final long maxFutureSkewMs;

    public PartnerEventTimestampExtractor(final Duration maxFutureSkew) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        if (!(record.value() instanceof PartnerEvent event)) {
            return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
        }
        final long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime > System.currentTimeMillis() + maxFutureSkewMs) {
            return partitionTime >= 0 ? partitionTime : Math.max(record.timestamp(), 0);
        }
        return Math.max(eventTime, 0);
    }
}
