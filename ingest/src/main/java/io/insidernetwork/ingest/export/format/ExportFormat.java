package io.insidernetwork.ingest.export.format;

import java.util.Locale;
import java.util.Optional;

/** The export file formats of the seed: CSV, JSON (JSON lines or one JSON array) and Parquet. */
public enum ExportFormat {
    CSV, JSON, PARQUET;

    /** Lowercase name, as in the request's {@code format}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a file name's extension tells (a trailing .gz is ignored), if any. */
    public static Optional<ExportFormat> fromFileName(final String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Optional.of(JSON);
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Optional.of(PARQUET);
        }
        return Optional.empty();
    }

    /** The format a Content-Type tells, if any. */
    public static Optional<ExportFormat> fromContentType(final String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        final String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("csv")) {
            return Optional.of(CSV);
        }
        if (type.contains("json")) {
            return Optional.of(JSON);
        }
        if (type.contains("parquet")) {
            return Optional.of(PARQUET);
        }
        return Optional.empty();
    }

    /** The format named {@code id} (csv, json, parquet). */
    public static ExportFormat of(final String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
