package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.api.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13 sections 3 and 5 on raw sockets: what Jetty answers by itself (a request line it cannot parse, a URI or
 * headers too large) is the seed's JSON envelope with the right status and the part at fault named, never Jetty's
 * HTML; and a client that trickles its header is disconnected within a bounded time.
 */
class RawHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;
    private ApiHarness api;

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        api.insider(insider(id(1), "brand-a", 1L, Instant.parse("2025-07-01T00:00:00Z")));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** One raw answer: status, content type and body. */
    record Raw(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET /api/v1/insiders/%00 HTTP/1.1|400|request_line",
        "GET /api/v1/insiders/a%00b/network?degree=1 HTTP/1.1|400|request_line",
        "GET /api/v1/insiders/a b HTTP/1.1|400|request_line",
        "GET /api/v1/insiders/%zz HTTP/1.1|400|request_line",
        "GET /api/v1/insiders/%C3%28 HTTP/1.1|400|insider_id",
        "GET /api/v1/networks/dump?limit=%ff%fe HTTP/1.1|400|limit"})
    void shouldAnswerEnvelopeWhenRequestLineIsMalformed(final String requestLine, final int status,
                                                       final String field) throws IOException {
        assertEnvelope(send(request(requestLine.getBytes(StandardCharsets.ISO_8859_1),
            "X-API-Key: " + Fixtures.KEY + "\r\n")), status, field);
    }

    @Test
    void shouldAnswerEnvelopeWhenRequestLineHoldsInvalidUtf8() throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes("GET /api/v1/insiders/".getBytes(StandardCharsets.US_ASCII));
        line.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        line.writeBytes(" HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
        assertEnvelope(send(request(line.toByteArray(), "")), 400, "request_line");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET /api/v1/networks/dump HTTP/9.9",
        "BREW /api/v1/networks/dump HTTP/1.1",
        "DELETE /api/v1/networks/dump HTTP/1.1",
        "GET api/v1/networks/dump HTTP/1.1",
        "GET /api/v1/../../etc/passwd HTTP/1.1",
        "GET /api/v1/insiders/%2e%2e/%2e%2e HTTP/1.1",
        "GET /api/v1//insiders HTTP/1.1"})
    void shouldAnswerEnvelopeWhateverTheRequestLine(final String requestLine) throws IOException {
        final Raw raw = send(request(requestLine.getBytes(StandardCharsets.ISO_8859_1),
            "X-API-Key: " + Fixtures.KEY + "\r\n"));
        assertThat(raw.status()).as(raw.body()).isBetween(400, 599);
        assertThat(raw.contentType()).as(raw.status() + " " + raw.body()).startsWith("application/json");
        assertThat(raw.json().at("/success").asBoolean(true)).as(raw.body()).isFalse();
        assertThat(raw.json().at("/error/code").asText()).as(raw.body()).isNotBlank();
    }

    @Test
    void shouldAnswerEnvelopeWhenHeaderHoldsControlCharacter() throws IOException {
        final Raw raw = send(request("GET /api/v1/networks/dump HTTP/1.1".getBytes(StandardCharsets.US_ASCII),
            "X-API-Key: ab\u0001cd\r\n"));
        assertThat(raw.status()).as(raw.body()).isEqualTo(400);
        assertThat(raw.contentType()).startsWith("application/json");
        assertThat(raw.json().at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void shouldAnswer414EnvelopeWhenUriIsOver8Kb() throws IOException {
        final String line = "GET /api/v1/networks/dump?x=" + "a".repeat(9 * 1024) + " HTTP/1.1";
        assertEnvelope(send(request(line.getBytes(StandardCharsets.US_ASCII), "")), 414, "uri");
    }

    @Test
    void shouldAnswer431EnvelopeWhenHeadersAreTooLarge() throws IOException {
        final String headers = "X-Big: " + "b".repeat(9 * 1024) + "\r\n";
        assertEnvelope(send(request("GET /api/v1/networks/dump HTTP/1.1".getBytes(StandardCharsets.US_ASCII),
            headers)), 431, "headers");
    }

    @Test
    void shouldStillAnswerOrdinaryRequestsOverRawSockets() throws IOException {
        final Raw ok = send(request(("GET /api/v1/insiders/" + id(1) + " HTTP/1.1").getBytes(StandardCharsets.US_ASCII),
            "X-API-Key: " + Fixtures.KEY + "\r\n"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().at("/data/insider_id").asText()).isEqualTo(id(1));
    }

    @Test
    @Timeout(30)
    void shouldCloseConnectionWhenHeaderTricklesSlowerThanTheHeaderTimeout() throws Exception {
        // one byte every 500 ms resets any idle timeout; the header deadline (2 s in tests) must still close it
        final byte[] request = ("GET /api/v1/networks/dump HTTP/1.1\r\nHost: x\r\nX-API-Key: " + Fixtures.KEY
            + "\r\nX-Slow: " + "s".repeat(100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(200);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            int sent = 0;
            boolean closed = false;
            while (!closed && sent < request.length) {
                try {
                    out.write(request[sent++]);
                    out.flush();
                } catch (final SocketException e) {
                    closed = true;
                    break;
                }
                try {
                    closed = in.read() == -1;
                } catch (final SocketTimeoutException e) {
                    // still open
                } catch (final SocketException e) {
                    closed = true;
                }
                Thread.sleep(300); // the slow client under test: one header byte every 300 ms
            }
            final Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closed).as("closed after %s with %d of %d bytes sent", elapsed, sent, request.length).isTrue();
            assertThat(elapsed).isLessThan(ApiHarness.HEADER_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void shouldKeepServingKeepAliveRequestsLongerThanTheHeaderTimeout() throws Exception {
        // the deadline is per request header, not per connection: an idle keep-alive connection between fast
        // requests stays usable
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(5_000);
            for (int i = 0; i < 2; i++) {
                socket.getOutputStream().write(request(("GET /api/v1/insiders/" + id(1) + " HTTP/1.1")
                    .getBytes(StandardCharsets.US_ASCII), "X-API-Key: " + Fixtures.KEY + "\r\n"));
                final Raw answer = read(socket.getInputStream());
                assertThat(answer.status()).isEqualTo(200);
                // idle past the header deadline on purpose: what is tested is that nothing happens meanwhile
                Thread.sleep(ApiHarness.HEADER_TIMEOUT.toMillis() + 500);
            }
        }
    }

    private static byte[] request(final byte[] requestLine, final String extraHeaders) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(requestLine);
        out.writeBytes(("\r\nHost: localhost\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private Raw send(final byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads one answer: status line, headers, then Content-Length bytes (or to the end of the stream). */
    private static Raw read(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b == -1) {
                break;
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1
                : (b == '\r' ? 1 : 0);
        }
        final String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        final int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = "";
        int length = -1;
        for (final String line : lines) {
            final String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).trim();
            } else if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        final byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        return new Raw(status, contentType, new String(body, StandardCharsets.UTF_8));
    }

    private static void assertEnvelope(final Raw raw, final int status, final String field) throws IOException {
        assertThat(raw.status()).as(raw.body()).isEqualTo(status);
        assertThat(raw.contentType()).as(raw.body()).startsWith("application/json");
        final JsonNode json = raw.json();
        assertThat(json.at("/success").isBoolean()).as(raw.body()).isTrue();
        assertThat(json.at("/success").asBoolean()).isFalse();
        assertThat(json.at("/error/code").asText()).isNotBlank();
        assertThat(json.at("/error/message").asText()).isNotBlank();
        assertThat(json.at("/error/validation_errors/0/field").asText()).as(raw.body()).isEqualTo(field);
        assertThat(json.at("/meta/request_id").asText()).isNotBlank();
        assertThat(raw.body()).doesNotContain("<html").doesNotContain("Jetty");
    }
}
