package io.insidernetwork.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own answers in the seed's JSON envelope instead of its HTML page: requests rejected while parsing (bad
 * request line, invalid UTF-8 or {@code %00} in the URI, 414 URI too long, 431 headers too large) through
 * {@link #badMessageError}, and errors raised before a route runs through {@link #handle}. The details are Jetty's
 * fixed reason phrases, never the request's content.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final String JSON = "application/json";
    private static final int MAX_DETAILS = 200;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    public void handle(final String target, final Request baseRequest, final HttpServletRequest request,
                       final HttpServletResponse response) throws IOException {
        baseRequest.setHandled(true);
        final Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        final byte[] body = body(response.getStatus(), message == null ? null : message.toString());
        response.setContentType(JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] body(final int status, final String reason) {
        String details = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        if (details.length() > MAX_DETAILS) {
            details = details.substring(0, MAX_DETAILS);
        }
        try {
            return json.writeValueAsBytes(ErrorBody.ofStatus(status, HttpStatus.getMessage(status), details));
        } catch (final JsonProcessingException e) {
            return ("{\"success\":false,\"error\":{\"code\":\"INTERNAL_SERVER_ERROR\"},\"meta\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        }
    }
}
