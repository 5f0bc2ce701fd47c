package io.insidernetwork.api.query;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keyset paging over a list already sorted in {@code order}: the page strictly after a pivot (or strictly before it,
 * backward), so no item is skipped or repeated while the data is unchanged, however items are added elsewhere.
 */
public final class Pager {

    private Pager() {
    }

    /** A page and whether items exist after and before it. */
    public record Page<T>(List<T> items, boolean hasNext, boolean hasPrevious) {
    }

    /**
     * @param pivot    the last item seen (only its sort key matters); empty for the first page
     * @param backward the page before the pivot instead of after it
     */
    public static <T> Page<T> page(final List<T> sorted, final Comparator<T> order, final Optional<T> pivot,
                                   final boolean backward, final int limit) {
        final int size = sorted.size();
        if (pivot.isEmpty()) {
            final int end = Math.min(limit, size);
            return new Page<>(List.copyOf(sorted.subList(0, end)), end < size, false);
        }
        final T p = pivot.get();
        if (backward) {
            int end = 0;
            while (end < size && order.compare(sorted.get(end), p) < 0) {
                end++;
            }
            final int start = Math.max(0, end - limit);
            return new Page<>(List.copyOf(sorted.subList(start, end)), end < size, start > 0);
        }
        int start = 0;
        while (start < size && order.compare(sorted.get(start), p) <= 0) {
            start++;
        }
        final int end = Math.min(size, start + limit);
        return new Page<>(List.copyOf(sorted.subList(start, end)), end < size, start > 0);
    }
}
