package io.insidernetwork.ingest.export.format;

import com.jerolba.carpet.CarpetReader;
import com.jerolba.carpet.CloseableIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.io.LocalInputFile;

/**
 * Reads a Parquet export from a local file (Parquet needs random access: the footer is at the end), row group by
 * row group through parquet-java, with Carpet reading each row as a map. Nested groups are flattened with '.'.
 * Parquet rows are well-formed by construction; a decoding error ends the file as a fatal broken row.
 */
public final class ParquetRowReader implements RowReader {

    @SuppressWarnings("rawtypes")
    private final CloseableIterator<Map> rows;
    private long number;
    private boolean done;

    @SuppressWarnings({"rawtypes", "unchecked"})
    public ParquetRowReader(final Path file) throws IOException {
        try {
            this.rows = new CarpetReader<>(new LocalInputFile(file), Map.class).iterator();
        } catch (final RuntimeException e) {
            throw new IOException("not a readable Parquet file: " + e.getMessage(), e);
        }
    }

    @Override
    public RowResult next() {
        if (done) {
            return null;
        }
        try {
            if (!rows.hasNext()) {
                done = true;
                return null;
            }
            number++;
            return new RowResult.Row(number, Flattener.flatten(rows.next()));
        } catch (final RuntimeException e) {
            done = true;
            return new RowResult.Broken(number, "Parquet decoding error, the rest of the file cannot be read: "
                + e.getMessage(), "", true);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            rows.close();
        } catch (final Exception e) {
            throw new IOException(e);
        }
    }
}
