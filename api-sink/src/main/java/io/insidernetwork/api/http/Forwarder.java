package io.insidernetwork.api.http;

import io.insidernetwork.api.auth.PeerAuth;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
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
        final String query = ctx.queryString();
        final URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + ctx.path()
            + (query == null || query.isEmpty() ? "" : "?" + query));
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
            .header(PeerAuth.HEADER, auth.token())
            .header("X-Request-Id", RequestMeta.id(ctx));
        copy(ctx, request, "X-API-Key");
        copy(ctx, request, "Authorization");
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

    private static void copy(final Context ctx, final HttpRequest.Builder request, final String header) {
        final String value = ctx.header(header);
        if (value != null) {
            request.header(header, value);
        }
    }
}
