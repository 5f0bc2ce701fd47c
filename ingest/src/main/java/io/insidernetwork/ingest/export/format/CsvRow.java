package io.insidernetwork.ingest.export.format;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The values of one CSV row as an unmodifiable map, column name to cell: the parser's cell array read through the
 * header's column index shared by every row of the file, instead of a new hash map filled per row. Empty cells are
 * absent. Iterates in column order.
 */
final class CsvRow extends AbstractMap<String, Object> {

    private final String[] header;
    private final Map<String, Integer> index;
    private final String[] cells;

    /** {@code index} maps each name of {@code header} to its position; names must be distinct. */
    CsvRow(final String[] header, final Map<String, Integer> index, final String[] cells) {
        this.header = header;
        this.index = index;
        this.cells = cells;
    }

    @Override
    public Object get(final Object key) {
        final Integer i = index.get(key);
        return i == null || cells[i].isEmpty() ? null : cells[i];
    }

    @Override
    public boolean containsKey(final Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = skipEmpty(0);

                    @Override
                    public boolean hasNext() {
                        return next < cells.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= cells.length) {
                            throw new NoSuchElementException();
                        }
                        final Entry<String, Object> entry = new SimpleImmutableEntry<>(header[next], cells[next]);
                        next = skipEmpty(next + 1);
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                int size = 0;
                for (final String cell : cells) {
                    size += cell.isEmpty() ? 0 : 1;
                }
                return size;
            }
        };
    }

    private int skipEmpty(final int from) {
        int i = from;
        while (i < cells.length && cells[i].isEmpty()) {
            i++;
        }
        return i;
    }
}
