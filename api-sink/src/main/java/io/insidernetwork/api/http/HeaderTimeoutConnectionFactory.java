package io.insidernetwork.api.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 connections that must send a request's whole header within {@code headerTimeout} of its first byte.
 * Jetty 11 has no such limit: its idle timeout restarts with every byte, and its minimum data rate covers bodies
 * only, so a client sending one header byte every few seconds kept a socket (and a parser) forever. The connection
 * is closed when the deadline passes while its parser is still reading the request line or headers.
 */
final class HeaderTimeoutConnectionFactory extends HttpConnectionFactory {

    private static final Logger log = LoggerFactory.getLogger(HeaderTimeoutConnectionFactory.class);

    private final long timeoutMillis;

    HeaderTimeoutConnectionFactory(final HttpConfiguration config, final Duration headerTimeout) {
        super(config);
        this.timeoutMillis = headerTimeout.toMillis();
    }

    @Override
    public org.eclipse.jetty.io.Connection newConnection(final Connector connector, final EndPoint endPoint) {
        final HeaderDeadlineConnection connection = new HeaderDeadlineConnection(getHttpConfiguration(), connector,
            endPoint, isRecordHttpComplianceViolations(), timeoutMillis);
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }

    /** One connection; {@code headerStart} is the generation of the request whose header is being read (0: none). */
    private static final class HeaderDeadlineConnection extends HttpConnection {

        private final long timeoutMillis;
        private final Scheduler scheduler;
        private final AtomicLong headerStart = new AtomicLong();
        private final AtomicLong generation = new AtomicLong();

        HeaderDeadlineConnection(final HttpConfiguration config, final Connector connector, final EndPoint endPoint,
                                 final boolean recordViolations, final long timeoutMillis) {
            super(config, connector, endPoint, recordViolations);
            this.timeoutMillis = timeoutMillis;
            this.scheduler = connector.getScheduler();
        }

        @Override
        public void onFillable() {
            super.onFillable();
            // after each read: a request begun but whose header is incomplete gets a deadline, once
            final boolean readingHeader = getParser().inHeaderState() && !getParser().isStart();
            if (!readingHeader) {
                headerStart.set(0);
            } else if (headerStart.get() == 0) {
                final long mark = generation.incrementAndGet();
                headerStart.set(mark);
                scheduler.schedule(() -> expire(mark), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void expire(final long mark) {
            if (headerStart.get() == mark && getEndPoint().isOpen()) {
                log.debug("Closing {}: request header not complete within {} ms", getEndPoint().getRemoteSocketAddress(),
                    timeoutMillis);
                getEndPoint().close();
            }
        }
    }
}
