package io.insidernetwork.ingest.export.download;

import io.insidernetwork.ingest.export.receiver.LinkPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an export file as a stream (never read whole into memory). The HTTP client must not follow redirects: this
 * class follows at most {@value #MAX_REDIRECTS} and only to targets the {@link LinkPolicy} allows, so a link can
 * never lead the service to another host.
 */
public final class FileFetcher {

    private static final Logger log = LoggerFactory.getLogger(FileFetcher.class);
    private static final int MAX_REDIRECTS = 5;

    /** An open download; close it to release the connection. */
    public record Download(InputStream body, String contentType, boolean gzip) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private final HttpClient http;
    private final LinkPolicy policy;
    private final Duration timeout;

    /** {@code http} must be built with {@code HttpClient.Redirect.NEVER}. */
    public FileFetcher(final HttpClient http, final LinkPolicy policy, final Duration timeout) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the download client must not follow redirects by itself");
        }
        this.http = http;
        this.policy = policy;
        this.timeout = timeout;
    }

    /** Opens {@code uri}, following allowed redirects. */
    public Download open(final URI uri) throws DownloadException, InterruptedException {
        URI target = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            final HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            } catch (final IOException e) {
                throw DownloadException.retryable("download failed: " + e, e);
            }
            final int status = response.statusCode();
            if (status == 200) {
                final Optional<String> encoding = response.headers().firstValue("Content-Encoding");
                return new Download(response.body(), response.headers().firstValue("Content-Type").orElse(null),
                    encoding.map(e -> e.toLowerCase(java.util.Locale.ROOT).contains("gzip")).orElse(false));
            }
            closeQuietly(response.body());
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                final URI next = redirect(target, response);
                log.info("Export file redirects to host {}", next.getHost());
                target = next;
                continue;
            }
            if (status == 408 || status == 429 || status >= 500) {
                throw DownloadException.retryable("download answered " + status, null);
            }
            throw DownloadException.permanent("download answered " + status
                + (status == 403 || status == 410 ? " (link expired or not allowed)" : ""), null);
        }
        throw DownloadException.permanent("more than " + MAX_REDIRECTS + " redirects", null);
    }

    private URI redirect(final URI from, final HttpResponse<?> response) throws DownloadException {
        final String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
            throw DownloadException.permanent("redirect without Location", null);
        }
        final URI next;
        try {
            next = from.resolve(location.trim());
        } catch (final IllegalArgumentException e) {
            throw DownloadException.permanent("redirect to an invalid URL", e);
        }
        if (policy.checkTarget(next) instanceof LinkPolicy.Refused refused) {
            log.warn("Refused redirect of an export download: {}", refused.reason());
            throw DownloadException.permanent("redirect refused: " + refused.reason(), null);
        }
        return next;
    }

    private static void closeQuietly(final InputStream body) {
        try {
            body.close();
        } catch (final IOException e) {
            log.debug("Closing a response body failed", e);
        }
    }
}
