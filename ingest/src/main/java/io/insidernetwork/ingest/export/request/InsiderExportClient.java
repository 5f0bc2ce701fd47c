package io.insidernetwork.ingest.export.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of {@code POST /api/raw/v1/export}: validates the request against the seed's rules, sends it with the
 * partner headers and classifies the answer (2xx accepted, 429 rate limited, other 4xx rejected, 5xx and I/O errors
 * retryable). The token is sent in the header only and never logged.
 */
public final class InsiderExportClient {

    private static final Logger log = LoggerFactory.getLogger(InsiderExportClient.class);
    private static final int MAX_BODY_LOGGED = 200;

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;
    private final ExportRequestValidator validator;
    private final ObjectMapper json;

    public InsiderExportClient(final HttpClient http, final URI apiBase, final Duration timeout,
                               final ExportRequestValidator validator, final ObjectMapper json) {
        this.http = http;
        this.endpoint = apiBase.resolve("/api/raw/v1/export");
        this.timeout = timeout;
        this.validator = validator;
        this.json = json;
    }

    /**
     * Sends {@code request} for {@code partner}.
     *
     * @throws InvalidExportRequestException when the request breaks a rule of the seed (nothing was sent)
     * @throws RetryableExportException on a network error, a timeout or a 5xx answer
     */
    public ExportOutcome send(final String partner, final String token, final ExportRequest request)
        throws RetryableExportException, InterruptedException {
        final List<Violation> violations = validator.validate(partner, token, request);
        if (!violations.isEmpty()) {
            throw new InvalidExportRequestException(violations);
        }
        final byte[] body;
        try {
            body = json.writeValueAsBytes(request);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize export request", e);
        }
        final HttpRequest post = HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("X-PARTNER-NAME", partner)
            .header("X-REQUEST-TOKEN", token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        final HttpResponse<String> response;
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new RetryableExportException("export request for " + partner + " failed: " + e, e);
        }
        final int status = response.statusCode();
        final String answer = shorten(response.body());
        log.debug("Export request for {} answered {}", partner, status);
        if (status >= 200 && status < 300) {
            return new ExportOutcome.Accepted(status);
        }
        if (status == 429) {
            return new ExportOutcome.RateLimited(answer);
        }
        if (status >= 500 || status == 408) {
            throw new RetryableExportException("export request for " + partner + " answered " + status + ": "
                + answer, null);
        }
        return new ExportOutcome.Rejected(status, answer);
    }

    private static String shorten(final String body) {
        if (body == null) {
            return "";
        }
        final String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() > MAX_BODY_LOGGED ? flat.substring(0, MAX_BODY_LOGGED) + "..." : flat;
    }
}
