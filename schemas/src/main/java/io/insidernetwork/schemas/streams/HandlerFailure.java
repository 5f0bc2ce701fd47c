package io.insidernetwork.schemas.streams;

import java.util.Locale;

/** Which exception handler sent a record aside. */
public enum HandlerFailure {
    /** A record whose key or value could not be read. */
    DESERIALIZATION,
    /** An exception while a processor handled a record, or in a punctuation. */
    PROCESSING,
    /** A record that could not be written (or serialized) to an output, internal or changelog topic. */
    PRODUCTION;

    /** Reason class in the dead letter's reason header: {@code deserialization-error} etc. */
    public String reason() {
        return kind() + "-error";
    }

    /** Short lower-case name: {@code deserialization}, {@code processing}, {@code production}. */
    public String kind() {
        return name().toLowerCase(Locale.ROOT);
    }
}
