package io.insidernetwork.ingest.export.format;

import java.util.Map;

/** One data row read from an export file: its values, or why it could not be read. */
public sealed interface RowResult {

    /** Position of the data row in the file, from 1 (a CSV header line is not counted). */
    long number();

    /**
     * A row read. {@code values} maps flattened column names (nested objects joined with '.') to String, Number,
     * Boolean, {@link java.time.temporal.Temporal} or List values; null values are left out.
     */
    record Row(long number, Map<String, Object> values) implements RowResult {
    }

    /**
     * A row that could not be read. {@code raw} is its text as far as known; {@code fatal} when the rest of the file
     * cannot be read either (a syntax error the parser cannot recover from).
     */
    record Broken(long number, String reason, String raw, boolean fatal) implements RowResult {
    }
}
