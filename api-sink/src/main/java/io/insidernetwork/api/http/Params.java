package io.insidernetwork.api.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parameter parsing with the seed's 400 messages; every failure names the parameter at fault. */
final class Params {

    // 8-4-4-4-12 hex: the seed's own example id has no RFC 4122 version bits, so they are not checked (SPEC A.5.18)
    private static final Pattern UUID = Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Params() {
    }

    /** An integer parameter within [min, max], or {@code fallback} when absent. */
    static int intIn(final Context ctx, final String name, final int fallback, final int min, final int max,
                     final String error) {
        final String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw ApiError.badRequest(name, error);
            }
            return value;
        } catch (final NumberFormatException e) {
            throw ApiError.badRequest(name, error);
        }
    }

    /** A non-negative long parameter, if present. */
    static Optional<Long> optionalLong(final Context ctx, final String name, final String error) {
        final String raw = ctx.queryParam(name);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            final long value = Long.parseLong(raw.trim());
            if (value < 0) {
                throw ApiError.badRequest(name, error);
            }
            return Optional.of(value);
        } catch (final NumberFormatException e) {
            throw ApiError.badRequest(name, error);
        }
    }

    /** An ISO-8601 instant with offset. */
    static Instant instant(final String raw, final String name, final String error) {
        try {
            return OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (final DateTimeParseException e) {
            throw ApiError.badRequest(name, error);
        }
    }

    /** An optional ISO-8601 query parameter. */
    static Optional<Instant> optionalInstant(final Context ctx, final String name, final String error) {
        final String raw = ctx.queryParam(name);
        return raw == null ? Optional.empty() : Optional.of(instant(raw, name, error));
    }

    /** One of {@code allowed}, or {@code fallback} when absent. */
    static String oneOf(final Context ctx, final String name, final String fallback, final String error,
                        final String... allowed) {
        final String raw = ctx.queryParam(name);
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

    /** The {@code insider_id} path parameter, validated. */
    static String insiderId(final Context ctx) {
        final String id = ctx.pathParam("insider_id");
        if (!UUID.matcher(id).matches()) {
            throw ApiError.badRequest("insider_id", "Invalid UUID format for insider_id");
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    /** ISO-8601 UTC text of epoch millis, or null. */
    static String iso(final Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    /** ISO-8601 UTC text of an instant, or null. */
    static String iso(final Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
