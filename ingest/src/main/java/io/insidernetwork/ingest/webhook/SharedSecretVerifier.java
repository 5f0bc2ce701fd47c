package io.insidernetwork.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the shared secret of InsightIQ webhooks (their signature scheme is not documented upstream, so ours is
 * configured): {@code hmac-sha256} expects the header to carry the lower- or upper-case hex HMAC-SHA256 of the raw
 * body, optionally prefixed {@code sha256=}; {@code token} expects the header to equal the secret. Several secrets
 * may be valid at once, for rotation. Comparisons take constant time.
 */
public final class SharedSecretVerifier {

    /** Supported schemes. */
    public enum Scheme {
        HMAC_SHA256, TOKEN;

        /** The scheme named in config ({@code hmac-sha256} or {@code token}). */
        public static Scheme of(final String name) {
            return "token".equals(name) ? TOKEN : HMAC_SHA256;
        }
    }

    private final Scheme scheme;
    private final List<byte[]> secrets;

    public SharedSecretVerifier(final Scheme scheme, final List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        this.scheme = scheme;
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether {@code header} (may be null) proves one of the secrets for {@code body}. */
    public boolean verify(final byte[] body, final String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        final String value = header.trim();
        boolean ok = false;
        for (final byte[] secret : secrets) {
            final byte[] expected = scheme == Scheme.TOKEN ? secret
                : HexFormat.of().formatHex(hmac(secret, body)).getBytes(StandardCharsets.US_ASCII);
            final String given = scheme == Scheme.TOKEN ? value : stripPrefix(value).toLowerCase(Locale.ROOT);
            ok |= MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** The header value for {@code body} under {@code secret} (for senders and tests). */
    public static String sign(final String secret, final byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static String stripPrefix(final String value) {
        return value.regionMatches(true, 0, "sha256=", 0, 7) ? value.substring(7) : value;
    }

    private static byte[] hmac(final byte[] secret, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
