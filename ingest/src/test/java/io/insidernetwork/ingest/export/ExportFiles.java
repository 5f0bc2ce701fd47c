package io.insidernetwork.ingest.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.jerolba.carpet.CarpetWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Export files written by each format's real writer (Jackson's CSV and JSON generators, parquet-java through
 * Carpet), in the layout docs/ingest-export.md describes, with broken rows mixed in where the format allows.
 */
public final class ExportFiles {

    public static final String SHARER = "a1b2c3d4-e5f6-7890-1234-567890abcdef";
    public static final String BUYER = "b1b2c3d4-e5f6-7890-1234-567890abcdef";
    public static final String FRIEND = "c1b2c3d4-e5f6-7890-1234-567890abcdef";
    public static final long T0 = 1_738_592_220L;

    /** One row of the test files. */
    public record Row(String user_id, String event_name, Long timestamp, String instance_id, String platform,
                      List<String> recipients, String order_id, String amount, String currency, Attributes attributes) {
    }

    /** Nested user attributes (a Parquet group, a JSON object, attributes.* CSV columns). */
    public record Attributes(String email, String name) {
    }

    /** What a file should produce. */
    public record Expected(int partnerEvents, int generic, int deadLetters) {
    }

    private ExportFiles() {
    }

    /**
     * The rows of every file: a share, a signup, a purchase, two generic events, and three rows that cannot be
     * mapped (share without recipients, purchase with a bad currency, row with a bad timestamp... the last one as
     * an unparseable time only in text formats, so in Parquet a share whose sharer is not a UUID).
     */
    public static List<Row> rows(final int copies) {
        final List<Row> rows = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            final long t = T0 + i;
            final Attributes attrs = new Attributes("user" + i + "@example.test", "User " + i);
            rows.add(new Row(SHARER, "share", t, "sku-" + i, "Instagram", List.of(FRIEND, "@handle"), null, null,
                null, attrs));
            rows.add(new Row(FRIEND, "signup", t, "sku-" + i, null, null, null, null, null, attrs));
            rows.add(new Row(BUYER, "purchase", t, "sku-" + i, null, null, "order-" + i, "19.99", "eur", attrs));
            rows.add(new Row(BUYER, "email_click", t, null, null, null, null, null, null, attrs));
            rows.add(new Row("insider-native-id-" + i, "journey_entered", null, null, null, null, null, null, null,
                attrs));
            rows.add(new Row(SHARER, "share", t, "sku-" + i, "tiktok", List.of(), null, null, null, attrs));
            rows.add(new Row(BUYER, "purchase", t, "sku-" + i, null, null, "order-x" + i, "5", "euro", attrs));
            rows.add(new Row("not-a-uuid", "signup", t, null, null, null, null, null, null, attrs));
        }
        return rows;
    }

    /** Expected outcome of {@link #rows} plus, for CSV and JSON, the extra broken rows the writers add. */
    public static Expected expected(final int copies, final int extraBroken) {
        return new Expected(3 * copies, 2 * copies, 3 * copies + extraBroken);
    }

    /** CSV with header; after every block a row with a missing column (broken). Returns the broken rows added. */
    public static int writeCsv(final Path file, final List<Row> rows, final boolean withBroken) throws IOException {
        final CsvMapper csv = new CsvMapper();
        final CsvSchema schema = CsvSchema.builder().addColumn("user_id").addColumn("event_name")
            .addColumn("timestamp").addColumn("instance_id").addColumn("platform").addColumn("recipients")
            .addColumn("order_id").addColumn("amount").addColumn("currency").addColumn("attributes.email")
            .addColumn("attributes.name").build().withHeader();
        int broken = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             SequenceWriter writer = csv.writer(schema).writeValues(out)) {
            int n = 0;
            for (final Row row : rows) {
                writer.write(new Object[] {row.user_id(), row.event_name(), row.timestamp(), row.instance_id(),
                    row.platform(), row.recipients() == null ? null : String.join("|", row.recipients()),
                    row.order_id(), row.amount(), row.currency(), row.attributes().email(),
                    row.attributes().name()});
                if (withBroken && ++n % 8 == 0) {
                    writer.flush();
                    out.write("only,three,cells\n");
                    broken++;
                }
            }
        }
        return broken;
    }

    /** JSON lines, or one JSON array; JSON lines get a non-JSON line after every block. Returns broken rows. */
    public static int writeJson(final Path file, final List<Row> rows, final boolean lines) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        int broken = 0;
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator gen = json.getFactory().createGenerator(out)) {
            gen.setRootValueSeparator(null);
            if (!lines) {
                gen.writeStartArray();
            }
            int n = 0;
            for (final Row row : rows) {
                final Map<String, Object> value = new LinkedHashMap<>();
                value.put("user_id", row.user_id());
                value.put("event_name", row.event_name());
                value.put("timestamp", row.timestamp());
                value.put("params", params(row));
                value.put("attributes", Map.of("email", row.attributes().email(), "name", row.attributes().name()));
                json.writeValue(gen, value);
                if (lines) {
                    gen.writeRaw('\n');
                    if (++n % 8 == 0) {
                        gen.writeRaw("{\"user_id\": \"broken\n");
                        broken++;
                    }
                }
            }
            if (!lines) {
                gen.writeEndArray();
            }
        }
        return broken;
    }

    private static Map<String, Object> params(final Row row) {
        final Map<String, Object> params = new LinkedHashMap<>();
        params.put("instance_id", row.instance_id());
        params.put("platform", row.platform());
        params.put("recipients", row.recipients());
        params.put("order_id", row.order_id());
        params.put("amount", row.amount());
        params.put("currency", row.currency());
        return params;
    }

    /** Parquet through parquet-java (Carpet writes the records, nested attributes as a group). */
    public static void writeParquet(final Path file, final List<Row> rows) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             CarpetWriter<Row> writer = new CarpetWriter<>(out, Row.class)) {
            writer.write(rows);
        }
    }
}
