package io.insidernetwork.ingest.export.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of {@code POST /api/raw/v1/export} (seed S1): a segment, attributes and/or wanted events with their window,
 * the file format and our webhook. Serialized as the seed's JSON; null members are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportRequest(Segment segment, List<String> attributes, Events events, String format, String hook) {

    /** The dynamic segment to export. */
    public record Segment(@JsonProperty("segment_id") Long segmentId) {
    }

    /** Wanted events and their window, in epoch seconds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Events(@JsonProperty("start_date") Long startDate, @JsonProperty("end_date") Long endDate,
                         List<WantedEvent> wanted) {
    }

    /** One wanted event with the params to export and at most one filter. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WantedEvent(@JsonProperty("event_name") String eventName, List<String> params,
                              List<Filter> filters) {
    }

    /** A filter on one event param: exactly one of {@code values} and {@code valuesUrl}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filter(String key, String operator, List<Object> values,
                         @JsonProperty("values_url") String valuesUrl) {
    }

    /** This request with the events window set to {@code [start, end]} (epoch seconds); unchanged without events. */
    public ExportRequest withWindow(final long start, final long end) {
        if (events == null) {
            return this;
        }
        return new ExportRequest(segment, attributes, new Events(start, end, events.wanted()), format, hook);
    }
}
