package io.insidernetwork.ingest.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON reading of untrusted input: a duplicate key at any level, a second document or anything after the JSON
 * value fails instead of silently keeping one part ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION},
 * {@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS}); and strict UTF-8 decoding of raw bodies.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** A mapper whose reads are strict; its writes are plain Jackson. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    }

    /** A reader of {@code mapper} (whatever its own settings) with the strict features on. */
    public static ObjectReader reader(final ObjectMapper mapper) {
        return mapper.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /**
     * {@code raw} decoded as UTF-8 with malformed and unmappable input reported, never replaced.
     *
     * @throws CharacterCodingException when {@code raw} is not valid UTF-8
     */
    public static String utf8(final byte[] raw) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(raw))
            .toString();
    }
}
