package io.insidernetwork.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.testing.TestSettings;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ingest's HTTP server against raw sockets: a client trickling header bytes is disconnected, and every answer the
 * server gives on its own (requests Jetty cannot parse or accept) is the JSON error envelope, not Jetty's HTML.
 */
@Tag("integration")
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class HttpServerHardeningIT {

    private static final long HEADER_TIMEOUT_MS = 1_000;

    private final ObjectMapper json = new ObjectMapper();
    private IngestService service;

    @BeforeAll
    void start(final KafkaBroker broker) {
        final Map<String, Object> settings = TestSettings.base(broker.bootstrapServers(),
            KafkaBrokerExtension.uniqueName("http-hardening") + ".");
        settings.put(IngestConfig.HTTP_HEADER_TIMEOUT_MS_CONFIG, HEADER_TIMEOUT_MS);
        settings.put(IngestConfig.HTTP_IDLE_TIMEOUT_MS_CONFIG, 30_000L);
        service = IngestService.start(new IngestConfig(settings));
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private Socket socket() throws IOException {
        final Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void shouldCloseConnectionWhenHeaderBytesTrickleInPastTheHeaderTimeout() throws Exception {
        try (Socket socket = socket()) {
            final OutputStream out = socket.getOutputStream();
            out.write("POST /webhooks/v1/events HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final long started = System.nanoTime();
            // One byte every 200 ms: far inside the 30 s idle timeout, so only the header timeout can close it.
            boolean closed = false;
            while (!closed && System.nanoTime() - started < 8_000_000_000L) {
                try {
                    out.write('a');
                    out.flush();
                } catch (final IOException e) {
                    closed = true;
                    break;
                }
                socket.setSoTimeout(200);
                try {
                    closed = socket.getInputStream().read() == -1;
                } catch (final SocketTimeoutException e) {
                    // still open: send the next byte
                } catch (final IOException e) {
                    closed = true;
                }
            }
            final long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(closed).as("closed after %d ms", elapsedMs).isTrue();
            assertThat(elapsedMs).isBetween(HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS + 2_000);
        }
    }

    @Test
    void shouldServeNormalRequestsWhenAKeepAliveConnectionStaysIdleBetweenThem() throws Exception {
        try (Socket socket = socket()) {
            final OutputStream out = socket.getOutputStream();
            final byte[] request = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(request);
            out.flush();
            assertThat(readResponse(socket.getInputStream()).status()).isEqualTo(200);
            // idle past the header deadline on purpose: what is tested is that nothing happens meanwhile
            Thread.sleep(HEADER_TIMEOUT_MS * 2);
            out.write(request);
            out.flush();
            assertThat(readResponse(socket.getInputStream()).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "raw space in the URI|GET /health/live x HTTP/1.1|400",
        "NUL escape in the path|GET /health/%00live HTTP/1.1|400",
        "bad escape in the path|GET /health/%zz HTTP/1.1|400",
        "not HTTP at all|HELLO|400"})
    void shouldAnswerInTheJsonEnvelopeWhenTheRequestLineIsBad(final String name, final String line,
                                                              final int status) throws Exception {
        assertEnvelope(send((line + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), status,
            "BAD_REQUEST");
    }

    @Test
    void shouldAnswer505InTheJsonEnvelopeWhenTheVersionIsUnknown() throws Exception {
        assertEnvelope(send("GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
            505, "HTTP_VERSION_NOT_SUPPORTED");
    }

    @Test
    void shouldAnswer400InTheJsonEnvelopeWhenTheRequestLineHoldsInvalidUtf8() throws Exception {
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write("GET /health/".getBytes(StandardCharsets.US_ASCII));
        request.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        request.write(" HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEnvelope(send(request.toByteArray()), 400, "BAD_REQUEST");
    }

    @Test
    void shouldAnswer414InTheJsonEnvelopeWhenTheUriIsTooLong() throws Exception {
        final String uri = "/health/live?x=" + "a".repeat(20_000);
        assertEnvelope(send(("GET " + uri + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
            414, "URI_TOO_LONG");
    }

    @Test
    void shouldAnswer431InTheJsonEnvelopeWhenTheHeadersAreTooLarge() throws Exception {
        final String header = "X-Big: " + "b".repeat(20_000) + "\r\n";
        assertEnvelope(send(("GET /health/live HTTP/1.1\r\nHost: x\r\n" + header + "\r\n")
            .getBytes(StandardCharsets.US_ASCII)), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
    }

    @ParameterizedTest
    @CsvSource({"/nope", "/health/%C3%28", "/webhooks/v1/events/x"})
    void shouldAnswer404InTheJsonEnvelopeWhenTheRouteIsUnknown(final String path) throws Exception {
        assertEnvelope(send(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
            404, "NOT_FOUND");
    }

    private void assertEnvelope(final Response response, final int status, final String code) throws Exception {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.head().toLowerCase(Locale.ROOT)).as(response.toString())
            .contains("content-type: application/json");
        final JsonNode body = json.readTree(response.body());
        assertThat(body.path("success").isBoolean()).as(response.toString()).isTrue();
        assertThat(body.path("success").asBoolean()).isFalse();
        assertThat(body.path("error").path("code").asText()).as(response.toString()).isEqualTo(code);
        assertThat(body.path("error").path("message").asText()).isNotBlank();
        assertThat(body.path("meta").isObject()).isTrue();
        if (status == 400) {
            assertThat(body.path("error").path("validation_errors").get(0).path("field").asText())
                .isEqualTo("request");
        }
    }

    private Response send(final byte[] request) throws Exception {
        try (Socket socket = socket()) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readResponse(socket.getInputStream());
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body (Jetty's error answers have one). */
    private static Response readResponse(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        final String text = head.toString(StandardCharsets.ISO_8859_1);
        final int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (final String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        final byte[] body = in.readNBytes(length);
        return new Response(status, text, new String(body, StandardCharsets.UTF_8));
    }

    private record Response(int status, String head, String body) {
    }
}
