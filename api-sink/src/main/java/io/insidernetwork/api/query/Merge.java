package io.insidernetwork.api.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** K-way merge of sorted runs (partitions or instances) into the first {@code limit} entries of the whole order. */
final class Merge {

    private Merge() {
    }

    /** The merged entries, and whether any run had entries beyond them. */
    record Result<T>(List<T> entries, boolean hasMore) {
    }

    /** Merges sorted {@code runs}; {@code hasMore} when an entry was left over or a run said it had more. */
    static <T> Result<T> merge(final List<List<T>> runs, final Comparator<T> order, final int limit) {
        return merge(runs, order, limit, false);
    }

    static <T> Result<T> merge(final List<List<T>> runs, final Comparator<T> order, final int limit,
                               final boolean anyRunHasMore) {
        final PriorityQueue<Head<T>> heads = new PriorityQueue<>((a, b) -> order.compare(a.value(), b.value()));
        for (final List<T> run : runs) {
            if (!run.isEmpty()) {
                heads.add(new Head<>(run, 0));
            }
        }
        final List<T> out = new ArrayList<>(Math.min(limit, 1024));
        while (!heads.isEmpty() && out.size() < limit) {
            final Head<T> head = heads.poll();
            out.add(head.value());
            if (head.index() + 1 < head.run().size()) {
                heads.add(new Head<>(head.run(), head.index() + 1));
            }
        }
        return new Result<>(out, !heads.isEmpty() || anyRunHasMore);
    }

    private record Head<T>(List<T> run, int index) {
        T value() {
            return run.get(index);
        }
    }
}
