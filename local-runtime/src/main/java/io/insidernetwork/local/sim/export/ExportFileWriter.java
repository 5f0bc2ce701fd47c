package io.insidernetwork.local.sim.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.jerolba.carpet.CarpetWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes simulated export rows as CSV, JSON lines or Parquet with those formats' real writers. */
final class ExportFileWriter {

    private ExportFileWriter() {
    }

    /** Writes {@code rows} to {@code file} in {@code format} (csv, json or parquet). */
    static void write(final Path file, final String format, final List<ExportRow> rows) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> {
                    final CsvMapper csv = new CsvMapper();
                    final CsvSchema schema = csv.schemaFor(ExportRow.class).withHeader();
                    csv.writer(schema).writeValues(out).writeAll(rows).close();
                }
                case "json" -> {
                    final ObjectMapper json = new ObjectMapper();
                    for (final ExportRow row : rows) {
                        out.write(json.writeValueAsBytes(row));
                        out.write('\n');
                    }
                }
                case "parquet" -> {
                    try (CarpetWriter<ExportRow> writer = new CarpetWriter<>(out, ExportRow.class)) {
                        writer.write(rows);
                    }
                }
                default -> throw new IllegalArgumentException("unknown export format " + format);
            }
        }
    }
}
