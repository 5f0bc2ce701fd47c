package io.insidernetwork.api.http;

import io.insidernetwork.api.auth.ApiKey;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/networks/updates/stream}: the change feed as Server-Sent Events. The start (Last-Event-ID, else
 * {@code cursor}, else {@code since}, else now) and the stream caps are checked before anything is sent, so a bad
 * request gets the error envelope; then the request turns asynchronous (no thread waits on it) and the
 * {@link StreamHub} writes the stream with non-blocking servlet output until the client leaves, the stream turns out
 * too slow, or the server stops. Javalin's own {@code sse} handler is not used: it streams only when the
 * Accept header is exactly {@code text/event-stream} (a plain {@code curl -N} would get nothing) and offers no
 * bounded buffer or blocked-write detection.
 */
final class StreamHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    private static final String CURSOR_ERROR = "Invalid cursor format";
    private static final int RETRY_AFTER_SECONDS = 5;

    private final StreamHub hub;
    private final StreamCursors cursors;
    private final StreamSettings settings;
    private final Duration retention;
    private final Clock clock;

    StreamHandler(final StreamHub hub, final StreamCursors cursors, final StreamSettings settings,
                  final Duration retention, final Clock clock) {
        this.hub = hub;
        this.cursors = cursors;
        this.settings = settings;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void handle(final Context ctx) {
        final StreamBound start = start(ctx);
        final ApiKey key = Caller.of(ctx).key();
        final StreamSession session = new StreamSession(key.name(), key.scope(), start, cursors.encode(start),
            settings.bufferBytes());
        if (!hub.open(session)) {
            throw ApiError.tooManyStreams(RETRY_AFTER_SECONDS);
        }
        final CompletableFuture<Void> ended = session.done().handle((slow, failure) -> {
            hub.release(session);
            if (failure != null) {
                // the client went away, or a blocked write was aborted
                log.debug("Live feed of key {} closed: {}", key.name(), failure.toString());
            } else if (slow) {
                log.debug("Live feed of key {} ended: client too slow", key.name());
            }
            return null;
        });
        ctx.attribute(ApiServer.ANSWERED, Boolean.TRUE);
        try {
            final HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream;charset=utf-8");
            res.setHeader("Cache-Control", "no-cache");
            // proxies that buffer responses (nginx) pass this one through as it comes
            res.setHeader("X-Accel-Buffering", "no");
            res.flushBuffer();
        } catch (final IOException e) {
            session.fail(e);
            return;
        }
        // the request goes asynchronous: its thread returns, and the stream is written with non-blocking output
        // by the hub's thread and, when the output was not ready, by the server's thread that finds it ready again
        ctx.future(() -> {
            ctx.req().getAsyncContext().setTimeout(0);
            try {
                final ServletOutputStream out = ctx.res().getOutputStream();
                out.setWriteListener(new Listener(session));
                session.start(new ResponseSink(out, endPoint(ctx)));
            } catch (final IOException | IllegalStateException e) {
                session.fail(e);
            }
            return ended;
        });
    }

    private StreamBound start(final Context ctx) {
        final String header = ctx.header("Last-Event-ID");
        final String raw = header != null && !header.isBlank() ? header.trim() : ctx.queryParam("cursor");
        final Instant horizon = clock.instant().minus(retention);
        if (raw != null) {
            final StreamBound bound = cursors.decode(raw)
                .orElseThrow(() -> ApiError.badRequest("cursor", CURSOR_ERROR));
            if (bound.since() < horizon.toEpochMilli()) {
                throw ApiError.unprocessable("cursor", "Cursor too far in the past (beyond data retention)",
                    "BEYOND_RETENTION");
            }
            return bound;
        }
        final Optional<String> since = Optional.ofNullable(ctx.queryParam("since"));
        if (since.isEmpty()) {
            return StreamBound.since(clock.millis());
        }
        final Instant at = Params.instant(since.get(), "since", "Invalid since timestamp format");
        if (at.isBefore(horizon)) {
            throw ApiError.unprocessable("since", "Timestamp too far in the past (beyond data retention)",
                "BEYOND_RETENTION");
        }
        return StreamBound.since(at.toEpochMilli());
    }

    private static EndPoint endPoint(final Context ctx) {
        final Request base = Request.getBaseRequest(ctx.req());
        return base == null ? null : base.getHttpChannel().getEndPoint();
    }

    /** The response's non-blocking output; abort closes the connection's end point, which fails a pending write. */
    private record ResponseSink(ServletOutputStream out, EndPoint endPoint) implements StreamSession.Sink {
        @Override
        public boolean ready() {
            return out.isReady();
        }

        @Override
        public void write(final byte[] bytes) throws IOException {
            out.write(bytes);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void abort() {
            if (endPoint != null) {
                endPoint.close();
            }
        }
    }

    /** Resumes writing when the output is ready again; ends the stream when the connection fails. */
    private record Listener(StreamSession session) implements WriteListener {
        @Override
        public void onWritePossible() {
            session.pump();
        }

        @Override
        public void onError(final Throwable failure) {
            session.fail(failure);
        }
    }
}
