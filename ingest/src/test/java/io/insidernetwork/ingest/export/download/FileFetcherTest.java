package io.insidernetwork.ingest.export.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.insidernetwork.ingest.export.receiver.LinkPolicy;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redirects are followed only to allowed hosts; the other host must never be contacted. */
class FileFetcherTest {

    private Javalin allowed;
    private Javalin other;
    private final AtomicInteger otherHits = new AtomicInteger();
    private FileFetcher fetcher;

    @BeforeEach
    void start() {
        other = Javalin.create(cfg -> cfg.showJavalinBanner = false)
            .get("/*", ctx -> otherHits.incrementAndGet()).start("127.0.0.1", 0);
        allowed = Javalin.create(cfg -> cfg.showJavalinBanner = false)
            .get("/mybrand/p/away.csv", ctx -> ctx.redirect("http://127.0.0.1:" + other.port() + "/loot"))
            .get("/mybrand/p/moved.csv", ctx -> ctx.redirect("/mybrand/p/data.csv"))
            .get("/mybrand/p/data.csv", ctx -> ctx.contentType("text/csv").result("a,b\n1,2\n"))
            .get("/mybrand/p/gone.csv", ctx -> ctx.status(403))
            .get("/mybrand/p/busy.csv", ctx -> ctx.status(503))
            .start("127.0.0.1", 0);
        fetcher = new FileFetcher(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(),
            new LinkPolicy(List.of("127.0.0.1:" + allowed.port()), true, Set.of()), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        allowed.stop();
        other.stop();
    }

    private URI uri(final String file) {
        return URI.create("http://127.0.0.1:" + allowed.port() + "/mybrand/p/" + file);
    }

    @Test
    void shouldRefuseRedirectWithoutContactingTargetWhenHostIsNotAllowed() {
        assertThatThrownBy(() -> fetcher.open(uri("away.csv"))).isInstanceOfSatisfying(DownloadException.class,
            e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("redirect refused");
        assertThat(otherHits).hasValue(0);
    }

    @Test
    void shouldFollowRedirectWhenTargetIsAllowed() throws Exception {
        try (FileFetcher.Download download = fetcher.open(uri("moved.csv"))) {
            assertThat(new String(download.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
            assertThat(download.contentType()).startsWith("text/csv");
        }
    }

    @Test
    void shouldClassifyAnswersWhenFileIsGoneOrServerBusy() {
        assertThatThrownBy(() -> fetcher.open(uri("gone.csv"))).isInstanceOfSatisfying(DownloadException.class,
            e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> fetcher.open(uri("busy.csv"))).isInstanceOfSatisfying(DownloadException.class,
            e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void shouldRefuseClientWhenItFollowsRedirectsItself() {
        assertThatThrownBy(() -> new FileFetcher(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .build(), new LinkPolicy(List.of("x"), false, Set.of()), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
