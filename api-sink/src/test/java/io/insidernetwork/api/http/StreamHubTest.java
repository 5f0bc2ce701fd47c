package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.StoreUnavailableException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-feed poller over the real stores, polled by hand (no thread of its own, so the test pipes entries
 * between polls): a live stream that falls behind ends with a resume cursor from which a new stream continues
 * exactly; unavailable stores delay entries, never lose them; the poll writes every stream itself; an output not
 * ready past the timeout is aborted.
 */
class StreamHubTest {

    private static final Instant SINCE = ApiHarness.NOW.minus(Duration.ofHours(1));
    private static final Pattern INSIDER = Pattern.compile("\"insider_id\":\"([^\"]+)\"");

    @TempDir
    Path stateDir;
    private ApiHarness api;
    private StreamCursors cursors;
    private final List<StreamSession> slow = new ArrayList<>();
    private StreamHub hub;
    /** The hub's clock: the test moves it on so that piped entries become due (their updated_at ≤ now). */
    private final MovingClock clock = new MovingClock(SINCE);

    /** A clock the test sets. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(final Instant now) {
            this.now = now;
        }

        void set(final Instant at) {
            now = at;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        cursors = new StreamCursors(new TokenCodec(Fixtures.SECRET, ApiServer.json()));
        hub = new StreamHub(api.queries, cursors, new StreamSettings(Duration.ofSeconds(30), 1 << 20,
            Duration.ofMillis(50), 10, 10, Duration.ofMillis(50), Duration.ZERO),
            clock, ApiServer.json(), slow::add, false);
    }

    @AfterEach
    void tearDown() {
        hub.close();
        api.close();
    }

    /** Entry {@code n}, updated n minutes after SINCE, and the clock moved on to it. */
    private void entry(final int n) {
        final Instant at = SINCE.plusSeconds(60L * n);
        api.update(Fixtures.update(id(n), "brand-a", at, id(n + 100)));
        clock.set(at);
    }

    private StreamSession stream(final StreamBound start, final long capacity) {
        final StreamSession s = new StreamSession("k", NetworkScope.ALL, start, cursors.encode(start), capacity);
        assertThat(hub.open(s)).isTrue();
        return s;
    }

    /** Collects what is written. */
    private static final class Captured implements StreamSession.Sink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public synchronized void write(final byte[] b) {
            bytes.writeBytes(b);
        }

        @Override
        public void flush() {
        }

        @Override
        public void abort() {
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<String> insiders() {
            final List<String> out = new ArrayList<>();
            final Matcher m = INSIDER.matcher(text());
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }
    }

    /** Starts writing {@code s} to {@code sink}; completes when it ends: whether it was too slow (failed: false). */
    private static CompletableFuture<Boolean> run(final StreamSession s, final StreamSession.Sink sink) {
        s.start(sink);
        return s.done().handle((tooSlow, failure) -> failure == null && tooSlow);
    }

    @Test
    void shouldEndALiveStreamThatFallsBehindWithACursorFromWhichANewStreamContinuesExactly() throws Exception {
        // a buffer of one byte holds one event at a time: the second new entry finds it full
        final StreamSession tiny = stream(StreamBound.since(SINCE.toEpochMilli()), 1);
        hub.tick();
        assertThat(tiny.live()).isTrue();
        entry(1);
        entry(2);
        entry(3);
        hub.tick();
        assertThat(slow).containsExactly(tiny);
        final Captured out = new Captured();
        assertThat(run(tiny, out).get()).isTrue();
        assertThat(out.insiders()).containsExactly(id(1));
        final Matcher resume = Pattern.compile("event: resume\ndata: \\{\"cursor\":\"([^\"]+)\"}\n\n$")
            .matcher(out.text());
        assertThat(resume.find()).as(out.text()).isTrue();
        assertThat(out.text()).contains("id: " + resume.group(1) + "\n");

        final StreamSession again = stream(cursors.decode(resume.group(1)).orElseThrow(), 1 << 20);
        final Captured rest = new Captured();
        final CompletableFuture<Boolean> running = run(again, rest);
        hub.tick();
        await().atMost(Duration.ofSeconds(10)).until(() -> rest.insiders().size() >= 2);
        again.close();
        assertThat(running.get()).isFalse();
        assertThat(rest.insiders()).containsExactly(id(2), id(3));
    }

