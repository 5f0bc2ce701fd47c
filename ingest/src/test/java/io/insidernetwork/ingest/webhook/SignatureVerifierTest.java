package io.insidernetwork.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The signature is over the raw body bytes, as Standard Webhooks senders compute it. */
class SignatureVerifierTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    private final SignatureVerifier verifier = new SignatureVerifier(List.of(OTHER, SECRET));

    /** A partner's signature: HMAC-SHA256 over "id.timestamp." followed by the raw bytes. */
    private static String sign(final String secret, final String id, final long timestamp, final byte[] body)
        throws Exception {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static Map<String, List<String>> headers(final String id, final long timestamp, final String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
            "webhook-signature", List.of(signature));
    }

    @Test
    void shouldAcceptWhenPartnerSignedTheRawBytesOfANonAsciiBody() throws Exception {
        final byte[] body = "{\"instance_id\":\"sku-\u00e9-\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
        final long now = Instant.now().getEpochSecond();
        assertThat(verifier.verify(body, headers("msg-1", now, sign(SECRET, "msg-1", now, body)))).isEmpty();
    }

    @Test
    void shouldAcceptWhenPartnerSignedTheRawBytesOfInvalidUtf8() throws Exception {
        final byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        final long now = Instant.now().getEpochSecond();
        assertThat(verifier.verify(body, headers("msg-2", now, "v1,bogus " + sign(SECRET, "msg-2", now, body))))
            .isEmpty();
    }

    @Test
    void shouldRejectWhenInvalidUtf8WasSignedOverTheReplacedText() throws Exception {
        final byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
        final byte[] replaced = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        final long now = Instant.now().getEpochSecond();
        assertThat(verifier.verify(body, headers("msg-3", now, sign(SECRET, "msg-3", now, replaced))))
            .hasValue("No matching signature found");
    }

    @Test
    void shouldRejectWhenInvalidUtf8IsSignedWithAnUnknownSecretOrTooOld() throws Exception {
        final byte[] body = {(byte) 0xFE};
        final long now = Instant.now().getEpochSecond();
        final String unknown = "whsec_dW5rbm93bi1zZWNyZXQtMTIzNDU2Nzg=";
        assertThat(verifier.verify(body, headers("m", now, sign(unknown, "m", now, body)))).isPresent();
        assertThat(verifier.verify(body, headers("m", now - 301, sign(SECRET, "m", now - 301, body)))).isPresent();
        assertThat(verifier.verify(body, Map.of())).hasValue("Missing required headers");
    }

    @Test
    void shouldRejectWhenValidBodyIsTamperedByOneByte() throws Exception {
        final byte[] body = "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        final long now = Instant.now().getEpochSecond();
        final String signature = sign(SECRET, "msg-4", now, body);
        body[6] = 'c';
        assertThat(verifier.verify(body, headers("msg-4", now, signature))).isPresent();
    }
}
