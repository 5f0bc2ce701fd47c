package io.insidernetwork.ingest.export.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.ingest.export.request.ExportRequest.Events;
import io.insidernetwork.ingest.export.request.ExportRequest.Filter;
import io.insidernetwork.ingest.export.request.ExportRequest.Segment;
import io.insidernetwork.ingest.export.request.ExportRequest.WantedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportRequestValidatorTest {

    private static final ExportRequestValidator VALIDATOR = new ExportRequestValidator(false);
    private static final WantedEvent CLICK = new WantedEvent("email_click", List.of("email_campaign_id", "timestamp"),
        List.of(new Filter("email_campaign_id", "eq", List.of(369, 877), null)));

    private static ExportRequest request(final List<String> attributes, final Events events, final String format,
                                         final String hook) {
        return new ExportRequest(new Segment(123_456_789L), attributes, events, format, hook);
    }

    private static List<String> fields(final String partner, final String token, final ExportRequest request) {
        return VALIDATOR.validate(partner, token, request).stream().map(Violation::field).toList();
    }

    @Test
    void shouldAcceptRequestWhenItIsTheSeedSample() {
        final ExportRequest sample = request(List.of("*"), new Events(1_606_311_893L, 1_611_582_293L, List.of(CLICK,
            new WantedEvent("item_added_to_cart", List.of("product_id", "name", "timestamp"), null))), "parquet",
            "https://xyz.test.com");
        assertThat(VALIDATOR.validate("mybrand", "1a2b3c4d5e6f", sample)).isEmpty();
    }

    @Test
    void shouldNameHeadersWhenPartnerIsNotLowercaseOrTokenMissing() {
        final ExportRequest ok = request(List.of("email"), null, "csv", "https://h.test/x");
        assertThat(fields("MyBrand", "t", ok)).containsExactly("X-PARTNER-NAME");
        assertThat(fields("", "t", ok)).containsExactly("X-PARTNER-NAME");
        assertThat(fields("mybrand", " ", ok)).containsExactly("X-REQUEST-TOKEN");
    }

    @Test
    void shouldRequireAttributesOrEventsAndSegmentWhenBothMissing() {
        assertThat(fields("mybrand", "t", new ExportRequest(null, null, null, "csv", "https://h.test/x")))
            .containsExactly("segment.segment_id", "attributes");
    }

    @Test
    void shouldNameEventFieldsWhenDatesParamsOrNameAreMissing() {
        final Events events = new Events(2_000L, 1_000L, List.of(new WantedEvent(" ", List.of(), null)));
        assertThat(fields("mybrand", "t", request(null, events, "json", "https://h.test/x")))
            .containsExactly("events.end_date", "events.wanted[0].event_name", "events.wanted[0].params");
        assertThat(fields("mybrand", "t", request(null, new Events(null, null, List.of()), "json",
            "https://h.test/x"))).containsExactly("events.start_date", "events.end_date", "events.wanted");
    }

    @Test
    void shouldAllowOneFilterWithValidOperatorAndOneValueSourceWhenFiltering() {
        final List<Filter> two = List.of(new Filter("k", "eq", List.of(1), null), new Filter("k", "ne", List.of(2),
            null));
        final List<Filter> bad = List.of(new Filter(null, "like", List.of(1), "https://h.test/v.csv"));
        final List<Filter> none = List.of(new Filter("k", "gteq", null, null));
        final List<Filter> url = List.of(new Filter("k", "lt", null, "ftp://h.test/v.csv"));
        assertThat(fields("mybrand", "t", request(null, new Events(1L, 2L, List.of(new WantedEvent("e",
            List.of("p"), two))), "csv", "https://h.test/x"))).containsExactly("events.wanted[0].filters");
        assertThat(fields("mybrand", "t", request(null, new Events(1L, 2L, List.of(new WantedEvent("e",
            List.of("p"), bad))), "csv", "https://h.test/x"))).containsExactly("events.wanted[0].filters[0].key",
            "events.wanted[0].filters[0].operator", "events.wanted[0].filters[0].values");
        assertThat(fields("mybrand", "t", request(null, new Events(1L, 2L, List.of(new WantedEvent("e",
            List.of("p"), none))), "csv", "https://h.test/x"))).containsExactly("events.wanted[0].filters[0].values");
        assertThat(fields("mybrand", "t", request(null, new Events(1L, 2L, List.of(new WantedEvent("e",
            List.of("p"), url))), "csv", "https://h.test/x"))).containsExactly(
            "events.wanted[0].filters[0].values_url");
    }

    @Test
    void shouldRequireKnownFormatAndHttpsHookWhenSending() {
        assertThat(fields("mybrand", "t", request(List.of("*"), null, "xml", "http://h.test/x")))
            .containsExactly("format", "hook");
        assertThat(new ExportRequestValidator(true).validate("mybrand", "t",
            request(List.of("*"), null, "csv", "http://127.0.0.1:1/x"))).isEmpty();
    }
}
