package io.insidernetwork.ingest.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies Standard Webhooks signatures (webhook-id, webhook-timestamp within five minutes, webhook-signature) on
 * the raw body with the published library. Several secrets may be valid at once, for rotation.
 */
public final class SignatureVerifier {

    private final List<Webhook> webhooks;

    public SignatureVerifier(final List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        webhooks = secrets.stream().map(SignatureVerifier::webhook).toList();
    }

    /** Empty when the body is signed with one of the secrets; otherwise the reason it is not accepted. */
    public Optional<String> verify(final String body, final Map<String, List<String>> headers) {
        String reason = "no secret matched";
        for (final Webhook webhook : webhooks) {
            try {
                webhook.verify(body, headers);
                return Optional.empty();
            } catch (final WebhookVerificationException e) {
                reason = e.getMessage();
            }
        }
        return Optional.of(reason);
    }

    private static Webhook webhook(final String secret) {
        try {
            return new Webhook(secret);
        } catch (final com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("empty webhook secret", e);
        }
    }
}
