package io.insidernetwork.ingest.export.request;

import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.ingest.export.request.ExportRequest.Filter;
import io.insidernetwork.ingest.export.request.ExportRequest.WantedEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks an export request against every rule of the seed (S1 "Body Parameters", "Headers", "Limitations") before
 * it is sent, so that a bad configuration is reported with the field at fault instead of costing the day's request.
 */
public final class ExportRequestValidator {

    /** The filter operators the seed lists. */
    public static final Set<String> OPERATORS = Set.of("eq", "ne", "lt", "gt", "lteq", "gteq");
    /** The export formats the seed lists, as sent (lowercase, like the seed's sample). */
    public static final Set<String> FORMATS = Set.of("csv", "json", "parquet");

    private final boolean allowHttp;

    /** {@code allowHttp}: accept http URLs for the hook and values_url (tests only). */
    public ExportRequestValidator(final boolean allowHttp) {
        this.allowHttp = allowHttp;
    }

    /** Every broken rule, in field order; empty when the request may be sent. */
    public List<Violation> validate(final String partner, final String token, final ExportRequest request) {
        final List<Violation> violations = new ArrayList<>();
        if (partner == null || partner.isBlank()) {
            violations.add(new Violation("X-PARTNER-NAME", "is required (400 Empty Partner)"));
        } else if (!partner.equals(partner.toLowerCase(Locale.ROOT))) {
            violations.add(new Violation("X-PARTNER-NAME", "must be lowercase"));
        } else if (!ExportConfigDef.isPartnerName(partner)) {
            violations.add(new Violation("X-PARTNER-NAME", "must be letters, digits, '.', '_' or '-'"));
        }
        if (token == null || token.isBlank()) {
            violations.add(new Violation("X-REQUEST-TOKEN", "is required (400 Empty Token)"));
        } else if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            violations.add(new Violation("X-REQUEST-TOKEN", "must be printable ASCII without spaces"));
        }
        if (request == null) {
            violations.add(new Violation("body", "is required"));
            return violations;
        }
        if (request.segment() == null || request.segment().segmentId() == null) {
            violations.add(new Violation("segment.segment_id", "is required"));
        } else if (request.segment().segmentId() <= 0) {
            violations.add(new Violation("segment.segment_id", "must be a positive number"));
        }
        final boolean hasAttributes = request.attributes() != null && !request.attributes().isEmpty();
        if (!hasAttributes && request.events() == null) {
            violations.add(new Violation("attributes", "attributes or events is required"));
        }
        if (request.attributes() != null) {
            for (int i = 0; i < request.attributes().size(); i++) {
                final String attribute = request.attributes().get(i);
                if (attribute == null || attribute.isBlank()) {
                    violations.add(new Violation("attributes[" + i + "]", "must be a non-empty attribute name"));
                }
            }
        }
        if (request.events() != null) {
            events(request.events(), violations);
        }
        if (request.format() == null || !FORMATS.contains(request.format())) {
            violations.add(new Violation("format", "must be one of csv, json, parquet"));
        }
        if (!isUrl(request.hook())) {
            violations.add(new Violation("hook", "must be an absolute " + (allowHttp ? "http(s)" : "https")
                + " URL"));
        }
        return violations;
    }

    private void events(final ExportRequest.Events events, final List<Violation> violations) {
        final Long start = events.startDate();
        final Long end = events.endDate();
        if (start == null || start <= 0) {
            violations.add(new Violation("events.start_date", "is required, epoch seconds"));
        }
        if (end == null || end <= 0) {
            violations.add(new Violation("events.end_date", "is required, epoch seconds"));
        }
        if (start != null && end != null && start > 0 && end > 0 && start >= end) {
            violations.add(new Violation("events.end_date", "must be after events.start_date"));
        }
        if (events.wanted() == null || events.wanted().isEmpty()) {
            violations.add(new Violation("events.wanted", "must list at least one event"));
            return;
        }
        for (int i = 0; i < events.wanted().size(); i++) {
            wanted(events.wanted().get(i), "events.wanted[" + i + "]", violations);
        }
    }

    private void wanted(final WantedEvent wanted, final String at, final List<Violation> violations) {
        if (wanted == null) {
            violations.add(new Violation(at, "must be an object"));
            return;
        }
        if (wanted.eventName() == null || wanted.eventName().isBlank()) {
            violations.add(new Violation(at + ".event_name", "is required"));
        }
        if (wanted.params() == null || wanted.params().isEmpty()) {
            violations.add(new Violation(at + ".params", "must list at least one event parameter"));
        } else {
            for (int p = 0; p < wanted.params().size(); p++) {
                if (wanted.params().get(p) == null || wanted.params().get(p).isBlank()) {
                    violations.add(new Violation(at + ".params[" + p + "]", "must be a non-empty parameter name"));
                }
            }
        }
        if (wanted.filters() == null) {
            return;
        }
        if (wanted.filters().size() > 1) {
            violations.add(new Violation(at + ".filters", "only one filter is allowed per event_name"));
        }
        for (int f = 0; f < wanted.filters().size(); f++) {
            filter(wanted.filters().get(f), at + ".filters[" + f + "]", violations);
        }
    }

    private void filter(final Filter filter, final String at, final List<Violation> violations) {
        if (filter == null) {
            violations.add(new Violation(at, "must be an object"));
            return;
        }
        if (filter.key() == null || filter.key().isBlank()) {
            violations.add(new Violation(at + ".key", "is required"));
        }
        if (filter.operator() == null || !OPERATORS.contains(filter.operator())) {
            violations.add(new Violation(at + ".operator", "must be one of eq, ne, lt, gt, lteq, gteq"));
        }
        final boolean hasValues = filter.values() != null;
        final boolean hasUrl = filter.valuesUrl() != null;
        if (hasValues == hasUrl) {
            violations.add(new Violation(at + ".values", "exactly one of values and values_url is required"));
            return;
        }
        if (hasValues) {
            if (filter.values().isEmpty()) {
                violations.add(new Violation(at + ".values", "must not be empty"));
            }
            for (int v = 0; v < filter.values().size(); v++) {
                final Object value = filter.values().get(v);
                if (!(value instanceof String) && !(value instanceof Number)) {
                    violations.add(new Violation(at + ".values[" + v + "]", "must be a string or a number"));
                }
            }
        } else if (!isUrl(filter.valuesUrl())) {
            violations.add(new Violation(at + ".values_url", "must be an absolute https URL"));
        }
    }

    private boolean isUrl(final String text) {
        if (text == null) {
            return false;
        }
        try {
            final URI uri = new URI(text);
            final boolean schemeOk = "https".equals(uri.getScheme()) || allowHttp && "http".equals(uri.getScheme());
            return schemeOk && uri.getHost() != null;
        } catch (final java.net.URISyntaxException e) {
            return false;
        }
    }
}
