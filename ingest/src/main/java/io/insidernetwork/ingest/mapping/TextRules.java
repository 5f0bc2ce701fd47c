package io.insidernetwork.ingest.mapping;

/**
 * The one check of text fields on every path into ingest (webhooks, polled InsightIQ records, export rows): ids,
 * handles, fingerprints, instances, platforms, campaigns, orders, currencies and stores must not hold a control
 * character (Unicode category Cc: U+0000 to U+001F and U+007F to U+009F) or a lone surrogate. Downstream keys are
 * built from these fields, and a control character can be read there as a separator.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Null when {@code value} (never null) is acceptable; otherwise what is wrong with it, naming the position. */
    public static String problem(final String value) {
        final int length = value.length();
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                return "must not contain control character U+" + String.format("%04X", (int) c) + " (at index "
                    + i + ")";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain a lone surrogate (at index " + i + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain a lone surrogate (at index " + i + ")";
            }
        }
        return null;
    }

    /**
     * Null when {@code value} (never null) holds no lone surrogate; otherwise what is wrong. For free text (captions,
     * export params), where control characters such as newlines are data: a lone surrogate cannot be encoded as
     * UTF-8, so Avro would silently store '?' instead of what was accepted.
     */
    public static String surrogateProblem(final String value) {
        final int length = value.length();
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain a lone surrogate (at index " + i + ")";
            }
        }
        return null;
    }

    /** Whether {@code value} (never null) passes {@link #problem}. */
    public static boolean isClean(final String value) {
        return problem(value) == null;
    }

    /** Returns {@code value} (may be null) when it holds no lone surrogate; otherwise fails naming {@code field}. */
    public static String checkSurrogates(final String field, final String value) throws InvalidFieldException {
        if (value != null) {
            final String problem = surrogateProblem(value);
            if (problem != null) {
                throw new InvalidFieldException(field, problem);
            }
        }
        return value;
    }

    /** Returns {@code value} (may be null) when clean; otherwise fails naming {@code field}. */
    public static String check(final String field, final String value) throws InvalidFieldException {
        if (value != null) {
            final String problem = problem(value);
            if (problem != null) {
                throw new InvalidFieldException(field, problem);
            }
        }
        return value;
    }
}
