package io.insidernetwork.ingest.export.mapping;

import io.insidernetwork.schemas.export.InsiderExportRow;
import io.insidernetwork.schemas.partner.PartnerEvent;

/** What one export row becomes: a typed partner event, a generic row, or a rejection with the field at fault. */
public sealed interface MappedRow {

    /** A share, signup or purchase for partner.events.v1, keyed by the insider it is about. */
    record Typed(String key, PartnerEvent event) implements MappedRow {
    }

    /** A generic row for insider.export-events.v1, keyed by user id (null when the row has none). */
    record Generic(String key, InsiderExportRow row) implements MappedRow {
    }

    /** The row cannot be mapped: {@code field} is at fault, {@code reason} says why (no value data). */
    record Rejected(String field, String reason) implements MappedRow {
    }
}
