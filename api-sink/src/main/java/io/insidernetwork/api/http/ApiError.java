package io.insidernetwork.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An error answer in the seed's envelope: HTTP status plus {@code error {code, message, details, ...}}. Messages are
 * the seed's defaults; {@code details} carries the specific case.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The {@code error} object of the envelope. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String code, String message, String details,
                       @JsonProperty("validation_errors") List<FieldError> validationErrors,
                       @JsonProperty("retry_after") Integer retryAfter,
                       @JsonProperty("request_id") String requestId) {
    }

    /** One parameter at fault. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, String code) {
    }

    private final int status;
    private final transient Body body;

    private ApiError(final int status, final Body body) {
        super(body.code() + ": " + body.details(), null, false, false);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public Body body() {
        return body;
    }

    /** 400 with the parameter at fault. */
    public static ApiError badRequest(final String field, final String details) {
        return new ApiError(400, new Body("BAD_REQUEST", "Invalid request parameters.", details,
            List.of(new FieldError(field, details, null)), null, null));
    }

    /** 401. */
    public static ApiError unauthorized() {
        return new ApiError(401, new Body("UNAUTHORIZED", "Authentication required. Please provide a valid API key.",
            "missing or unknown API key", null, null, null));
    }

    /** 404 with the specific case. */
    public static ApiError notFound(final String message, final String details) {
        return new ApiError(404, new Body("NOT_FOUND", message, details, null, null, null));
    }

    /** 422 with the parameter at fault. */
    public static ApiError unprocessable(final String field, final String details, final String code) {
        return new ApiError(422, new Body("VALIDATION_ERROR", "Request validation failed.", details,
            List.of(new FieldError(field, details, code)), null, null));
    }

    /** 429. */
    public static ApiError rateLimited(final int retryAfterSeconds) {
        return new ApiError(429, new Body("RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Please retry after some time.",
            "too many requests for this API key", null, retryAfterSeconds, null));
    }

    /** 429: the key (or this instance) has as many live-feed streams open as allowed. */
    public static ApiError tooManyStreams(final int retryAfterSeconds) {
        return new ApiError(429, new Body("RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Please retry after some time.",
            "too many open live-feed streams for this API key or instance", null, retryAfterSeconds, null));
    }

    /** 500, naming only the request id. */
    public static ApiError internal(final String requestId) {
        return new ApiError(500, new Body("INTERNAL_SERVER_ERROR",
            "An unexpected error occurred. Please try again later.", "quote request_id " + requestId
            + " when asking for support", null, null, requestId));
    }

    /**
     * Any status Jetty answers by itself (malformed request line, URI too long, headers too large ...); a 4xx names
     * the part of the request at fault ({@code request_line}, {@code path}, {@code uri}, {@code headers}).
     */
    public static ApiError ofStatus(final int status, final String field) {
        final String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            case 500 -> "INTERNAL_SERVER_ERROR";
            case 501 -> "NOT_IMPLEMENTED";
            case 503 -> "SERVICE_UNAVAILABLE";
            case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
            default -> "HTTP_ERROR";
        };
        final String message = switch (status) {
            case 400 -> "Invalid request parameters.";
            case 414 -> "Request URI too long.";
            case 431 -> "Request header fields too large.";
            default -> status >= 500 ? "An unexpected error occurred. Please try again later."
                : "The request could not be processed.";
        };
        final String details = switch (status) {
            case 400 -> "the " + field.replace('_', ' ') + " is malformed (control characters, raw spaces, invalid "
                + "UTF-8 or percent-encoding)";
            case 414 -> "the request line is longer than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            default -> "HTTP " + status;
        };
        final List<FieldError> fields = status < 500 ? List.of(new FieldError(field, details, null)) : null;
        return new ApiError(status, new Body(code, message, details, fields, null, null));
    }

    /** 502. */
    public static ApiError badGateway(final String details) {
        return new ApiError(502, new Body("BAD_GATEWAY", "Upstream service unavailable.", details, null, null, null));
    }

    /** 503 with Retry-After. */
    public static ApiError unavailable(final int retryAfterSeconds, final String details) {
        return new ApiError(503, new Body("SERVICE_UNAVAILABLE", "Service temporarily unavailable. Please retry later.",
            details, null, retryAfterSeconds, null));
    }

    /** 504. */
    public static ApiError gatewayTimeout(final String details) {
        return new ApiError(504, new Body("GATEWAY_TIMEOUT", "Request timeout. Please try again.", details, null, null,
            null));
    }
}
