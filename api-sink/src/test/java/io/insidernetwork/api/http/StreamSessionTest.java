package io.insidernetwork.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.query.NetworkScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One stream's bounded buffer and writer: slow clients end with a resume cursor, blocked writes are aborted. */
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

    /** Collects what is written. */
    private static final class Captured implements StreamSession.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(final byte[] b) {
            bytes.writeBytes(b);
        }

        @Override
        public void flush() {
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
        assertThat(s.run(out, LONG)).isTrue();
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
        assertThat(small.run(out, LONG)).isTrue();
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
    void shouldSendHeartbeatsWhileIdleAndReturnWhenClosed() throws Exception {
        final StreamSession s = session(5);
        final Captured out = new Captured();
        final CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return s.run(out, Duration.ofMillis(50));
            } catch (final IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().startsWith(": heartbeat\n\n: heartbeat\n\n"));
        s.deliver(entry(1, "a"), event("c1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().contains("id: c1\n"));
        s.close();
        assertThat(run.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void shouldAbortAWriteBlockedLongerThanTheTimeout() throws Exception {
        final CountDownLatch aborted = new CountDownLatch(1);
        final StreamSession.Sink stuck = new StreamSession.Sink() {
            @Override
            public void write(final byte[] bytes) throws IOException {
                try {
                    // a client that reads nothing: the write blocks until the connection is closed
                    aborted.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("connection closed");
            }

            @Override
            public void flush() {
            }

            @Override
            public void abort() {
                aborted.countDown();
            }
        };
        final StreamSession s = session(5);
        s.deliver(entry(1, "a"), event("c1"));
        final CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return s.run(stuck, LONG);
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (final InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(s.checkWrite(System.nanoTime(), LONG)).isFalse();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> s.checkWrite(System.nanoTime(), Duration.ofMillis(100)));
        assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(IOException.class);
        assertThat(s.closed()).isTrue();
    }
}
