package io.insidernetwork.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The seed's success envelope: {@code {success: true, data, message, pagination?, meta}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(boolean success, Object data, String message, Object pagination, Map<String, Object> meta) {

    /** A success without pagination. */
    public static Envelope ok(final Object data, final Map<String, Object> meta) {
        return new Envelope(true, data, "OK", null, meta);
    }

    /** A success page. */
    public static Envelope page(final Object data, final Object pagination, final Map<String, Object> meta) {
        return new Envelope(true, data, "OK", pagination, meta);
    }

    /** The error envelope {@code {success: false, error, meta}}. */
    public record Failure(boolean success, ApiError.Body error, Map<String, Object> meta) {
    }
}
