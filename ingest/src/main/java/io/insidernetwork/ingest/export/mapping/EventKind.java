package io.insidernetwork.ingest.export.mapping;

import java.util.Locale;

/** The typed partner events an export row can become; every other row stays a generic row. */
public enum EventKind {
    SHARE, SIGNUP, PURCHASE;

    /** The kind named {@code name} (share, signup, purchase; any case). */
    public static EventKind parse(final String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
