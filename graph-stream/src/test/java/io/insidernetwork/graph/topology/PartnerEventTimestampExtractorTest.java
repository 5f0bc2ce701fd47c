package io.insidernetwork.graph.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.schemas.partner.PartnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class PartnerEventTimestampExtractorTest {

    private final PartnerEventTimestampExtractor extractor = new PartnerEventTimestampExtractor(Duration.ofHours(1));

    @Test
    void shouldTakeEventTimeFromPayloadWhenRecordTimestampIsTheAcceptanceTime() {
        final Instant eventTime = Instant.parse("2025-02-03T14:17:00Z");
        assertThat(extractor.extract(record(event(eventTime), 1_900_000_000_000L), 5L))
            .isEqualTo(eventTime.toEpochMilli());
    }

    @Test
    void shouldKeepPartitionTimeWhenEventIsDatedBeyondTheSkew() {
        final Instant future = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
        assertThat(extractor.extract(record(event(future), 1_700_000_000_000L), 1_690_000_000_000L))
            .isEqualTo(1_690_000_000_000L);
        // within the skew it counts
        final Instant soon = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MILLIS);
        assertThat(extractor.extract(record(event(soon), 1L), 0L)).isEqualTo(soon.toEpochMilli());
    }

    @Test
    void shouldFallBackToRecordTimestampWhenValueIsNotAPartnerEvent() {
        assertThat(extractor.extract(record("raw", 42L), 7L)).isEqualTo(42L);
        assertThat(extractor.extract(record(null, -1L), 7L)).isEqualTo(7L);
    }

    private static ConsumerRecord<Object, Object> record(final Object value, final long timestamp) {
        return new ConsumerRecord<>("partner.events.v1", 0, 0L, timestamp,
            org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, "k", value,
            new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
    }

    private static PartnerEvent event(final Instant time) {
        return GraphFixtures.share("e1", GraphFixtures.uuid(1), time, "@a");
    }
}
