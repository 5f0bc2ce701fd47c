package io.insidernetwork.graph.logic;

import com.carrotsearch.hppc.ObjectIntHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The directed insider graph held in memory with outgoing and incoming adjacency, for exact shortest-distance counts.
 * Node ids are interned to dense ints (an HPPC primitive map, no boxed integers) so that a breadth-first search
 * touches only int arrays. Not thread-safe; one
 * instance per network-size engine. Invariant: an edge is present at most once, never a self-loop.
 */
public final class DegreeGraph {

    /** Distances counted: 1, 2 and 3. */
    public static final int MAX_DEPTH = 3;
    /** Searches one {@link #sizes(int[], int, int, long[])} pass runs at once: one bit of a {@code long} each. */
    public static final int MAX_BATCH = Long.SIZE;

    private final ObjectIntHashMap<String> ids = new ObjectIntHashMap<>();
    private final List<String> names = new ArrayList<>();
    private int[][] out = new int[16][];
    private int[] outSize = new int[16];
    private int[][] in = new int[16][];
    private int[] inSize = new int[16];
    private int[] stamp = new int[16];
    /** The breadth-first search's queue, as long as the node arrays. */
    private int[] queue = new int[16];
    private int epoch;
    /**
     * The batched search's masks, bit i for its i-th search: found so far, the frontier being expanded, the next
     * frontier. All zero between passes (a pass clears what it touched); allocated at the first pass.
     */
    private long[] seen = new long[0];
    private long[] frontier = new long[0];
    private long[] nextFrontier = new long[0];
    /** Nodes a batched pass found, to clear their masks; its two frontier lists. */
    private int[] touched = new int[0];
    private int[] frontierList = new int[0];
    private int[] nextList = new int[0];
    /**
     * The counts of one level of a pass, bit-sliced: bit i of {@code slices[k]} is bit k of the count of search i,
     * so one add with carry counts a node for every search that found it (no loop over the searches' bits). A
     * count is below the number of nodes, an int.
     */
    private final long[] slices = new long[Integer.SIZE];
    /** Per search of a pass: nodes it can find at most, nodes it found. */
    private final int[] batchReachable = new int[MAX_BATCH];
    private final int[] batchFound = new int[MAX_BATCH];
    private long edges;
    /** Nodes with at least one incoming edge: no search can find more, so a search that found them all stops. */
    private int withIncoming;

    /** Exact counts of nodes at shortest distance 1, 2 and 3 (not cumulative, the start excluded). */
    public record Sizes(long first, long second, long third) {
        /** All zero: a node without outgoing edges. */
        public static final Sizes NONE = new Sizes(0, 0, 0);
    }

    /** Adds {@code source → target}; false when it was present or is a self-loop. */
    public boolean add(final String source, final String target) {
        if (source.equals(target)) {
            return false;
        }
        final int s = id(source);
        final int t = id(target);
        // look in the shorter list: a hub's outgoing list may be long while its target's incoming list is short
        final boolean present = outSize[s] <= inSize[t] ? indexOf(out[s], outSize[s], t) >= 0
            : indexOf(in[t], inSize[t], s) >= 0;
        if (present) {
            return false;
        }
        out[s] = append(out[s], outSize[s]++, t);
        if (inSize[t] == 0) {
            withIncoming++;
        }
        in[t] = append(in[t], inSize[t]++, s);
        edges++;
        return true;
    }

    /** Removes {@code source → target}; false when it was absent. */
    public boolean remove(final String source, final String target) {
        final int s = idOf(source);
        final int t = idOf(target);
        if (s < 0 || t < 0 || !removeValue(out, outSize, s, t)) {
            return false;
        }
        removeValue(in, inSize, t, s);
        if (inSize[t] == 0) {
            withIncoming--;
        }
        edges--;
        return true;
    }

    /** Number of edges. */
    public long edgeCount() {
        return edges;
    }

    /** Number of nodes ever seen. */
    public int nodeCount() {
        return names.size();
    }

    /** Counts by distance from {@code node} along outgoing edges. */
    public Sizes sizes(final String node) {
        final int start = idOf(node);
        return start < 0 ? Sizes.NONE : sizes(start);
    }

    /** Counts by distance from the node with dense id {@code node} (see {@link #affectedIds}). */
    public Sizes sizes(final int node) {
        if (outSize[node] == 0) {
            return Sizes.NONE;
        }
        final long[] counts = new long[MAX_DEPTH + 1];
        bfs(node, counts);
        return new Sizes(counts[1], counts[2], counts[3]);
    }

