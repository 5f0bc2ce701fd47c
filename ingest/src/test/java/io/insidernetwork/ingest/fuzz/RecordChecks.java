package io.insidernetwork.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.ingest.mapping.EventTimeWindow;
import io.insidernetwork.ingest.mapping.TextRules;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.apache.avro.generic.GenericRecord;

/** The property of every accepted record in the fuzz tests: it re-serializes to itself and holds only clean data. */
final class RecordChecks {

    static final Topics TOPICS = Topics.create("fuzz.", 1, Duration.ofDays(1));

    private RecordChecks() {
    }

    /** {@code value} survives its topic's serde unchanged, and every string in it passes the text rules. */
    static <V> void roundTrips(final TopicSpec<String, V> topic, final V value) {
        final byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        assertThat(topic.valueSerde().deserializer().deserialize(topic.name(), bytes)).isEqualTo(value);
    }

    /**
     * Every string of the record (and of its nested records and lists) passes {@link TextRules}; its event time lies
     * in the window.
     */
    static void cleanIds(final GenericRecord record, final Instant now) {
        for (final org.apache.avro.Schema.Field field : record.getSchema().getFields()) {
            final Object value = record.get(field.pos());
            if (value instanceof CharSequence text && !field.name().startsWith("raw")
                && !field.name().equals("payload_json")) {
                assertThat(TextRules.isClean(text.toString())).as(field.name()).isTrue();
            } else if (value instanceof Instant time && "event_time".equals(field.name())) {
                assertThat(EventTimeWindow.contains(time, now)).as("event_time " + time).isTrue();
            } else if (value instanceof GenericRecord nested) {
                cleanIds(nested, now);
            } else if (value instanceof Collection<?> items) {
                items.forEach(item -> assertThat(item instanceof CharSequence s ? TextRules.isClean(s.toString())
                    : true).as(field.name()).isTrue());
            }
        }
    }
}
