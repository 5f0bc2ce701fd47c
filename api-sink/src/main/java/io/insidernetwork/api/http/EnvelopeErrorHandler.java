package io.insidernetwork.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's own answers (a request line or URI it cannot parse, a URI over the header buffer, headers too large, an
 * ambiguous path) in the seed's error envelope instead of Jetty's HTML page, with the status Jetty chose.
 */
final class EnvelopeErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(EnvelopeErrorHandler.class);
    private static final ObjectMapper JSON = ApiServer.json();
    private static final String CONTENT_TYPE = "application/json";

    EnvelopeErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
        setShowMessageInTitle(false);
    }

    /** Errors found while parsing, before any request exists (400, 414, 431 ...). */
    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        log.debug("Bad message {}: {}", status, reason);
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE));
        return ByteBuffer.wrap(body(status, field(status, reason, "request_line")));
    }

    /** Errors of a parsed request that never reached the API's handlers (ambiguous path, bad encoding ...). */
    @Override
    protected void generateAcceptableResponse(final Request baseRequest, final HttpServletRequest request,
                                              final HttpServletResponse response, final int code,
                                              final String message) throws IOException {
        log.debug("Jetty answered {} {}: {}", code, request.getRequestURI(), message);
        baseRequest.setHandled(true);
        response.setContentType(CONTENT_TYPE);
        final byte[] body = body(code, field(code, message, "path"));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @Override
    public boolean errorPageForMethod(final String method) {
        return true;
    }

    /** The part of the request at fault, from Jetty's status and reason. */
    static String field(final int status, final String reason, final String fallback) {
        final String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (status == 431 || r.contains("header")) {
            return "headers";
        }
        if (status == 414) {
            return "uri";
        }
        return fallback;
    }

    /** The envelope of {@code status}; its message never repeats what the client sent. */
    static byte[] body(final int status, final String field) {
        final String requestId = UUID.randomUUID().toString();
        try {
            return JSON.writeValueAsBytes(new Envelope.Failure(false, ApiError.ofStatus(status, field).body(),
                Map.of("request_id", requestId)));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an error envelope", e);
        }
    }
}
