package io.insidernetwork.graph.processor;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A {@link StateCache} for a store of encoded values whose every write is also published: {@link #put} encodes
 * once and returns the bytes, which the caller forwards to the topic as they are. A hub's insider state runs to
 * many kilobytes (its {@code instances_shared} lists), and encoding it once for the store and again for the topic
 * was a tenth of the stream thread at 100k insiders. The store holds the bytes the topic's serde writes, so its
 * changelog is the same as with that serde.
 */
final class EncodedStateCache<V> {

    private final KeyValueStore<String, byte[]> store;
    private final Serializer<V> serializer;
    private final Deserializer<V> deserializer;
    private final String topic;
    private final Map<String, V> recent;

    EncodedStateCache(final KeyValueStore<String, byte[]> store, final Serializer<V> serializer,
                      final Deserializer<V> deserializer, final String topic, final int capacity) {
        this.store = store;
        this.serializer = serializer;
        this.deserializer = deserializer;
        this.topic = topic;
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
        final byte[] bytes = store.get(key);
        if (bytes == null) {
            return null;
        }
        final V value = deserializer.deserialize(topic, bytes);
        recent.put(key, value);
        return value;
    }

    /** Writes {@code value} and returns its encoding, to be forwarded unchanged. */
    byte[] put(final String key, final V value) {
        final byte[] bytes = serializer.serialize(topic, value);
        store.put(key, bytes);
        recent.put(key, value);
        return bytes;
    }
}
