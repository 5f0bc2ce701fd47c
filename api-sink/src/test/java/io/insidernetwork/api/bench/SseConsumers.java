package io.insidernetwork.api.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live-feed clients of {@link StreamLoad}, made as cheap as possible because they stand in for clients on other
 * machines: every stream is a plain HTTP/1.1 connection read by one selector thread as raw bytes (chunked transfer
 * coding removed); an event is counted by its {@code id:} line, and only one event in {@code sampleEvery} has its
 * {@code data:} line's {@code updated_at} parsed for the delivery latency (entry's updated_at to receipt). Nothing
 * else is decoded: no JSON, no strings per line.
 */
final class SseConsumers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SseConsumers.class);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final String UPDATED_AT = "\"updated_at\":\"";
    private static final int SAMPLE_LINE_MAX = 64 << 10;

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final Recorder delivery;
    private final int sampleEvery;
    private final Thread thread;
    private volatile boolean running = true;

    private SseConsumers(final Selector selector, final Recorder delivery, final int sampleEvery) {
        this.selector = selector;
        this.delivery = delivery;
        this.sampleEvery = sampleEvery;
        this.thread = new Thread(this::loop, "sse-consumers");
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code streams} streams of {@code path} with {@code apiKey} on 127.0.0.1:{@code port} and reads them until
     * closed; delivery latencies (milliseconds) of one event in {@code sampleEvery} go to {@code delivery}.
     */
    static SseConsumers open(final int port, final String path, final String apiKey, final int streams,
                             final Recorder delivery, final int sampleEvery) throws IOException {
        final SseConsumers c = new SseConsumers(Selector.open(), delivery, sampleEvery);
        final byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
            + "\r\nAccept: text/event-stream\r\nX-API-Key: " + apiKey + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int s = 0; s < streams; s++) {
            final SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.write(ByteBuffer.wrap(request));
            ch.configureBlocking(false);
            final Connection conn = c.new Connection(s, ch);
            c.connections.add(conn);
            ch.register(c.selector, SelectionKey.OP_READ, conn);
        }
        c.thread.start();
        return c;
    }

    /** Update events received over all streams. */
    long events() {
        return events.get();
    }

    /** Streams that received at least one event. */
    int receiving() {
        return (int) connections.stream().filter(c -> c.received > 0).count();
    }

    /** Streams that ended (the server closed them, or their answer was not a 200 stream). */
    int ended() {
        return (int) connections.stream().filter(c -> c.ended).count();
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (final Connection c : connections) {
            c.channel.close();
        }
        selector.close();
    }

    private void loop() {
        final ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10);
        final byte[] bytes = new byte[buf.capacity()];
        try {
            while (running) {
                selector.select(500);
                for (final SelectionKey key : selector.selectedKeys()) {
                    final Connection c = (Connection) key.attachment();
                    buf.clear();
                    final int n;
                    try {
                        n = c.channel.read(buf);
                    } catch (final IOException e) {
                        end(c, key, e.toString());
                        continue;
                    }
                    if (n < 0) {
                        end(c, key, "closed by the server");
                        continue;
                    }
                    buf.flip();
                    buf.get(bytes, 0, n);
                    if (!c.take(bytes, n)) {
                        end(c, key, "answered " + c.status);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (final IOException | RuntimeException e) {
            log.error("SSE consumers failed", e);
        }
    }

    private static void end(final Connection c, final SelectionKey key, final String why) {
        if (!c.ended) {
            c.ended = true;
            log.warn("stream {} ended: {}", c.index, why);
        }
        key.cancel();
    }

    /** One stream's parser: response head, chunked coding, then SSE lines (only their starts are looked at). */
    private final class Connection {
        final int index;
        final SocketChannel channel;
        volatile long received;
        volatile boolean ended;
        String status = "";
        private final StringBuilder head = new StringBuilder();
        private boolean inHead = true;
        private boolean chunked;
        /** Chunked coding: bytes left in the current chunk; -1 reading a size line; -2 the CRLF after a chunk. */
        private long chunkLeft = -1;
        private long chunkSize;
        private boolean sizeDone;
        /** SSE: position within the current line (0 = at its start), and whether it matches id: / data: so far. */
        private int col;
        private boolean maybeId;
        private boolean maybeData;
        private boolean sampleNext;
        private ByteArrayBuilder sample;

        Connection(final int index, final SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }

        /** Takes {@code n} bytes; false when the answer is not a stream. */
        boolean take(final byte[] b, final int n) {
            int i = 0;
            while (inHead && i < n) {
                head.append((char) b[i++]);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    inHead = false;
                    final String h = head.toString();
                    status = h.substring(0, h.indexOf('\r'));
                    chunked = h.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                    if (!status.contains(" 200")) {
                        return false;
                    }
                }
            }
            if (!chunked) {
                body(b, i, n);
                return true;
            }
            while (i < n) {
                if (chunkLeft > 0) {
                    final int end = (int) Math.min(n, i + chunkLeft);
                    body(b, i, end);
                    chunkLeft -= end - i;
                    i = end;
                    if (chunkLeft == 0) {
                        chunkLeft = -2;
                        chunkSize = 0;
                    }
                } else if (chunkLeft == -2) {
                    // the CRLF after a chunk's data
                    if (b[i++] == '\n') {
                        chunkLeft = -1;
                        sizeDone = false;
                    }
                } else {
                    final byte x = b[i++];
                    if (x == '\n') {
                        chunkLeft = chunkSize;
                        chunkSize = 0;
                        if (chunkLeft == 0) {
                            // the last chunk: the server ended the stream
                            chunkLeft = -2;
                        }
                    } else if (!sizeDone && Character.digit(x, 16) >= 0) {
                        chunkSize = chunkSize * 16 + Character.digit(x, 16);
                    } else {
                        // ';' extensions or the CR
                        sizeDone = true;
                    }
                }
            }
            return true;
        }

        /** SSE bytes {@code [from, to)} of the body. */
        private void body(final byte[] b, final int from, final int to) {
            for (int i = from; i < to; i++) {
                final byte x = b[i];
                if (x == '\n') {
                    if (sample != null) {
                        sampled(sample.text());
                        sample = null;
                    }
                    col = 0;
                    continue;
                }
                if (sample != null) {
                    sample.add(x);
                    continue;
                }
                if (col == 0) {
                    maybeId = true;
                    maybeData = true;
                }
                if (maybeId) {
                    maybeId = col < ID.length && ID[col] == x;
                    if (maybeId && col == ID.length - 1) {
                        final long total = events.incrementAndGet();
                        received++;
                        sampleNext = total % sampleEvery == 0;
                        maybeId = false;
                    }
                }
                if (maybeData) {
                    maybeData = col < DATA.length && DATA[col] == x;
                    if (maybeData && col == DATA.length - 1) {
                        maybeData = false;
                        if (sampleNext) {
                            sampleNext = false;
                            sample = new ByteArrayBuilder();
                        }
                    }
                }
                col++;
            }
        }
    }

    private void sampled(final String data) {
        final int at = data.indexOf(UPDATED_AT);
        if (at < 0) {
            return;
        }
        final int from = at + UPDATED_AT.length();
        final int to = data.indexOf('"', from);
        try {
            final long ms = System.currentTimeMillis() - Instant.parse(data.substring(from, to)).toEpochMilli();
            delivery.recordValue(Math.max(0, ms));
        } catch (final DateTimeParseException | IndexOutOfBoundsException e) {
            log.warn("unreadable updated_at in a feed event: {}", e.toString());
        }
    }

    /** A growing byte array for the one data line being sampled. */
    private static final class ByteArrayBuilder {
        private byte[] bytes = new byte[1024];
        private int size;

        void add(final byte b) {
            if (size == bytes.length) {
                if (size >= SAMPLE_LINE_MAX) {
                    return;
                }
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = b;
        }

        String text() {
            return new String(bytes, 0, size, StandardCharsets.UTF_8);
        }
    }
}
