package io.insidernetwork.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque, tamper-evident cursors and tokens: {@code base64url(json) "." base64url(HMAC-SHA256(json))}. Any change
 * to either part makes {@link #decode} empty, which the API answers with 400.
 */
public final class TokenCodec {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] key;
    private final ObjectMapper json;

    public TokenCodec(final String secret, final ObjectMapper json) {
        this.key = Hmac.derive(secret, "cursor");
        this.json = json;
    }

    /** The token of {@code payload}. */
    public String encode(final ObjectNode payload) {
        try {
            final byte[] body = json.writeValueAsBytes(payload);
            return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(Hmac.sign(key, body));
        } catch (final IOException e) {
            throw new IllegalStateException("cannot encode a token", e);
        }
    }

    /** A new payload object. */
    public ObjectNode payload() {
        return json.createObjectNode();
    }

    /** The payload, or empty when the token is malformed or was not signed with this secret. */
    public Optional<JsonNode> decode(final String token) {
        if (token == null) {
            return Optional.empty();
        }
        final int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        try {
            final byte[] body = DECODER.decode(token.substring(0, dot));
            final byte[] mac = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, Hmac.sign(key, body))) {
                return Optional.empty();
            }
            final JsonNode node = json.readTree(new String(body, StandardCharsets.UTF_8));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (final IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
