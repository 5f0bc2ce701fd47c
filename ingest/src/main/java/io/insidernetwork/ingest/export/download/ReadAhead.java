package io.insidernetwork.ingest.export.download;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Source} on a thread of its own, at most {@code capacity} batches of {@code batchSize} items ahead of
 * its one consumer. The consumer sees the source's items in order, then its end or its failure, as if it called the
 * source itself. Closing stops the source thread (interrupt) and waits for it.
 *
 * @param <T> item type
 */
final class ReadAhead<T> implements AutoCloseable {

    /** Produces items, {@code null} at the end. Called on the read-ahead thread only. */
    @FunctionalInterface
    interface Source<T> {
        T next() throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    private static final long JOIN_MS = TimeUnit.SECONDS.toMillis(30);
    private static final long OFFER_MS = 100;

    /** A batch of items; the last one carries the source's failure, if any. */
    private record Batch<T>(List<T> items, boolean last, Throwable failure) {
    }

    private final BlockingQueue<Batch<T>> queue;
    private final Thread thread;
    private volatile boolean closed;
    private Iterator<T> current = List.<T>of().iterator();
    private boolean ended;
    private Throwable failure;

    ReadAhead(final String threadName, final Source<T> source, final int batchSize, final int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> run(source, batchSize), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(final Source<T> source, final int batchSize) {
        List<T> batch = new ArrayList<>(batchSize);
        try {
            try {
                for (T item = source.next(); item != null && !closed; item = source.next()) {
                    batch.add(item);
                    if (batch.size() == batchSize) {
                        hand(new Batch<>(batch, false, null));
                        batch = new ArrayList<>(batchSize);
                    }
                }
                hand(new Batch<>(batch, true, null));
            } catch (final IOException | RuntimeException | Error e) {
                hand(new Batch<>(batch, true, e));
            }
        } catch (final InterruptedException e) {
            // Closed by the consumer, which no longer waits for anything.
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for room in the queue, but not once closed (a source may swallow the interrupt). */
    private void hand(final Batch<T> batch) throws InterruptedException {
        while (!closed) {
            if (queue.offer(batch, OFFER_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The next item, {@code null} at the end; throws what the source threw once the items before it are used. */
    T next() throws IOException, InterruptedException {
        while (!current.hasNext()) {
            if (failure != null) {
                final Throwable thrown = failure;
                failure = null;
                if (thrown instanceof IOException io) {
                    throw io;
                }
                if (thrown instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw (Error) thrown;
            }
            if (ended) {
                return null;
            }
            final Batch<T> batch = queue.take();
            current = batch.items().iterator();
            ended = batch.last();
            failure = batch.failure();
        }
        return current.next();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        // Wait even when interrupted ourselves: the caller closes the source right after.
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MS);
        boolean interrupted = false;
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Read-ahead thread {} did not stop within {} ms", thread.getName(), JOIN_MS);
        }
    }
}
