package io.insidernetwork.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.insidernetwork.api.auth.TokenCodec;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import java.util.Optional;

/**
 * The signed cursors of the live feed: a position (continue strictly after that entry) or, for a stream that was
 * sent nothing yet, its {@code since} (continue with entries at or after that time).
 */
final class StreamCursors {

    private static final String KIND = "stream";

    private final TokenCodec tokens;

    StreamCursors(final TokenCodec tokens) {
        this.tokens = tokens;
    }

    String encode(final StreamBound bound) {
        final ObjectNode payload = tokens.payload();
        payload.put("k", KIND);
        bound.after().ifPresentOrElse(p -> {
            payload.put("at", p.updatedAt());
            payload.put("id", p.insiderId());
            payload.put("off", p.offset());
        }, () -> payload.put("since", bound.since()));
        return tokens.encode(payload);
    }

    /** The place a cursor names, or empty when it is malformed, tampered with or not a live-feed cursor. */
    Optional<StreamBound> decode(final String raw) {
        return tokens.decode(raw).flatMap(StreamCursors::bound);
    }

    private static Optional<StreamBound> bound(final JsonNode p) {
        if (!KIND.equals(p.path("k").asText())) {
            return Optional.empty();
        }
        if (p.path("since").canConvertToLong() && p.path("since").isIntegralNumber()) {
            return Optional.of(StreamBound.since(p.path("since").asLong()));
        }
        final boolean position = p.path("at").isIntegralNumber() && p.path("at").canConvertToLong()
            && p.path("id").isTextual() && p.path("off").isIntegralNumber() && p.path("off").canConvertToLong();
        return position ? Optional.of(StreamBound.after(new UpdatePosition(p.path("at").asLong(),
            p.path("id").asText(), p.path("off").asLong()))) : Optional.empty();
    }
}
