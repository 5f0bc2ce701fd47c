package io.insidernetwork.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.query.NetworkScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One stream's bounded buffer and non-blocking writer: slow clients end with a resume cursor, writes go only to a
 * ready output, outputs not ready past the timeout are aborted, failed connections end the stream.
 */
class StreamSessionTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private static UpdateEntry entry(final long at, final String id) {
        return new UpdateEntry(at, id, 7, "INSIDER_UPDATED", null, List.of());
    }

    private static StreamSession.Event event(final String cursor) {
        return StreamSession.Event.of(StreamSession.update(cursor, "{\"c\":\"" + cursor + "\"}"), cursor);
    }

    /** Bytes of each test event (their cursors have the same length). */
    private static final int SIZE = event("c1").bytes().length;

    /** A stream with room for {@code events} test events. */
    private static StreamSession session(final int events) {
        return new StreamSession("k", NetworkScope.ALL, StreamBound.since(0), "start-cursor", (long) events * SIZE);
    }

    /** Collects what is written; always ready. */
    private static final class Captured implements StreamSession.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public synchronized void write(final byte[] b) {
            bytes.writeBytes(b);
        }

        @Override
        public synchronized void flush() {
            flushes++;
        }

        @Override
        public void abort() {
            throw new AssertionError("not aborted in this test");
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldEndATooSlowStreamWithWhatItBufferedThenAResumeCursor() throws Exception {
        final StreamSession s = session(2);
        assertThat(s.deliver(entry(1, "a"), event("c1"))).isTrue();
        assertThat(s.deliver(entry(2, "b"), event("c2"))).isTrue();
        assertThat(s.hasRoom()).isFalse();
        // the third finds the buffer full: the stream is too slow, and takes nothing more
        assertThat(s.deliver(entry(3, "c"), event("c3"))).isFalse();
        assertThat(s.deliver(entry(4, "d"), event("c4"))).isFalse();
        final Captured out = new Captured();
        s.start(out);
        assertThat(s.done().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.text()).isEqualTo(StreamSession.update("c1", "{\"c\":\"c1\"}")
            + StreamSession.update("c2", "{\"c\":\"c2\"}") + "event: resume\ndata: {\"cursor\":\"c2\"}\n\n");
        assertThat(s.closed()).isTrue();
    }

    @Test
    void shouldTakeOneEventLargerThanTheWholeBufferWhenItIsEmpty() throws Exception {
        final StreamSession small = new StreamSession("k", NetworkScope.ALL, StreamBound.since(0), "start", SIZE / 2);
        assertThat(small.deliver(entry(1, "a"), event("c1"))).isTrue();
        assertThat(small.deliver(entry(2, "b"), event("c2"))).isFalse();
        final Captured out = new Captured();
        small.start(out);
        assertThat(small.done().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.text()).isEqualTo(StreamSession.update("c1", "{\"c\":\"c1\"}")
            + "event: resume\ndata: {\"cursor\":\"c1\"}\n\n");
    }

    @Test
    void shouldSkipEntriesAtOrBeforeItsPosition() throws Exception {
        final StreamSession s = new StreamSession("k", NetworkScope.ALL,
            StreamBound.after(new UpdatePosition(10, "m", 7)), "start", SIZE);
        assertThat(s.deliver(entry(9, "z"), event("c7"))).isTrue();
        assertThat(s.deliver(entry(10, "m"), event("c8"))).isTrue();
        assertThat(s.deliver(entry(10, "n"), event("c9"))).isTrue();
        // only the last one was queued: the buffer, room for one, is full
        assertThat(s.fits(event("c9"))).isFalse();
        assertThat(s.bound()).isEqualTo(StreamBound.after(new UpdatePosition(10, "n", 7)));
    }

    @Test
    void shouldSendAHeartbeatOnlyAfterTheIntervalWithoutWritesAndEndWhenClosed() throws Exception {
        final StreamSession s = session(5);
        final Captured out = new Captured();
        s.start(out);
        final long start = System.nanoTime();
        s.heartbeat(start, LONG);
        s.pump();
        assertThat(out.text()).isEmpty();
        s.heartbeat(start + LONG.toNanos() + 1, LONG);
        s.pump();
        assertThat(out.text()).isEqualTo(": heartbeat\n\n");
        s.deliver(entry(1, "a"), event("c1"));
        s.pump();
        assertThat(out.text()).isEqualTo(": heartbeat\n\n" + StreamSession.update("c1", "{\"c\":\"c1\"}"));
        assertThat(out.flushes).isEqualTo(2);
        // just written: no heartbeat due
        s.heartbeat(System.nanoTime(), LONG);
        s.pump();
        assertThat(out.text()).endsWith("id: c1\nevent: update\ndata: {\"c\":\"c1\"}\n\n");
        s.close();
        assertThat(s.done().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(s.deliver(entry(2, "b"), event("c2"))).isFalse();
    }

    /** Output that takes {@code accepted} writes, then is not ready until {@link #drain()} (the client read). */
    private static final class Throttled implements StreamSession.Sink {
        final Captured written = new Captured();
        int accepted;
        boolean aborted;

        Throttled(final int accepted) {
            this.accepted = accepted;
        }

        @Override
        public synchronized boolean ready() {
            return accepted > 0;
        }

        @Override
        public synchronized void write(final byte[] bytes) {
            if (accepted <= 0) {
                throw new IllegalStateException("written while not ready");
            }
            accepted--;
            written.write(bytes);
        }

        @Override
        public synchronized void flush() {
            if (accepted <= 0) {
                throw new IllegalStateException("flushed while not ready");
            }
            accepted--;
        }

        @Override
        public synchronized void abort() {
            aborted = true;
        }

        synchronized void drain(final int more) {
            accepted += more;
        }
    }

    @Test
    void shouldWriteOnlyWhileTheOutputIsReadyAndGoOnWhenItIsReadyAgain() throws Exception {
        final StreamSession s = session(5);
        final Throttled out = new Throttled(1);
        s.deliver(entry(1, "a"), event("c1"));
        s.deliver(entry(2, "b"), event("c2"));
        s.start(out);
        // one write taken, then the output is not ready: pump returns at once, holding no thread
        assertThat(out.written.text()).isEqualTo(StreamSession.update("c1", "{\"c\":\"c1\"}"));
        assertThat(s.hasRoom()).isTrue();
        out.drain(1);
        // what the server does when the output is ready again
        s.pump();
        assertThat(out.written.text()).endsWith(StreamSession.update("c2", "{\"c\":\"c2\"}"));
        assertThat(s.checkWrite(System.nanoTime() + 1, Duration.ZERO)).as("blocked on the flush").isTrue();
        assertThat(out.aborted).isTrue();
        assertThatThrownBy(() -> s.done().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void shouldEndAStreamWhoseOutputFailsAndStopWriting() throws Exception {
        final StreamSession s = session(5);
        final Throttled out = new Throttled(0);
        s.deliver(entry(1, "a"), event("c1"));
        s.start(out);
        // the client went away while a write was pending: the output reports the failure
        s.fail(new IOException("broken pipe"));
        out.drain(10);
        s.pump();
        assertThat(out.written.text()).isEmpty();
        assertThat(s.closed()).isTrue();
        assertThat(s.deliver(entry(2, "b"), event("c2"))).isFalse();
        assertThatThrownBy(() -> s.done().get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void shouldEndWhenAWriteThrows() throws Exception {
        final StreamSession s = session(5);
        s.deliver(entry(1, "a"), event("c1"));
        s.start(new StreamSession.Sink() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public void write(final byte[] bytes) throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public void flush() {
            }

            @Override
            public void abort() {
            }
        });
        assertThatThrownBy(() -> s.done().get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void shouldAbortAnOutputNotReadyLongerThanTheTimeout() throws Exception {
        final StreamSession s = session(5);
        // a client that reads nothing: its output takes nothing
        final Throttled out = new Throttled(0);
        s.deliver(entry(1, "a"), event("c1"));
        s.start(out);
        final long blocked = System.nanoTime();
        assertThat(s.checkWrite(blocked + LONG.toNanos(), Duration.ofDays(1))).isFalse();
        assertThat(out.aborted).isFalse();
        assertThat(s.checkWrite(blocked + LONG.toNanos(), Duration.ofMillis(100))).isTrue();
        assertThat(out.aborted).isTrue();
        assertThatThrownBy(() -> s.done().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(IOException.class);
        assertThat(s.closed()).isTrue();
    }
}
