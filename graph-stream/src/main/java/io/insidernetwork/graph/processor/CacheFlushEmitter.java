package io.insidernetwork.graph.processor;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Emits a state store's entries when Kafka Streams flushes its record cache, the way a KTable emits its updates: a key
 * changed many times between two commits reaches its topic once, with its latest value, and its changelog once too.
 *
 * <p>The store must be built {@code withCachingEnabled()}. Kafka Streams flushes the cache at every commit (before the
 * transaction commits, so with exactly-once the emitted records are committed atomically with the state and the input
 * offsets) and when the cache is full; a change therefore never waits in memory across a commit, and after a crash
 * the aborted transaction is processed again. A key put and deleted between two flushes is not emitted at all.
 *
 * <p>The Processor API has no public hook for this, so this class registers a flush listener on the store's caching
 * layer, as the DSL's KTables do. It forwards the cached bytes as they are: the store's value serde is its topic's,
 * so a record is encoded once, not decoded and encoded again. Everything internal is confined here.
 */
final class CacheFlushEmitter {

    /** Called with each flushed entry of a store, after it was forwarded. */
    @FunctionalInterface
    interface Flushed {
        void accept(String key, boolean deleted, long timestamp);
    }

    private CacheFlushEmitter() {
    }

    /**
     * Forwards every entry of {@code store} that the cache flushes, to child {@code sink} of the processor whose
     * {@code init} calls this (a tombstone for a deleted entry); then calls {@code then}. The sink's value serializer
     * must pass {@code byte[]} values through.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void register(final ProcessorContext<?, ?> context, final StateStore store, final String sink,
                         final Flushed then) {
        final CachingKeyValueStore caching = cachingLayer(store);
        final InternalProcessorContext internal = (InternalProcessorContext) context;
        final ProcessorNode node = internal.currentNode();
        caching.setFlushListener(record -> {
            final Record<byte[], org.apache.kafka.streams.kstream.internals.Change<byte[]>> flushed =
                (Record<byte[], org.apache.kafka.streams.kstream.internals.Change<byte[]>>) record;
            final ProcessorNode previous = internal.currentNode();
            // at a commit no processor is current: forward as this one, like a KTable's flush listener
            internal.setCurrentNode(node);
            try {
                final String key = new String(flushed.key(), StandardCharsets.UTF_8);
                final byte[] value = flushed.value().newValue;
                internal.forward(new Record<>(key, value, flushed.timestamp()), sink);
                then.accept(key, value == null, flushed.timestamp());
            } finally {
                internal.setCurrentNode(previous);
            }
        }, false);
    }

    private static CachingKeyValueStore cachingLayer(final StateStore store) {
        StateStore layer = store;
        while (layer instanceof WrappedStateStore<?, ?, ?> wrapped) {
            if (layer instanceof CachingKeyValueStore caching) {
                return caching;
            }
            layer = wrapped.wrapped();
        }
        throw new IllegalStateException("Store " + store.name() + " has no record cache: build it withCachingEnabled()");
    }
}
