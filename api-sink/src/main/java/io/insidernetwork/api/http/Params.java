package io.insidernetwork.api.http;

import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parameter parsing with the seed's 400 messages; every failure names the parameter at fault. Numbers are ASCII
 * digits only (no sign, no spaces, no other scripts' digits); timestamps are ISO-8601 with an offset and must lie in
 * {@link #MIN_INSTANT}..{@link #MAX_INSTANT}, so no later arithmetic on them can overflow. Every parser works on
 * the raw text (null when absent) so that the fuzz tests drive the same code the handlers run.
 */
final class Params {

    /** Earliest accepted timestamp (inclusive). */
    static final Instant MIN_INSTANT = Instant.parse("1970-01-01T00:00:00Z");
    /** Latest accepted timestamp (inclusive). */
    static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");
    /** Appended to a timestamp parameter's message when it parses but lies outside the supported range. */
    static final String RANGE_SUFFIX = " (supported range 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z)";

    // 8-4-4-4-12 hex: the seed's own example id has no RFC 4122 version bits, so they are not checked (SPEC A.5.18)
    private static final Pattern UUID = Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    // at most 18 digits: every such number fits a long
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    // longest text a timestamp parameter may have (longer is never a valid ISO-8601 instant with offset)
    private static final int MAX_TIMESTAMP_LENGTH = 64;

    private Params() {
    }

    /** Query parameters by name (null when absent). */
    static Function<String, String> query(final Context ctx) {
        return ctx::queryParam;
    }

    /** Whether {@code raw} is a UUID-shaped insider id. */
    static boolean isUuid(final String raw) {
        return raw != null && UUID.matcher(raw).matches();
    }

    /** A non-negative number of ASCII digits (at most 18), or 400 naming {@code name}. */
    static long digits(final String raw, final String name, final String error) {
        if (raw == null || !DIGITS.matcher(raw).matches()) {
            throw ApiError.badRequest(name, error);
        }
        return Long.parseLong(raw);
    }

    /** An integer parameter within [min, max], or {@code fallback} when absent. */
    static int intIn(final String raw, final String name, final int fallback, final int min, final int max,
                     final String error) {
        if (raw == null) {
            return fallback;
        }
        final long value = digits(raw, name, error);
        if (value < min || value > max) {
            throw ApiError.badRequest(name, error);
        }
        return (int) value;
    }

    /** An integer query parameter within [min, max], or {@code fallback} when absent. */
    static int intIn(final Context ctx, final String name, final int fallback, final int min, final int max,
                     final String error) {
        return intIn(ctx.queryParam(name), name, fallback, min, max, error);
    }

    /** A non-negative long parameter, if present. */
    static Optional<Long> optionalLong(final String raw, final String name, final String error) {
        return raw == null ? Optional.empty() : Optional.of(digits(raw, name, error));
    }

    /** An ISO-8601 instant with offset within the supported range. */
    static Instant instant(final String raw, final String name, final String error) {
        if (raw == null || raw.length() > MAX_TIMESTAMP_LENGTH) {
            throw ApiError.badRequest(name, error);
        }
        final Instant parsed;
        try {
            parsed = OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (final DateTimeException e) {
            throw ApiError.badRequest(name, error);
        }
        if (parsed.isBefore(MIN_INSTANT) || parsed.isAfter(MAX_INSTANT)) {
            throw ApiError.badRequest(name, error + RANGE_SUFFIX);
        }
        return parsed;
    }

    /** An optional ISO-8601 parameter. */
    static Optional<Instant> optionalInstant(final String raw, final String name, final String error) {
        return raw == null ? Optional.empty() : Optional.of(instant(raw, name, error));
    }

    /** An optional ISO-8601 query parameter. */
    static Optional<Instant> optionalInstant(final Context ctx, final String name, final String error) {
        return optionalInstant(ctx.queryParam(name), name, error);
    }

    /** One of {@code allowed}, or {@code fallback} when absent. */
    static String oneOf(final String raw, final String name, final String fallback, final String error,
                        final String... allowed) {
        if (raw == null) {
            return fallback;
        }
        for (final String a : allowed) {
            if (a.equals(raw)) {
                return a;
            }
        }
        throw ApiError.badRequest(name, error);
    }

    /** One of {@code allowed} as query parameter {@code name}, or {@code fallback} when absent. */
    static String oneOf(final Context ctx, final String name, final String fallback, final String error,
                        final String... allowed) {
        return oneOf(ctx.queryParam(name), name, fallback, error, allowed);
    }

    /** An insider id, validated and lower-cased. */
    static String insiderId(final String raw) {
        if (!isUuid(raw)) {
            throw ApiError.badRequest("insider_id", "Invalid UUID format for insider_id");
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    /** The {@code insider_id} path parameter, validated. */
    static String insiderId(final Context ctx) {
        return insiderId(ctx.pathParam("insider_id"));
    }

    /** ISO-8601 UTC text of epoch millis, or null. */
    static String iso(final Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    /** ISO-8601 UTC text of an instant, or null. */
    static String iso(final Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** ISO-8601 of {@code instant}, or of {@code otherwise} when there is none (a value unchanged since then). */
    static String isoOr(final Instant instant, final Instant otherwise) {
        return iso(instant == null ? otherwise : instant);
    }

    /** ISO-8601 of {@code millis}, or of {@code otherwise} when there is none. */
    static String isoOr(final Long millis, final long otherwise) {
        return iso(millis == null ? otherwise : millis);
    }
}
