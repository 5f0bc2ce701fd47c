package io.insidernetwork.api.http;

import io.insidernetwork.api.auth.ApiKey;
import io.javalin.http.Context;

/**
 * The authenticated caller of a request and whether it came from another instance (then it is not forwarded again).
 */
record Caller(ApiKey key, boolean forwarded) {

    static final String ATTRIBUTE = "api-caller";

    static Caller of(final Context ctx) {
        final Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return caller;
    }
}