    /**
     * Counts by distance from {@code count} (at most {@value #MAX_BATCH}) nodes at once, {@code nodes[from]} onwards,
     * equal to {@link #sizes(int)} of each: writes the first, second and third count of {@code nodes[from + i]} to
     * {@code counts[3 * i]} to {@code counts[3 * i + 2]}. A node may be named more than once.
     *
     * <p>A bit-parallel multi-source search (MS-BFS, Then et al., VLDB 2015): each node holds one bit per search
     * that found it, and a frontier node's outgoing edges are scanned once for every search that reached it in the
     * same level. The insiders to recompute after a change are neighbours of the same sources, so their searches
     * meet in the same hubs: one scan of a hub's edges serves all of them instead of one scan each. A pass clears
     * only the nodes it found, so it costs what it visits, not the graph's size.
     */
    public void sizes(final int[] nodes, final int from, final int count, final long[] counts) {
        if (count < 1 || count > MAX_BATCH) {
            throw new IllegalArgumentException("count must be 1 to " + MAX_BATCH + ": " + count);
        }
        Arrays.fill(counts, 0, 3 * count, 0L);
        ensureBatchCapacity();
        int touchedSize = 0;
        int frontierSize = 0;
        // searches still running: one stops after the level in which it found every node with an incoming edge
        long active = 0;
        final int[] reachable = batchReachable;
        final int[] found = batchFound;
        Arrays.fill(found, 0, count, 0);
        for (int i = 0; i < count; i++) {
            final int start = nodes[from + i];
            if (outSize[start] == 0) {
                continue;
            }
            final long bit = 1L << i;
            active |= bit;
            reachable[i] = withIncoming - (inSize[start] > 0 ? 1 : 0);
            if (seen[start] == 0) {
                touched[touchedSize++] = start;
            }
            if (frontier[start] == 0) {
                frontierList[frontierSize++] = start;
            }
            seen[start] |= bit;
            frontier[start] |= bit;
        }
        for (int depth = 1; depth <= MAX_DEPTH && frontierSize > 0 && active != 0; depth++) {
            final boolean last = depth == MAX_DEPTH;
            int nextSize = 0;
            for (int f = 0; f < frontierSize; f++) {
                final int node = frontierList[f];
                final long searches = frontier[node] & active;
                frontier[node] = 0;
                if (searches == 0) {
                    continue;
                }
                final int[] targets = out[node];
                for (int j = 0; j < outSize[node]; j++) {
                    final int t = targets[j];
                    final long fresh = searches & ~seen[t];
                    if (fresh == 0) {
                        continue;
                    }
                    if (seen[t] == 0) {
                        touched[touchedSize++] = t;
                    }
                    seen[t] |= fresh;
                    // the last level is only counted, never expanded
                    if (!last) {
                        if (nextFrontier[t] == 0) {
                            nextList[nextSize++] = t;
                        }
                        nextFrontier[t] |= fresh;
                    }
                    // one increment of every search in fresh: an add with carry over the bit-sliced counters
                    long carry = fresh;
                    for (int k = 0; carry != 0; k++) {
                        final long overflow = slices[k] & carry;
                        slices[k] ^= carry;
                        carry = overflow;
                    }
                }
            }
            int height = slices.length;
            while (height > 0 && slices[height - 1] == 0) {
                height--;
            }
            for (int i = 0; i < count; i++) {
                int level = 0;
                for (int k = 0; k < height; k++) {
                    level |= (int) ((slices[k] >>> i) & 1L) << k;
                }
                counts[3 * i + depth - 1] = level;
                found[i] += level;
                if (level > 0 && found[i] == reachable[i]) {
                    active &= ~(1L << i);
                }
            }
            Arrays.fill(slices, 0, height, 0L);
            final long[] masks = frontier;
            frontier = nextFrontier;
            nextFrontier = masks;
            final int[] list = frontierList;
            frontierList = nextList;
            nextList = list;
            frontierSize = nextSize;
        }
        // every node in a frontier was found, so clearing the found nodes clears every mask
        for (int k = 0; k < touchedSize; k++) {
            final int node = touched[k];
            seen[node] = 0;
            frontier[node] = 0;
        }
    }

    /** The dense id of {@code name}, or -1 when the graph never had it. */
    public int idOf(final String name) {
        return ids.getOrDefault(name, -1);
    }

    /** The name of the node with dense id {@code node}. */
    public String name(final int node) {
        return names.get(node);
    }

