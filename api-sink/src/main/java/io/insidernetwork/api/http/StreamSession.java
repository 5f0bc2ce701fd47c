package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.NetworkScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open live-feed stream: the events waiting to be written (at most {@code capacity} bytes of them, or one
 * event when it alone is larger; filled by the {@link StreamHub}'s thread) and the writer loop, run on the request's
 * own thread. A stream whose buffer has no room for the next event is too slow: it is sent what it has buffered, then {@code event: resume} with the cursor of the last event it was
 * sent, and ends. A write blocked longer than the write timeout is aborted by the hub (see {@link #checkWrite}).
 */
final class StreamSession {

    /** Where a stream's bytes go (the response's output). */
    interface Sink {
        void write(byte[] bytes) throws IOException;

        void flush() throws IOException;

        /** Closes the connection from another thread, failing a blocked write. */
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
    private static final Event END = new Event(new byte[0], "");
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final String keyName;
    private final NetworkScope scope;
    private final long capacity;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean overflowed;
    private volatile long writingSince;
    private volatile Sink sink;
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
        return closed.get();
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
     * Queues {@code event} for {@code entry} when the entry lies after the stream's position (hub's thread).
     *
     * @return false when the stream is too slow (its buffer was full) or closed
     */
    boolean deliver(final UpdateEntry entry, final Event event) {
        if (closed.get() || overflowed) {
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

    /** Aborts the connection when a write has blocked longer than {@code timeout} (hub's thread). */
    boolean checkWrite(final long nowNanos, final Duration timeout) {
        final long since = writingSince;
        final Sink s = sink;
        if (since != 0 && s != null && nowNanos - since > timeout.toNanos()) {
            close();
            s.abort();
            return true;
        }
        return false;
    }

    /** Ends the stream: the writer returns once it sees this. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            queue.offer(END);
        }
    }

    /**
     * Writes events as they come, a heartbeat comment when none came for {@code heartbeat}, until the stream is
     * closed, too slow (then {@code event: resume}), or the client goes away (an IOException).
     *
     * @return whether the stream ended because it was too slow
     */
    boolean run(final Sink out, final Duration heartbeat) throws IOException, InterruptedException {
        this.sink = out;
        try {
            while (!closed.get()) {
                Event next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    write(out, HEARTBEAT);
                    continue;
                }
                // everything already queued goes out in one flush
                while (next != null) {
                    if (next == END) {
                        return false;
                    }
                    if (next == OVERFLOW) {
                        write(out, resume(lastCursor).getBytes(StandardCharsets.UTF_8));
                        return true;
                    }
                    writeOnly(out, next.bytes());
                    queuedBytes.addAndGet(-next.bytes().length);
                    lastCursor = next.cursor();
                    next = queue.poll();
                }
                flush(out);
            }
            return false;
        } finally {
            close();
            queue.clear();
        }
    }

    private void write(final Sink out, final byte[] bytes) throws IOException {
        writeOnly(out, bytes);
        flush(out);
    }

    private void writeOnly(final Sink out, final byte[] bytes) throws IOException {
        writingSince = System.nanoTime();
        try {
            out.write(bytes);
        } finally {
            writingSince = 0;
        }
    }

    private void flush(final Sink out) throws IOException {
        writingSince = System.nanoTime();
        try {
            out.flush();
        } finally {
            writingSince = 0;
        }
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
