package io.insidernetwork.local;

import com.standardwebhooks.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** A partner's webhook producer: signs bodies with Standard Webhooks and POSTs them. */
final class WebhookSigner {

    private final Webhook webhook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WebhookSigner(final String secret) throws Exception {
        this.webhook = new Webhook(secret);
    }

    HttpResponse<String> post(final URI uri, final String messageId, final String body) throws Exception {
        final long timestamp = Instant.now().getEpochSecond();
        final String signature = webhook.sign(messageId, timestamp, body);
        final HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("webhook-id", messageId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
