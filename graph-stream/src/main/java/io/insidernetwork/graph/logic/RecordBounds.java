package io.insidernetwork.graph.logic;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of an insider's history its {@code InsiderState} lists, so that no record grows with the number of
 * recipients, instances or purchases (docs/graph-model.md, "Bounded records"). Each list keeps its most recent
 * entries, at most a number of entries and a number of characters (a recipient handle may be 512 characters long);
 * totals of everything (distinct recipients, instances, signups, purchases) are kept in separate fields, exact,
 * from counters in the index store.
 *
 * @param instances  entries of {@code instances_shared} (the most recently active instances)
 * @param recipients entries of one instance's {@code shared_with}
 * @param signups    entries of one instance's {@code signup}
 * @param platforms  entries of one instance's {@code platforms}
 * @param purchases  entries of {@code instances_purchased}
 * @param listChars  characters of the texts in one list at most (the entries' ids)
 */
public record RecordBounds(int instances, int recipients, int signups, int platforms, int purchases,
                           int listChars) {

    /**
     * Defaults: the worst-case encoded InsiderState (every list full of 512-character texts of 3-byte characters)
     * is about 170 kB, measured by {@code RecordBoundsTest}; a Kafka record holds 1 MB by default.
     */
    public static final RecordBounds DEFAULTS = new RecordBounds(8, 50, 50, 10, 100, 2_048);

    public RecordBounds {
        if (instances < 1 || recipients < 1 || signups < 1 || platforms < 1 || purchases < 1 || listChars < 1) {
            throw new IllegalArgumentException("every bound must be at least 1");
        }
    }

    /**
     * The last entries of {@code list} (most recent last) within {@code maxEntries} entries and {@link #listChars}
     * characters of {@code text}s; the newest entry is always kept.
     */
    public <T> List<T> newest(final List<T> list, final int maxEntries, final java.util.function.ToIntFunction<T> text) {
        int chars = 0;
        int from = list.size();
        while (from > 0 && list.size() - from < maxEntries) {
            final int next = chars + text.applyAsInt(list.get(from - 1));
            if (next > listChars && from < list.size()) {
                break;
            }
            chars = next;
            from--;
        }
        return from == 0 ? list : new ArrayList<>(list.subList(from, list.size()));
    }
}
