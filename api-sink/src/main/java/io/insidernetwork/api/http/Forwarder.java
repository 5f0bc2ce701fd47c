package io.insidernetwork.api.http;

import io.insidernetwork.api.auth.PeerAuth;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a request for an insider hosted elsewhere to the instance hosting it, once: the forwarded request carries
 * the peer header, and an instance never forwards such a request again. The owner's answer is relayed as is.
 */
final class Forwarder {

    private final HttpClient http;
    private final PeerAuth auth;
    private final Duration timeout;

    Forwarder(final HttpClient http, final PeerAuth auth, final Duration timeout) {
        this.http = http;
        this.auth = auth;
        this.timeout = timeout;
    }

    void forward(final Context ctx, final HostInfo owner) {
        // the query is re-encoded from the decoded parameters: whatever raw text Jetty accepted, the URI is valid
        final String query = ctx.queryParamMap().entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
            .collect(Collectors.joining("&"));
        final URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + ctx.path()
            + (query.isEmpty() ? "" : "?" + query));
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
            .header(PeerAuth.HEADER, auth.token())
            .header("X-Request-Id", RequestMeta.id(ctx));
        // only the header the key was authenticated from (ApiKeys.authenticate's order): another one may hold text
        // the HTTP client refuses to send
        final String apiKey = ctx.header("X-API-Key");
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("X-API-Key", apiKey);
        } else {
            request.header("Authorization", ctx.header("Authorization"));
        }
        final HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (final HttpTimeoutException e) {
            throw ApiError.gatewayTimeout("the instance hosting this insider did not answer in time");
        } catch (final IOException e) {
            throw ApiError.badGateway("the instance hosting this insider is unreachable");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.badGateway("interrupted while forwarding");
        }
        ctx.attribute(ApiServer.ANSWERED, Boolean.TRUE);
        ctx.status(response.statusCode());
        response.headers().firstValue("Retry-After").ifPresent(v -> ctx.header("Retry-After", v));
        ctx.contentType(response.headers().firstValue("Content-Type").orElse("application/json"));
        ctx.result(response.body());
    }

    private static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
