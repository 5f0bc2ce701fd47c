package io.insidernetwork.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Marks calls between api-sink instances: internal calls and forwarded requests carry {@link #HEADER} with a token
 * derived from the shared secret. An instance answers internal calls only with it, and never forwards a request that
 * carries it again (one hop at most).
 */
public final class PeerAuth {

    /** Header of instance-to-instance calls. */
    public static final String HEADER = "X-Api-Forwarded";

    private final String token;

    public PeerAuth(final String secret) {
        this.token = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(Hmac.sign(Hmac.derive(secret, "peer"), "api-sink peer".getBytes(StandardCharsets.UTF_8)));
    }

    /** The header value peers send. */
    public String token() {
        return token;
    }

    /** Whether {@code value} is a valid peer token. */
    public boolean valid(final String value) {
        return value != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8));
    }
}
