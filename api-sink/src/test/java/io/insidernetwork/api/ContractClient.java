package io.insidernetwork.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTTP client of every API test: each answer it receives is validated against the served OpenAPI document
 * (status, headers, body schema), so the contract is checked on everything the suite sees.
 */
public final class ContractClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OpenApiInteractionValidator validator;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ContractClient(final int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** One answer: status, Retry-After and WWW-Authenticate headers and JSON body. */
    public record Answer(int status, String retryAfter, String wwwAuthenticate, JsonNode body, String raw) {
        /** The body at a JSON pointer. */
        public JsonNode at(final String pointer) {
            return body.at(pointer);
        }
    }

    /** GET with the all-networks test key. */
    public Answer get(final String pathAndQuery) {
        return get(pathAndQuery, Map.of("X-API-Key", Fixtures.KEY));
    }

    /** GET with {@code headers}; the answer must conform to the OpenAPI document. */
    public Answer get(final String pathAndQuery, final Map<String, String> headers) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        final HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new IllegalStateException("GET " + pathAndQuery + " failed", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        final String path = URI.create(base + pathAndQuery).getPath();
        validate(path, response);
        final String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = null;
        if (contentType.startsWith("application/json")) {
            try {
                body = JSON.readTree(response.body());
            } catch (final IOException e) {
                throw new AssertionError("answer of " + pathAndQuery + " is not JSON: " + response.body(), e);
            }
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
            response.headers().firstValue("WWW-Authenticate").orElse(null), body, response.body());
    }

    private static void validate(final String path, final HttpResponse<String> response) {
        final SimpleResponse.Builder built = SimpleResponse.Builder.status(response.statusCode())
            .withBody(response.body());
        response.headers().map().forEach((name, values) -> built.withHeader(name, values));
        final ValidationReport report = validator().validateResponse(path, Request.Method.GET, built.build());
        final String errors = report.getMessages().stream()
            .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
            // a route the document does not list is checked below: it must be the 404 envelope
            .filter(m -> !m.getKey().endsWith(".path.missing"))
            .map(m -> m.getKey() + ": " + m.getMessage())
            .collect(Collectors.joining("\n"));
        assertThat(errors).as("OpenAPI contract of %s %d: %s", path, response.statusCode(), response.body())
            .isEmpty();
        if (report.getMessages().stream().anyMatch(m -> m.getKey().endsWith(".path.missing"))) {
            // undocumented routes (unknown ones, the peers' internal ones) only ever answer the error envelope
            assertThat(response.statusCode()).as("status of undocumented route " + path).isIn(400, 401, 404);
            assertThat(response.body()).contains("\"success\":false").contains("\"error\":{\"code\"");
        }
    }

    private static OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator = OpenApiInteractionValidator.createForInlineApiSpecification(ApiService.openApiJson()).build();
        }
        return validator;
    }
}