    @Test
    void shouldPushAnEntryOnceItIsSettleOldAndALateOneOnlyToStreamsReadingFromTheStores() throws Exception {
        hub.close();
        hub = new StreamHub(api.queries, cursors, new StreamSettings(Duration.ofSeconds(30), 1 << 20,
            Duration.ofSeconds(5), 10, 10, Duration.ofMillis(50), Duration.ofSeconds(30)), clock, ApiServer.json(),
            slow::add, false);
        final Instant t = SINCE.plusSeconds(600);
        clock.set(t);
        final StreamSession live = stream(StreamBound.since(t.minusSeconds(5).toEpochMilli()), 1 << 20);
        final Captured out = new Captured();
        final CompletableFuture<Boolean> running = run(live, out);
        hub.tick();
        api.update(Fixtures.update(id(1), "brand-a", t.minusSeconds(1), id(2)));
        hub.tick();
        clock.set(t.plusSeconds(20));
        hub.tick();
        // 21 s old: not yet settled
        assertThat(out.insiders()).isEmpty();
        clock.set(t.plusSeconds(31));
        hub.tick();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.insiders().size() == 1);
        // indexed only now, dated before what the live stream was sent: it is in the stores, not in the live push
        api.update(Fixtures.update(id(3), "brand-a", t.minusSeconds(2), id(2)));
        hub.tick();
        final StreamSession fromStore = stream(StreamBound.since(t.minusSeconds(5).toEpochMilli()), 1 << 20);
        final Captured replay = new Captured();
        final CompletableFuture<Boolean> replaying = run(fromStore, replay);
        hub.tick();
        await().atMost(Duration.ofSeconds(10)).until(() -> replay.insiders().size() == 2);
        live.close();
        fromStore.close();
        running.get();
        replaying.get();
        assertThat(out.insiders()).containsExactly(id(1));
        assertThat(replay.insiders()).containsExactly(id(3), id(1));
    }

    @Test
    void shouldHoldEntriesWhileTheStoresAreUnavailableAndLoseNone() throws Exception {
        final StreamSession s = stream(StreamBound.since(SINCE.toEpochMilli()), 1 << 20);
        final Captured out = new Captured();
        final CompletableFuture<Boolean> running = run(s, out);
        hub.tick();
        entry(1);
        api.stores.failure = new StoreUnavailableException("rebalancing");
        hub.tick();
        hub.tick();
        assertThat(out.insiders()).isEmpty();
        api.stores.failure = null;
        entry(2);
        hub.tick();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.insiders().size() >= 2);
        s.close();
        running.get();
        assertThat(out.insiders()).containsExactly(id(1), id(2));
        assertThat(slow).isEmpty();
    }

    @Test
    void shouldAbortAStreamWhoseOutputStaysNotReadyPastTheTimeout() throws Exception {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch aborted = new CountDownLatch(1);
        // a client that stops reading: its output takes one write, then is never ready again
        final StreamSession.Sink stuck = new StreamSession.Sink() {
            @Override
            public boolean ready() {
                return writing.getCount() > 0;
            }

            @Override
            public void write(final byte[] bytes) {
                writing.countDown();
            }

            @Override
            public void flush() {
                throw new AssertionError("flushed while not ready");
            }

            @Override
            public void abort() {
                aborted.countDown();
            }
        };
        entry(1);
        final StreamSession s = stream(StreamBound.since(SINCE.toEpochMilli()), 1 << 20);
        final CompletableFuture<Boolean> running = run(s, stuck);
        hub.tick();
        assertThat(writing.getCount()).isZero();
        assertThat(s.closed()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            hub.tick();
            return aborted.getCount() == 0;
        });
        assertThat(running.get()).isFalse();
        assertThat(s.closed()).isTrue();
    }

    @Test
    void shouldWriteEveryStreamFromThePollWithoutAThreadPerStream() throws Exception {
        final List<StreamSession> streams = new ArrayList<>();
        final List<Captured> outs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final StreamSession s = stream(StreamBound.since(SINCE.toEpochMilli()), 1 << 20);
            final Captured out = new Captured();
            s.start(out);
            streams.add(s);
            outs.add(out);
        }
        entry(1);
        entry(2);
        // the poll itself writes: when tick returns, every stream has its entries, no other thread involved
        hub.tick();
        outs.forEach(out -> assertThat(out.insiders()).containsExactly(id(1), id(2)));
        entry(3);
        hub.tick();
        outs.forEach(out -> assertThat(out.insiders()).containsExactly(id(1), id(2), id(3)));
        streams.forEach(StreamSession::close);
        assertThat(slow).isEmpty();
    }
}