    /**
     * Nodes whose counts may change when outgoing edges of {@code sources} change: every node that reaches one of
     * them in at most {@code MAX_DEPTH - 1} steps, the sources included.
     */
    public List<String> affectedBy(final Collection<String> sources) {
        final int[] found = affectedIds(sources);
        final List<String> result = new ArrayList<>(found.length);
        for (final int id : found) {
            result.add(names.get(id));
        }
        return result;
    }

    /**
     * Dense ids of {@link #affectedBy}, each once. One reverse search from all sources at once, level by level: a
     * node is first reached at its shortest distance to the nearest source, so it is expanded once, whatever the
     * number of sources (the cost is the in-edges of the result, not sources times that).
     */
    public int[] affectedIds(final Collection<String> sources) {
        nextEpoch();
        final int mark = epoch;
        int[] found = new int[Math.max(4, sources.size())];
        int size = 0;
        for (final String source : sources) {
            final int s = idOf(source);
            if (s >= 0 && stamp[s] != mark) {
                stamp[s] = mark;
                found = append(found, size++, s);
            }
        }
        int levelStart = 0;
        for (int depth = 1; depth < MAX_DEPTH; depth++) {
            final int levelEnd = size;
            for (int i = levelStart; i < levelEnd; i++) {
                final int node = found[i];
                final int[] preds = in[node];
                for (int j = 0; j < inSize[node]; j++) {
                    final int p = preds[j];
                    if (stamp[p] != mark) {
                        stamp[p] = mark;
                        found = append(found, size++, p);
                    }
                }
            }
            levelStart = levelEnd;
        }
        return Arrays.copyOf(found, size);
    }

    private void bfs(final int start, final long[] counts) {
        nextEpoch();
        final int mark = epoch;
        stamp[start] = mark;
        // every node found has an incoming edge; once all of them are found the deeper levels are empty
        final int reachable = withIncoming - (inSize[start] > 0 ? 1 : 0);
        int found = 0;
        // one queue for all levels, reused by every search (a node is queued at most once): no allocation per
        // search or level; the last level is only counted, never queued
        queue[0] = start;
        int levelStart = 0;
        int levelEnd = 1;
        for (int depth = 1; depth <= MAX_DEPTH && levelEnd > levelStart && found < reachable; depth++) {
            int next = levelEnd;
            int count = 0;
            for (int i = levelStart; i < levelEnd && found < reachable; i++) {
                final int node = queue[i];
                final int[] targets = out[node];
                for (int j = 0; j < outSize[node]; j++) {
                    final int t = targets[j];
                    if (stamp[t] != mark) {
                        stamp[t] = mark;
                        if (depth < MAX_DEPTH) {
                            queue[next++] = t;
                        }
                        count++;
                        found++;
                    }
                }
            }
            counts[depth] = count;
            levelStart = levelEnd;
            levelEnd = next;
        }
    }

    private void ensureBatchCapacity() {
        final int capacity = out.length;
        if (seen.length < capacity) {
            seen = Arrays.copyOf(seen, capacity);
            frontier = Arrays.copyOf(frontier, capacity);
            nextFrontier = Arrays.copyOf(nextFrontier, capacity);
            touched = new int[capacity];
            frontierList = new int[capacity];
            nextList = new int[capacity];
        }
    }

    private void nextEpoch() {
        epoch++;
        if (epoch == Integer.MAX_VALUE) {
            Arrays.fill(stamp, 0);
            epoch = 1;
        }
    }

    private int id(final String name) {
        final int existing = idOf(name);
        if (existing >= 0) {
            return existing;
        }
        final int id = names.size();
        if (id == out.length) {
            final int capacity = id * 2;
            out = Arrays.copyOf(out, capacity);
            outSize = Arrays.copyOf(outSize, capacity);
            in = Arrays.copyOf(in, capacity);
            inSize = Arrays.copyOf(inSize, capacity);
            stamp = Arrays.copyOf(stamp, capacity);
            queue = Arrays.copyOf(queue, capacity);
        }
        ids.put(name, id);
        names.add(name);
        return id;
    }

    private static int[] append(final int[] array, final int size, final int value) {
        int[] target = array;
        if (target == null) {
            target = new int[2];
        } else if (size == target.length) {
            target = Arrays.copyOf(target, size * 2);
        }
        target[size] = value;
        return target;
    }

    private static int indexOf(final int[] array, final int size, final int value) {
        for (int i = 0; i < size; i++) {
            if (array[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean removeValue(final int[][] lists, final int[] sizes, final int node, final int value) {
        final int index = indexOf(lists[node], sizes[node], value);
        if (index < 0) {
            return false;
        }
        final int last = --sizes[node];
        lists[node][index] = lists[node][last];
        return true;
    }
}
