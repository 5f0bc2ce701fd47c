package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.NetworkScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open live-feed stream: the events waiting to be written (at most {@code capacity} bytes of them, or one
 * event when it alone is larger; filled by the {@link StreamHub}'s thread) and a non-blocking writer that holds no
 * thread: {@link #pump()} writes what is queued while the output is ready and returns as soon as it is not; it runs
 * on the hub's thread after each poll and on the server's thread that reports the output ready again (see
 * {@link Sink}). A stream whose buffer has no room for the next event is too slow: it is sent what it has buffered,
 * then {@code event: resume} with the cursor of the last event it was sent, and ends. Output not ready for longer
 * than the write timeout ends the stream and closes its connection (see {@link #checkWrite}).
 */
final class StreamSession {

    /**
     * Where a stream's bytes go (the response's non-blocking output). Write and flush only when {@link #ready()};
     * when it returns false the output calls {@link StreamSession#pump()} once it is ready again.
     */
    interface Sink {
        boolean ready();

        void write(byte[] bytes) throws IOException;

        void flush() throws IOException;

        /** Closes the connection, failing a pending write. */
        void abort();
    }

    /** One event: its bytes on the wire (encoded once, shared by every stream it goes to) and its cursor. */
    record Event(byte[] bytes, String cursor) {
        static Event of(final String text, final String cursor) {
            return new Event(text.getBytes(StandardCharsets.UTF_8), cursor);
        }

        /** Consecutive events as one: their bytes in order, the cursor of the last. */
        static Event concat(final List<Event> events) {
            if (events.size() == 1) {
                return events.get(0);
            }
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            events.forEach(e -> bytes.writeBytes(e.bytes()));
            return new Event(bytes.toByteArray(), events.get(events.size() - 1).cursor());
        }
    }

    private static final Event OVERFLOW = new Event(new byte[0], "");
    private static final Event HEARTBEAT = Event.of(": heartbeat\n\n", "");

    private final String keyName;
    private final NetworkScope scope;
    private final long capacity;
    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Completes when the stream ends: true when it was too slow; exceptionally when the connection failed. */
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private volatile boolean overflowed;
    /** When the output last turned out not ready (System.nanoTime), 0 while it is ready. */
    private volatile long blockedSince;
    /** When anything was last written (System.nanoTime), for heartbeats. */
    private volatile long lastWrite = System.nanoTime();
    /** Set once, by {@link #start}. */
    private volatile Sink sink;
    /** Written bytes not yet flushed (guarded by this). */
    private boolean unflushed;
    /** The resume event is written: the stream ends once it is flushed (guarded by this). */
    private boolean ending;
    /** Where the stream stands: entries after it are still to be sent. Read and written by the hub's thread only. */
    private StreamBound bound;
    /** Whether the stream has caught up with its channel (hub's thread only). */
    private boolean live;
    private String lastCursor;

    StreamSession(final String keyName, final NetworkScope scope, final StreamBound start, final String startCursor,
                  final long capacity) {
        this.keyName = keyName;
        this.scope = scope;
        this.bound = start;
        this.lastCursor = startCursor;
        this.capacity = capacity;
    }

    String keyName() {
        return keyName;
    }

    NetworkScope scope() {
        return scope;
    }

    StreamBound bound() {
        return bound;
    }

    boolean live() {
        return live;
    }

    void goLive() {
        live = true;
    }

    boolean closed() {
        return done.isDone();
    }

    /** Completes when the stream has ended: true when it was too slow, exceptionally when its connection failed. */
    CompletableFuture<Boolean> done() {
        return done;
    }

    /** Whether the buffer has room for {@code event} (an empty buffer takes any one event). */
    boolean fits(final Event event) {
        final long queued = queuedBytes.get();
        return queued == 0 || queued + event.bytes().length <= capacity;
    }

    /** Whether {@code event} alone is within the buffer's bound. */
    boolean fitsAlone(final Event event) {
        return event.bytes().length <= capacity;
    }

    /** Whether the stream would take {@code entry} (it is after the stream's place; hub's thread only). */
    boolean admits(final UpdateEntry entry) {
        return bound.admits(entry);
    }

    /** Whether the buffer has any room. */
    boolean hasRoom() {
        return queuedBytes.get() < capacity;
    }

    /**
     * Queues {@code event} for {@code entry} when the entry lies after the stream's position (hub's thread); the
     * hub then calls {@link #pump()}.
     *
     * @return false when the stream is too slow (its buffer was full) or closed
     */
    boolean deliver(final UpdateEntry entry, final Event event) {
        if (closed() || overflowed) {
            return false;
        }
        if (!bound.admits(entry)) {
            return true;
        }
        if (!fits(event)) {
            overflowed = true;
            queue.offer(OVERFLOW);
            return false;
        }
        queuedBytes.addAndGet(event.bytes().length);
        queue.offer(event);
        bound = StreamBound.after(entry.position());
        return true;
    }

    /** Starts writing to {@code out}: what is queued now, and from then on at each {@link #pump()}. */
    void start(final Sink out) {
        this.sink = out;
        pump();
    }

    /** Queues a heartbeat comment when nothing was written or queued for {@code interval} (hub's thread). */
    void heartbeat(final long nowNanos, final Duration interval) {
        if (sink != null && queue.isEmpty() && nowNanos - lastWrite >= interval.toNanos()) {
            queue.offer(HEARTBEAT);
        }
    }

    /**
     * Ends the stream and closes its connection when its output has not been ready for longer than {@code timeout}
     * (hub's thread).
     */
    boolean checkWrite(final long nowNanos, final Duration timeout) {
        final long since = blockedSince;
        final Sink s = sink;
        if (since != 0 && s != null && !closed() && nowNanos - since > timeout.toNanos()) {
            fail(new IOException("write blocked for more than " + timeout.toMillis() + " ms"));
            s.abort();
            return true;
        }
        return false;
    }

    /** Ends the stream (the server stops, or the stream was released). */
    void close() {
        finish(false);
    }

    /** Ends the stream because its connection failed. */
    void fail(final Throwable cause) {
        synchronized (this) {
            queue.clear();
        }
        done.completeExceptionally(cause);
    }

    /**
     * Writes what is queued while the output is ready, flushing once the queue is drained; returns at once when the
     * output is not ready (the output calls this again when it is). Any thread; one at a time.
     */
    void pump() {
        final Sink out = sink;
        if (out == null) {
            return;
        }
        Boolean result = null;
        Exception failure = null;
        synchronized (this) {
            try {
                while (!closed()) {
                    if (!out.ready()) {
                        if (blockedSince == 0) {
                            blockedSince = Math.max(1, System.nanoTime());
                        }
                        return;
                    }
                    blockedSince = 0;
                    final Event next = ending ? null : queue.poll();
                    if (next == null) {
                        if (unflushed) {
                            unflushed = false;
                            out.flush();
                            continue;
                        }
                        if (ending) {
                            result = Boolean.TRUE;
                        }
                        break;
                    }
                    if (next == OVERFLOW) {
                        queue.clear();
                        write(out, resume(lastCursor).getBytes(StandardCharsets.UTF_8));
                        ending = true;
                        continue;
                    }
                    write(out, next.bytes());
                    if (next != HEARTBEAT) {
                        queuedBytes.addAndGet(-next.bytes().length);
                        lastCursor = next.cursor();
                    }
                }
            } catch (final IOException | RuntimeException e) {
                // the client went away (or the response was completed under us): the stream ends
                queue.clear();
                failure = e;
            }
        }
        if (failure != null) {
            done.completeExceptionally(failure);
        } else if (result != null) {
            finish(result);
        }
    }

    private void write(final Sink out, final byte[] bytes) throws IOException {
        out.write(bytes);
        unflushed = true;
        lastWrite = System.nanoTime();
    }

    private void finish(final boolean slow) {
        synchronized (this) {
            queue.clear();
        }
        done.complete(slow);
    }

    /** The wire text of one update event. */
    static String update(final String cursor, final String json) {
        return "id: " + cursor + "\nevent: update\ndata: " + json + "\n\n";
    }

    /** The wire text of the final event of a too slow stream. */
    static String resume(final String cursor) {
        return "event: resume\ndata: {\"cursor\":\"" + cursor + "\"}\n\n";
    }
}
