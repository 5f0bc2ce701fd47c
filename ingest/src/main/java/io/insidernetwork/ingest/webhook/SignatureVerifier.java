package io.insidernetwork.ingest.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.insidernetwork.ingest.mapping.StrictJson;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Standard Webhooks signatures (webhook-id, webhook-timestamp within five minutes, webhook-signature) over
 * the raw body bytes, as the partner signed them. Several secrets may be valid at once, for rotation.
 *
 * <p>The published library takes the body as a String and signs its UTF-8 encoding. A body that is valid UTF-8 is
 * decoded strictly and handed to the library: its UTF-8 encoding is then exactly the raw bytes. A body that is not
 * valid UTF-8 has no such String, so the same HMAC ({@code v1} = base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the base64-decoded secret) is computed here over the raw bytes, only so that a
 * signed-but-invalid body can be told (400) from an unsigned one (401).
 */
public final class SignatureVerifier {

    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String PREFIX = "whsec_";

    private final List<Webhook> webhooks;
    private final List<byte[]> keys;
    private final Clock clock;

    public SignatureVerifier(final List<String> secrets) {
        this(secrets, Clock.systemUTC());
    }

    public SignatureVerifier(final List<String> secrets, final Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        webhooks = secrets.stream().map(SignatureVerifier::webhook).toList();
        keys = secrets.stream().map(s -> Base64.getDecoder().decode(s.startsWith(PREFIX)
            ? s.substring(PREFIX.length()) : s)).toList();
        this.clock = clock;
    }

    /**
     * Empty when {@code body} is signed with one of the secrets; otherwise the reason it is not accepted.
     *
     * @param headers header names in lower case
     */
    public Optional<String> verify(final byte[] body, final Map<String, List<String>> headers) {
        final String text;
        try {
            text = StrictJson.utf8(body);
        } catch (final CharacterCodingException e) {
            return verifyRaw(body, headers);
        }
        String reason = "no secret matched";
        for (final Webhook webhook : webhooks) {
            try {
                webhook.verify(text, headers);
                return Optional.empty();
            } catch (final WebhookVerificationException e) {
                reason = e.getMessage();
            }
        }
        return Optional.of(reason);
    }

    private Optional<String> verifyRaw(final byte[] body, final Map<String, List<String>> headers) {
        final String id = first(headers, "webhook-id");
        final String timestamp = first(headers, "webhook-timestamp");
        final String signatures = first(headers, "webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return Optional.of("Missing required headers");
        }
        final long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (final NumberFormatException e) {
            return Optional.of("Invalid Signature Headers");
        }
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Optional.of("Message timestamp too old or too new");
        }
        final byte[] prefix = (id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8);
        for (final byte[] key : keys) {
            final byte[] expected = ("v1," + Base64.getEncoder().encodeToString(hmac(key, prefix, body)))
                .getBytes(StandardCharsets.US_ASCII);
            for (final String given : signatures.split(" ")) {
                if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of("No matching signature found");
    }

    private static String first(final Map<String, List<String>> headers, final String name) {
        final List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static byte[] hmac(final byte[] key, final byte[] prefix, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static Webhook webhook(final String secret) {
        try {
            return new Webhook(secret);
        } catch (final com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("empty webhook secret", e);
        }
    }
}
