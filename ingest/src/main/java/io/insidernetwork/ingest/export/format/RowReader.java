package io.insidernetwork.ingest.export.format;

import java.io.IOException;

/** Reads the data rows of one export file in order, without holding the file in memory. */
public interface RowReader extends AutoCloseable {

    /** The next row, or null at the end of the file (also after a fatal broken row). */
    RowResult next() throws IOException;

    @Override
    void close() throws IOException;
}
