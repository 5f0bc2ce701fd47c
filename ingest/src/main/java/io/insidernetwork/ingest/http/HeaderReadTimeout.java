package io.insidernetwork.ingest.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1.1 connection whose request line and headers are not complete within {@code timeout} of their
 * first byte. Jetty's idle timeout restarts with every byte, so without this a client sending one header byte every
 * few seconds holds a socket (and a parser) forever. Added to a connector as a bean, it watches every connection the
 * connector opens, on the connector's scheduler: a check every {@code timeout / 4} reads the parser's state and the
 * time the current request's first byte arrived. An idle keep-alive connection (no byte of a next request) is left
 * to the idle timeout; a request whose headers are complete (its body is being read) is not affected.
 */
public final class HeaderReadTimeout implements Connection.Listener {

    private static final Logger log = LoggerFactory.getLogger(HeaderReadTimeout.class);

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final long periodMillis;
    private final Map<Connection, Scheduler.Task> checks = new ConcurrentHashMap<>();

    public HeaderReadTimeout(final Scheduler scheduler, final Duration timeout) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        this.periodMillis = Math.max(10, timeout.toMillis() / 4);
    }

    @Override
    public void onOpened(final Connection connection) {
        if (connection instanceof HttpConnection http) {
            schedule(http);
        }
    }

    @Override
    public void onClosed(final Connection connection) {
        final Scheduler.Task task = checks.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule(final HttpConnection http) {
        checks.put(http, scheduler.schedule(() -> check(http), periodMillis, TimeUnit.MILLISECONDS));
    }

    private void check(final HttpConnection http) {
        if (!http.getEndPoint().isOpen() || !checks.containsKey(http)) {
            checks.remove(http);
            return;
        }
        final HttpParser parser = http.getParser();
        if (parser.inHeaderState() && !parser.isStart()
            && NanoTime.since(parser.getBeginNanoTime()) > timeoutNanos) {
            log.warn("Closing connection from {}: request headers not complete within {} ms",
                http.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            checks.remove(http);
            http.getEndPoint().close();
            return;
        }
        schedule(http);
    }
}
