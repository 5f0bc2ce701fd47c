package io.insidernetwork.graph.processor;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A write-through cache of decoded values in front of one task's key-value store, so that a hot key (a hub hit by
 * many commands) is decoded once instead of on every read. The store stays the source of truth: every write goes to
 * it at once (and so to its changelog, inside the task's transaction). Callers mutate a value they read and write it
 * back in the same record, as they did with a freshly decoded copy; the cache belongs to one processor instance and
 * is dropped with it (a failed task is rebuilt with new processors), so it never outlives the state it mirrors.
 */
final class StateCache<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;

    StateCache(final KeyValueStore<String, V> store, final int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(final String key) {
        final V cached = recent.get(key);
        if (cached != null) {
            return cached;
        }
        final V value = store.get(key);
        if (value != null) {
            recent.put(key, value);
        }
        return value;
    }

    void put(final String key, final V value) {
        store.put(key, value);
        recent.put(key, value);
    }

    /** Forgets every decoded value: after a failed record, whose in-place changes may not have reached the store. */
    void clear() {
        recent.clear();
    }

    void delete(final String key) {
        store.delete(key);
        recent.remove(key);
    }
}
