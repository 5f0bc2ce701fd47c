package io.insidernetwork.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live-feed client of the tests: java.net.http with a line reader on its own thread, parsing Server-Sent Events
 * (id, event, data lines; comment lines) into a queue the test takes from with a timeout.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One event; a comment line is an event of type {@code comment} with the comment as data. */
    public record Event(String id, String type, String data) {
        /** The data as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (final IOException e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    /** The end of the stream (the server closed it). */
    public static final Event END = new Event(null, "end", "");

    private final int status;
    private final String contentType;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseClient(final HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        if (status == 200) {
            reader.start();
        }
    }

    /** Opens {@code pathAndQuery} on {@code port} with {@code headers}. */
    public static SseClient open(final int port, final String pathAndQuery, final Map<String, String> headers) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            // as curl -N sends it: the stream does not depend on Accept
            .header("Accept", "*/*").GET();
        headers.forEach(request::header);
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** The next event (comments included), or null after {@code timeout}. */
    public Event next(final Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next {@code n} update events (comments skipped); fails when they do not come within {@code timeout}. */
    public List<Event> updates(final int n, final Duration timeout) throws InterruptedException, IOException {
        if (status != 200) {
            throw new AssertionError("the stream answered " + status + " " + errorBody());
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Event> out = new ArrayList<>();
        while (out.size() < n) {
            final long left = deadline - System.nanoTime();
            final Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null || e == END) {
                throw new AssertionError("got " + out.size() + " of " + n + " updates" + (e == END ? ", then the end"
                    : " in " + timeout));
            }
            if ("update".equals(e.type())) {
                out.add(e);
            } else if (!"comment".equals(e.type())) {
                throw new AssertionError("unexpected event " + e + " after " + out.size() + " updates");
            }
        }
        return out;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            final StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (type != null || data.length() > 0) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    id = null;
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, "comment", line.substring(1).trim()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
                } else {
                    events.add(new Event(null, "malformed", line));
                }
            }
        } catch (final IOException e) {
            // closed by the test or the server
        }
        events.add(END);
    }

    /** The body of a non-200 answer. */
    public String errorBody() throws IOException {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (final IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
