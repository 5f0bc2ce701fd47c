package io.insidernetwork.api.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard page: {@code GET /dashboard} and its scripts under {@code /dashboard/assets/}, the chart and graph
 * library from its WebJar under {@code /webjars/}. No authentication (the page holds nothing secret: the API key is
 * typed into it and kept in the browser's session storage); everything it loads comes from this server.
 */
final class Dashboard {

    static final String PATH = "/dashboard";
    private static final String ASSETS = "/dashboard/assets";
    /** Only this server's scripts, styles set by the libraries, and the API calls of the page itself. */
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private Dashboard() {
    }

    /** Static assets: the page's own scripts and the WebJars on the classpath. */
    static void configure(final JavalinConfig cfg) {
        cfg.staticFiles.enableWebjars();
        cfg.staticFiles.add(files -> {
            files.hostedPath = ASSETS;
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
            files.headers = java.util.Map.of("Cache-Control", "no-cache", "Content-Security-Policy", POLICY,
                "X-Content-Type-Options", "nosniff");
        });
    }

    /** The page itself. */
    static void routes(final Javalin app) {
        final String page = read("/dashboard/index.html");
        app.get(PATH, ctx -> ctx.contentType("text/html; charset=utf-8")
            .header("Content-Security-Policy", POLICY)
            .header("X-Content-Type-Options", "nosniff")
            .header("Cache-Control", "no-cache")
            .result(page));
    }

    private static String read(final String resource) {
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
