package io.insidernetwork.ingest.testing;

import com.standardwebhooks.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A partner's webhook producer for tests and the benchmark: signs bodies with Standard Webhooks and POSTs them. */
public final class SignedPoster {

    private final Webhook webhook;
    private final URI uri;
    private final HttpClient http;

    public SignedPoster(final String secret, final URI uri) {
        this(secret, uri, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public SignedPoster(final String secret, final URI uri, final HttpClient http) {
        try {
            this.webhook = new Webhook(secret);
        } catch (final Exception e) {
            throw new IllegalArgumentException(e);
        }
        this.uri = uri;
        this.http = http;
    }

    /** POSTs {@code body} signed now. */
    public HttpResponse<String> post(final String messageId, final String body) throws Exception {
        return post(messageId, body, Instant.now());
    }

    /** POSTs {@code body} signed with the given timestamp. */
    public HttpResponse<String> post(final String messageId, final String body, final Instant at) throws Exception {
        return http.send(request(messageId, body, at), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} signed now, without waiting. */
    public CompletableFuture<HttpResponse<String>> postAsync(final String messageId, final String body) {
        return http.sendAsync(request(messageId, body, Instant.now()), HttpResponse.BodyHandlers.ofString());
    }

    /** The signed request, e.g. to tamper with it. */
    public HttpRequest request(final String messageId, final String body, final Instant at) {
        final long timestamp = at.getEpochSecond();
        final String signature;
        try {
            signature = webhook.sign(messageId, timestamp, body);
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
        return HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("webhook-id", messageId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    /**
     * POSTs raw {@code body} bytes signed now over exactly those bytes, as a Standard Webhooks sender does
     * (HMAC-SHA256 of {@code id.timestamp.} and the bytes, under the base64-decoded secret).
     */
    public HttpResponse<String> postBytes(final String secret, final String messageId, final byte[] body)
        throws Exception {
        final long timestamp = Instant.now().getEpochSecond();
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(
            secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret), "HmacSHA256"));
        mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        final String signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        return http.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("webhook-id", messageId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One valid share event with id {@code eventId}. */
    public static String share(final String eventId) {
        return """
            {"id":"%s","type":"share","timestamp":"2025-02-03T14:17:00Z","network_id":"mybrand",
             "data":{"sharer_id":"a1b2c3d4-e5f6-7890-1234-567890abcdef","instance_id":"sku-1","platform":"instagram",
                     "recipients":["b1b2c3d4-e5f6-7890-1234-567890abcdef"]}}""".formatted(eventId);
    }
}
