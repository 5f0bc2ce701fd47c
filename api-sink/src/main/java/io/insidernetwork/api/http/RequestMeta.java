package io.insidernetwork.api.http;

import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;

/** The {@code meta} object of every answer: the request id, also sent as X-Request-Id. */
final class RequestMeta {

    static final String ATTRIBUTE = "request_id";

    private RequestMeta() {
    }

    /** Assigns the request its id (kept when a forwarding instance already set one). */
    static void assign(final Context ctx) {
        final String incoming = ctx.header("X-Request-Id");
        final String id = incoming != null && incoming.matches("[A-Za-z0-9-]{8,64}") ? incoming
            : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        org.slf4j.MDC.put("request_id", id);
        ctx.header("X-Request-Id", id);
    }

    /** The request's id. */
    static String id(final Context ctx) {
        final String id = ctx.attribute(ATTRIBUTE);
        return id == null ? UUID.randomUUID().toString() : id;
    }

    static Map<String, Object> of(final Context ctx) {
        return Map.of("request_id", id(ctx));
    }
}
