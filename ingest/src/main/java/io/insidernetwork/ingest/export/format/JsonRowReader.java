package io.insidernetwork.ingest.export.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.insidernetwork.ingest.mapping.StrictJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a JSON export, either one JSON array of row objects or JSON lines (one object per line), told apart by the
 * first non-blank character. In JSON lines a bad line is a broken row and the file goes on; in an array a syntax
 * error ends the file (fatal broken row), an element that is not an object is a broken row. Reading is strict: a
 * line with trailing content, or a row with a duplicate key at any level, is a broken row.
 */
public final class JsonRowReader implements RowReader {

    /** Strict: a row with a duplicate key or trailing content is broken, never read as one of its parts. */
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final int MAX_RAW = 4_096;

    private final BufferedReader lines;
    private final JsonParser array;
    private long number;
    private boolean done;

    public JsonRowReader(final InputStream in) throws IOException {
        final PushbackReader reader = new PushbackReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1);
        int first = reader.read();
        while (first != -1 && Character.isWhitespace(first)) {
            first = reader.read();
        }
        if (first == -1) {
            lines = null;
            array = null;
            done = true;
            return;
        }
        reader.unread(first);
        if (first == '[') {
            array = JSON.getFactory().createParser(reader);
            // Duplicates are found per element, on its buffered tokens (nextElement), so that one breaks one row.
            array.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            array.nextToken();
            lines = null;
        } else {
            lines = new BufferedReader(reader, 64 * 1024);
            array = null;
        }
    }

    @Override
    public RowResult next() throws IOException {
        if (done) {
            return null;
        }
        return array != null ? nextElement() : nextLine();
    }

    private RowResult nextLine() throws IOException {
        String line = lines.readLine();
        while (line != null && line.isBlank()) {
            line = lines.readLine();
        }
        if (line == null) {
            done = true;
            return null;
        }
        number++;
        final JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (final JsonProcessingException e) {
            return new RowResult.Broken(number, "invalid JSON: " + e.getOriginalMessage(), raw(line), false);
        }
        if (node == null || !node.isObject()) {
            return new RowResult.Broken(number, "is not a JSON object", raw(line), false);
        }
        return new RowResult.Row(number, Flattener.flatten(node));
    }

    private RowResult nextElement() throws IOException {
        try {
            final JsonToken token = array.nextToken();
            if (token == null || token == JsonToken.END_ARRAY) {
                done = true;
                return null;
            }
            number++;
            // The element is buffered as tokens, then read strictly: a duplicate key breaks this row only, the
            // parser stays at the element's end and the file goes on.
            final TokenBuffer element = new TokenBuffer(array);
            element.copyCurrentStructure(array);
            final JsonNode node;
            try (JsonParser tokens = element.asParser()) {
                node = JSON.readTree(tokens);
            } catch (final JsonProcessingException e) {
                return new RowResult.Broken(number, "invalid JSON: " + e.getOriginalMessage(), "", false);
            }
            if (node == null || !node.isObject()) {
                return new RowResult.Broken(number, "is not a JSON object", raw(String.valueOf(node)), false);
            }
            return new RowResult.Row(number, Flattener.flatten(node));
        } catch (final JsonProcessingException e) {
            done = true;
            return new RowResult.Broken(number, "invalid JSON, the rest of the file cannot be read: "
                + e.getOriginalMessage(), "", true);
        }
    }

    private static String raw(final String text) {
        return text.length() > MAX_RAW ? text.substring(0, MAX_RAW) : text;
    }

    @Override
    public void close() throws IOException {
        if (array != null) {
            array.close();
        }
        if (lines != null) {
            lines.close();
        }
    }
}
