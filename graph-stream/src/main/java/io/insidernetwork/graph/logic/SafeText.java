package io.insidernetwork.graph.logic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The rule for every text that may become part of a store key or an index entry: no control character (Unicode
 * category Cc, U+0000–U+001F and U+007F–U+009F) and no lone surrogate. Store keys join their parts with U+0001, so a
 * text with a control character could be read as another field; a lone surrogate does not survive UTF-8 encoding
 * (it becomes '?'), so two different texts would share a key.
 */
public final class SafeText {

    private SafeText() {
    }

    /** Index of the first forbidden character of {@code text}, or -1 when it has none (or is null). */
    public static int firstForbidden(final String text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code text} has no forbidden character. */
    public static boolean isSafe(final String text) {
        return firstForbidden(text) < 0;
    }

    /** "field: contains U+0001 at index 3" when {@code text} has a forbidden character; empty otherwise. */
    public static Optional<String> problem(final String field, final String text) {
        final int at = firstForbidden(text);
        if (at < 0) {
            return Optional.empty();
        }
        final char c = text.charAt(at);
        final String what = Character.isSurrogate(c) ? "a lone surrogate" : "a control character";
        return Optional.of(String.format("%s: contains %s (U+%04X at index %d)", field, what, (int) c, at));
    }

    /**
     * The first text field of {@code record} (nested records, arrays and maps included) with a forbidden character,
     * as a problem naming its path ("payload.recipients[2]: contains ..."); empty when every text is safe.
     */
    public static Optional<String> firstProblem(final IndexedRecord record, final String prefix) {
        for (final Schema.Field field : record.getSchema().getFields()) {
            final Optional<String> problem = problemIn(prefix + field.name(), record.get(field.pos()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** The first text field of {@code record} longer than {@code max} characters, as a problem naming its path. */
    public static Optional<String> firstLongerThan(final IndexedRecord record, final String prefix, final int max) {
        for (final Schema.Field field : record.getSchema().getFields()) {
            final Optional<String> problem = longerIn(prefix + field.name(), record.get(field.pos()), max);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> longerIn(final String path, final Object value, final int max) {
        if (value instanceof CharSequence text) {
            return text.length() > max ? Optional.of(path + ": longer than " + max + " characters") : Optional.empty();
        }
        if (value instanceof IndexedRecord nested) {
            return firstLongerThan(nested, path + ".", max);
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                final Optional<String> problem = longerIn(path + "[" + i + "]", list.get(i), max);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problemIn(final String path, final Object value) {
        if (value instanceof CharSequence text) {
            return problem(path, text.toString());
        }
        if (value instanceof IndexedRecord nested) {
            return firstProblem(nested, path + ".");
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                final Optional<String> problem = problemIn(path + "[" + i + "]", list.get(i));
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                final Optional<String> problem = problemIn(path + "{key}", entry.getKey())
                    .or(() -> problemIn(path + "{" + entry.getKey() + "}", entry.getValue()));
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }
}
