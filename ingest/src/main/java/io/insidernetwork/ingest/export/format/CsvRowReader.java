package io.insidernetwork.ingest.export.format;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a CSV export (RFC 4180, first line is the header) with Jackson's streaming CSV parser. A row whose column
 * count differs from the header's is broken; the file goes on. A syntax error the parser cannot recover from (such
 * as an unterminated quote) is a fatal broken row. Empty cells are left out.
 */
public final class CsvRowReader implements RowReader {

    private static final CsvMapper CSV = CsvMapper.builder()
        .enable(CsvParser.Feature.WRAP_AS_ARRAY)
        .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
        .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MappingIterator<String[]> rows;
    private final String[] header;
    /** Column positions by name; null when the header repeats a name (then each row is copied into a map). */
    private final Map<String, Integer> index;
    private long number;
    private boolean done;

    public CsvRowReader(final InputStream in) throws IOException {
        this.rows = CSV.readerFor(String[].class).readValues(in);
        this.header = rows.hasNextValue() ? rows.nextValue() : new String[0];
        for (int i = 0; i < header.length; i++) {
            header[i] = header[i].trim();
        }
        this.done = header.length == 0;
        final Map<String, Integer> positions = new HashMap<>(header.length * 2);
        for (int i = 0; i < header.length; i++) {
            positions.put(header[i], i);
        }
        this.index = positions.size() == header.length ? positions : null;
    }

    @Override
    public RowResult next() throws IOException {
        if (done) {
            return null;
        }
        final String[] cells;
        try {
            if (!rows.hasNextValue()) {
                done = true;
                return null;
            }
            cells = rows.nextValue();
        } catch (final IOException | RuntimeException e) {
            done = true;
            number++;
            return new RowResult.Broken(number, "CSV syntax error: " + e.getMessage().lines().findFirst()
                .orElse(""), "", true);
        }
        number++;
        if (cells.length != header.length) {
            return new RowResult.Broken(number, "has " + cells.length + " columns, the header has "
                + header.length, JSON.writeValueAsString(Arrays.asList(cells)), false);
        }
        if (index != null) {
            return new RowResult.Row(number, new CsvRow(header, index, cells));
        }
        final Map<String, Object> values = new LinkedHashMap<>(header.length * 2);
        for (int i = 0; i < cells.length; i++) {
            if (!cells[i].isEmpty()) {
                values.put(header[i], cells[i]);
            }
        }
        return new RowResult.Row(number, values);
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
