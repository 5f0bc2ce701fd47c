package io.insidernetwork.api.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Query-parameter parsing with the seed's 400 messages. */
final class Params {

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
}
