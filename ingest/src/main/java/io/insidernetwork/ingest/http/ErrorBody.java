package io.insidernetwork.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The error envelope of the seed API, used by every ingest endpoint: {@code {success:false, error:{...}, meta}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(boolean success, Error error, Map<String, Object> meta) {

    /** The {@code error} object. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String code, String message, String details,
                        @com.fasterxml.jackson.annotation.JsonProperty("validation_errors")
                        List<FieldError> validationErrors,
                        @com.fasterxml.jackson.annotation.JsonProperty("retry_after") Integer retryAfter,
                        @com.fasterxml.jackson.annotation.JsonProperty("request_id") String requestId) {
    }

    /** One field at fault. */
    public record FieldError(String field, String message) {
    }

    public static ErrorBody badRequest(final String field, final String message) {
        return new ErrorBody(false, new Error("BAD_REQUEST", "Invalid request parameters.", message,
            List.of(new FieldError(field, message)), null, null), Map.of());
    }

    public static ErrorBody unauthorized(final String details) {
        return new ErrorBody(false, new Error("UNAUTHORIZED",
            "Authentication required. Please provide a valid webhook signature.", details, null, null, null), Map.of());
    }

    public static ErrorBody conflict(final String details) {
        return new ErrorBody(false, new Error("CONFLICT", "Request conflicts with current resource state.", details,
            null, null, null), Map.of());
    }

    public static ErrorBody tooLarge(final int maxBytes) {
        return new ErrorBody(false, new Error("PAYLOAD_TOO_LARGE", "Request body too large.",
            "at most " + maxBytes + " bytes", null, null, null), Map.of());
    }

    public static ErrorBody unavailable(final int retryAfterSeconds, final String details) {
        return new ErrorBody(false, new Error("SERVICE_UNAVAILABLE",
            "Service temporarily unavailable. Please retry later.", details, null, retryAfterSeconds, null), Map.of());
    }

    public static ErrorBody internal(final String requestId) {
        return new ErrorBody(false, new Error("INTERNAL_SERVER_ERROR",
            "An unexpected error occurred. Please try again later.", "see server logs for " + requestId, null, null,
            requestId), Map.of());
    }

    /**
     * The envelope of an answer the HTTP server gives on its own (a request it cannot parse or route): 400 names the
     * request as the field at fault; statuses the seed does not list carry a code made of {@code reasonPhrase}
     * (505 "HTTP Version Not Supported" gives HTTP_VERSION_NOT_SUPPORTED).
     */
    public static ErrorBody ofStatus(final int status, final String reasonPhrase, final String details) {
        return switch (status) {
            case 400 -> badRequest("request", details);
            case 404 -> new ErrorBody(false, new Error("NOT_FOUND", "Resource not found.", details, null, null, null),
                Map.of());
            case 405 -> new ErrorBody(false, new Error("METHOD_NOT_ALLOWED", "Method not allowed.", details, null,
                null, null), Map.of());
            case 413 -> new ErrorBody(false, new Error("PAYLOAD_TOO_LARGE", "Request body too large.", details, null,
                null, null), Map.of());
            case 414 -> new ErrorBody(false, new Error("URI_TOO_LONG", "Request URI too long.", details,
                List.of(new FieldError("uri", details)), null, null), Map.of());
            case 431 -> new ErrorBody(false, new Error("REQUEST_HEADER_FIELDS_TOO_LARGE",
                "Request header fields too large.", details, List.of(new FieldError("headers", details)), null,
                null), Map.of());
            case 500 -> internal("server-" + Integer.toHexString((int) System.nanoTime()));
            case 503 -> unavailable(5, details);
            default -> new ErrorBody(false, new Error(
                reasonPhrase.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_"), reasonPhrase + ".",
                details, null, null, null), Map.of());
        };
    }

    public static ErrorBody notFound() {
        return new ErrorBody(false, new Error("NOT_FOUND", "Resource not found.", "no such route", null, null, null),
            Map.of());
    }
}
