package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.Change;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import io.insidernetwork.api.query.PeerException;
import io.insidernetwork.api.query.StoreUnavailableException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every live stream of this instance from one thread. Streams are grouped by their key's scope into channels;
 * each channel reads the feed after its position through {@link NetworkQueries#updates} (the merged read of every
 * instance that updates-since uses, so any instance serves the whole feed in its one order) every poll interval,
 * renders each new entry once and queues it for each of its streams. A stream that starts before its channel's
 * position (a cursor or an earlier {@code since}) first catches up page by page, as far as its buffer has room (so
 * catching up never overflows it), and joins the channel when it reaches the channel's position. Entries are taken
 * once their updated_at is older than the settle time. After each poll the same thread writes every stream's new
 * events (or a heartbeat) as far as its non-blocking output takes them; the server's threads write the rest as each
 * output becomes ready again, so no stream holds a thread. Closing the hub ends every stream.
 */
final class StreamHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);
    private static final int PAGE = 200;
    /** Pages a channel reads per poll at most, so one busy channel cannot hold up the others for long. */
    private static final int PAGES_PER_POLL = 25;

    private final NetworkQueries queries;
    private final StreamCursors cursors;
    private final StreamSettings settings;
    private final Clock clock;
    private final ObjectMapper json;
    private final Consumer<StreamSession> onSlow;
    private final ScheduledExecutorService thread;
    private final ConcurrentLinkedQueue<StreamSession> joining = new ConcurrentLinkedQueue<>();
    private final Map<NetworkScope, Channel> channels = new HashMap<>();
    private final Map<String, Integer> openPerKey = new HashMap<>();
    private int open;
    private boolean closed;

    /** The streams of one scope and the place up to which the feed was pushed to them. */
    private static final class Channel {
        final NetworkScope scope;
        final List<StreamSession> live = new ArrayList<>();
        final List<StreamSession> catchingUp = new ArrayList<>();
        StreamBound next;

        Channel(final NetworkScope scope) {
            this.scope = scope;
        }
    }

    StreamHub(final NetworkQueries queries, final StreamCursors cursors, final StreamSettings settings,
              final Clock clock, final ObjectMapper json, final Consumer<StreamSession> onSlow) {
        this(queries, cursors, settings, clock, json, onSlow, true);
    }

    /** With {@code scheduled} false nothing polls by itself: a test calls {@link #tick()}. */
    StreamHub(final NetworkQueries queries, final StreamCursors cursors, final StreamSettings settings,
              final Clock clock, final ObjectMapper json, final Consumer<StreamSession> onSlow,
              final boolean scheduled) {
        this.queries = queries;
        this.cursors = cursors;
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        this.onSlow = onSlow;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "api-live-feed");
            t.setDaemon(true);
            return t;
        });
        if (scheduled) {
            final long poll = settings.poll().toMillis();
            thread.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.MILLISECONDS);
        }
    }

    /** Admits {@code session} when the instance's and its key's stream caps allow; false: answer 429. */
    synchronized boolean open(final StreamSession session) {
        if (closed || open >= settings.maxStreams()
            || openPerKey.getOrDefault(session.keyName(), 0) >= settings.maxPerKey()) {
            return false;
        }
        open++;
        openPerKey.merge(session.keyName(), 1, Integer::sum);
        joining.add(session);
        return true;
    }

    /** Forgets {@code session} (it has ended; called once per opened stream). */
    synchronized void release(final StreamSession session) {
        session.close();
        open--;
        openPerKey.computeIfPresent(session.keyName(), (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Streams open now. */
    synchronized int openStreams() {
        return open;
    }

    /** One poll: admits new streams, drops ended ones, and serves every channel. */
    void tick() {
        try {
            pollOnce();
        } catch (final RuntimeException e) {
            // an exception leaving the task would end the schedule, and with it every stream's feed
            log.error("Live feed poll failed; polling again", e);
        }
    }

    private void pollOnce() {
        for (StreamSession s = joining.poll(); s != null; s = joining.poll()) {
            channels.computeIfAbsent(s.scope(), Channel::new).catchingUp.add(s);
        }
        final long now = System.nanoTime();
        final Iterator<Channel> it = channels.values().iterator();
        while (it.hasNext()) {
            final Channel channel = it.next();
            channel.live.removeIf(s -> s.closed() || s.checkWrite(now, settings.writeTimeout()));
            channel.catchingUp.removeIf(s -> s.closed() || s.checkWrite(now, settings.writeTimeout()));
            if (channel.live.isEmpty() && channel.catchingUp.isEmpty()) {
                it.remove();
                continue;
            }
            serve(channel);
        }
        // then writes: each stream's new events, or a heartbeat, as far as its output takes them without blocking
        for (final Channel channel : channels.values()) {
            channel.live.forEach(s -> write(s, now));
            channel.catchingUp.forEach(s -> write(s, now));
        }
    }

    private void write(final StreamSession s, final long now) {
        s.heartbeat(now, settings.heartbeat());
        s.pump();
    }

    private void serve(final Channel channel) {
        final long cutoff = clock.millis() - settings.settle().toMillis();
        if (channel.next == null) {
            channel.next = StreamBound.since(cutoff);
        }
        try {
            advance(channel, cutoff);
            catchUp(channel);
        } catch (final StoreUnavailableException | PeerException e) {
            // rebalancing or a peer down: the streams wait, and the next poll reads from the same place
            log.debug("Live feed of {} waits: {}", channel.scope.wire(), e.getMessage());
        } catch (final RuntimeException e) {
            // the next poll reads from the same place again; nothing was skipped
            log.warn("Live feed of {} failed a read; retrying at the next poll", channel.scope.wire(), e);
        }
    }

    /** Reads the entries after the channel's place up to {@code cutoff} and queues them for its live streams. */
    private void advance(final Channel channel, final long cutoff) {
        for (int pages = 0; pages < PAGES_PER_POLL; pages++) {
            final PartialPage<UpdateEntry> page = queries.updates(channel.next.query(PAGE), channel.scope);
            final List<UpdateEntry> taken = page.entries().stream().filter(e -> e.updatedAt() <= cutoff).toList();
            if (!taken.isEmpty()) {
                final List<StreamSession.Event> events = render(taken, channel.scope);
                // the page's events as one piece, encoded once for every stream: a stream at the channel's place
                // queues, writes and flushes it once instead of once per entry
                final StreamSession.Event all = StreamSession.Event.concat(events);
                final UpdateEntry first = taken.get(0);
                final UpdateEntry last = taken.get(taken.size() - 1);
                channel.live.removeIf(s -> !(s.admits(first) && s.fitsAlone(all) ? deliver(s, last, all)
                    : deliverEach(s, taken, events)));
                channel.next = StreamBound.after(last.position());
            }
            if (taken.size() < page.entries().size() || !page.hasMore()) {
                return;
            }
        }
    }

    /** Reads pages for each stream behind the channel's place, and queues what its buffer has room for. */
    private void catchUp(final Channel channel) {
        final Iterator<StreamSession> it = channel.catchingUp.iterator();
        while (it.hasNext()) {
            final StreamSession s = it.next();
            for (int pages = 0; pages < PAGES_PER_POLL && s.hasRoom(); pages++) {
                final CatchUp step = catchUpPage(channel, s);
                if (step == CatchUp.FULL) {
                    break;
                }
                if (step == CatchUp.DROPPED) {
                    it.remove();
                    break;
                }
                if (step == CatchUp.CAUGHT_UP) {
                    it.remove();
                    s.goLive();
                    channel.live.add(s);
                    break;
                }
            }
        }
    }

    /** What one page of catching up did. */
    private enum CatchUp { MORE, FULL, CAUGHT_UP, DROPPED }

    private CatchUp catchUpPage(final Channel channel, final StreamSession s) {
        final PartialPage<UpdateEntry> page = queries.updates(s.bound().query(PAGE), channel.scope);
        final List<UpdateEntry> behind = new ArrayList<>();
        for (final UpdateEntry e : page.entries()) {
            if (channel.next.admits(e)) {
                break;
            }
            behind.add(e);
        }
        final List<StreamSession.Event> events = render(behind, channel.scope);
        for (int i = 0; i < behind.size(); i++) {
            if (!s.fits(events.get(i))) {
                // the rest is read again at the next poll: the stream's position moved with what it was given
                return CatchUp.FULL;
            }
            if (!deliver(s, behind.get(i), events.get(i))) {
                return CatchUp.DROPPED;
            }
        }
        return behind.size() < page.entries().size() || !page.hasMore() ? CatchUp.CAUGHT_UP : CatchUp.MORE;
    }

    /** Queues the entries one by one (a stream ahead of some of them, or a page larger than its buffer). */
    private boolean deliverEach(final StreamSession s, final List<UpdateEntry> entries,
                                final List<StreamSession.Event> events) {
        for (int i = 0; i < entries.size(); i++) {
            if (!deliver(s, entries.get(i), events.get(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean deliver(final StreamSession s, final UpdateEntry entry, final StreamSession.Event event) {
        if (s.deliver(entry, event)) {
            return true;
        }
        if (!s.closed()) {
            onSlow.accept(s);
        }
        return false;
    }

    private List<StreamSession.Event> render(final List<UpdateEntry> entries, final NetworkScope scope) {
        if (entries.isEmpty()) {
            return List.of();
        }
        // changed connections to insiders of networks outside the scope are not listed, as in updates-since
        final ScopeView view = ScopeView.of(scope, entries.stream()
            .flatMap(e -> e.connections().stream().map(Change::target)).toList(), queries);
        final List<StreamSession.Event> out = new ArrayList<>(entries.size());
        for (final UpdateEntry e : entries) {
            final String cursor = cursors.encode(StreamBound.after(e.position()));
            final Map<String, Object> data = new LinkedHashMap<>(UpdatesHandler.render(e, view));
            try {
                out.add(StreamSession.Event.of(StreamSession.update(cursor, json.writeValueAsString(data)), cursor));
            } catch (final JsonProcessingException ex) {
                throw new IllegalStateException("cannot render a feed entry", ex);
            }
        }
        return out;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (StreamSession s = joining.poll(); s != null; s = joining.poll()) {
            s.close();
        }
        channels.values().forEach(c -> {
            c.live.forEach(StreamSession::close);
            c.catchingUp.forEach(StreamSession::close);
        });
        channels.clear();
    }
}
