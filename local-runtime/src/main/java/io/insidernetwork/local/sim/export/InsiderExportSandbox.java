package io.insidernetwork.local.sim.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Insider raw-data export server: accepts {@code POST /api/raw/v1/export} with the seed's headers and body,
 * answers as the seed does (400 Empty Partner / Empty Token, 403 Authentication Failed, 429 on a second request the
 * same UTC day, also across restarts: the days are kept in {@code requested-days.txt} of its file folder), then writes
 * a file of the requested window's events (CSV, JSON or Parquet, as requested), serves it at
 * {@code /{partner}/p/{file}} and calls the request's {@code hook} with {@code {"url": ...}}. Every row lies in the
 * requested window, and the same window always yields the same rows with the same event and order ids (the rows are
 * drawn from a generator seeded by the sandbox's seed and the window).
 */
public final class InsiderExportSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InsiderExportSandbox.class);
    private static final String[] PLATFORMS = {"instagram", "tiktok", "twitter", "facebook"};

    private final Javalin app;
    private final ScheduledExecutorService worker;
    private final AtomicLong filesServed = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();

    private InsiderExportSandbox(final Javalin app, final ScheduledExecutorService worker) {
        this.app = app;
        this.worker = worker;
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0 = free port).
     *
     * @param insiders   the insiders rows are about (UUIDs)
     * @param rowsPerFile how many rows each export file holds
     */
    public static InsiderExportSandbox start(final int port, final String partner, final String token,
                                             final List<String> insiders, final int rowsPerFile, final Path files,
                                             final long seed) throws IOException {
        Files.createDirectories(files);
        final ObjectMapper json = new ObjectMapper();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "insider-export-sandbox");
            t.setDaemon(true);
            return t;
        });
        final Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        final Path daysFile = files.resolve("requested-days.txt");
        final java.util.Set<String> requestedDays = java.util.concurrent.ConcurrentHashMap.newKeySet();
        if (Files.exists(daysFile)) {
            requestedDays.addAll(Files.readAllLines(daysFile, java.nio.charset.StandardCharsets.UTF_8));
        }
        final InsiderExportSandbox sandbox = new InsiderExportSandbox(app, worker);
        app.post("/api/raw/v1/export", ctx -> {
            final String name = ctx.header("X-PARTNER-NAME");
            final String requestToken = ctx.header("X-REQUEST-TOKEN");
            if (name == null || name.isBlank()) {
                refuse(ctx, 400, "Empty Partner");
                return;
            }
            if (requestToken == null || requestToken.isBlank()) {
                refuse(ctx, 400, "Empty Token");
                return;
            }
            if (!name.equals(partner) || !requestToken.equals(token)) {
                refuse(ctx, 403, "Authentication Failed");
                return;
            }
            final JsonNode body = json.readTree(ctx.body());
            final String format = body.path("format").asText("csv").toLowerCase(Locale.ROOT);
            final String hook = body.path("hook").asText("");
            if (hook.isEmpty() || !List.of("csv", "json", "parquet").contains(format)) {
                refuse(ctx, 400, "Invalid Request");
                return;
            }
            final String today = Instant.now().toString().substring(0, 10);
            if (!requestedDays.add(today)) {
                ctx.status(429).json(Map.of("error", "rejected: too many requests"));
                return;
            }
            Files.writeString(daysFile, today + "\n", java.nio.charset.StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            final long start = body.path("events").path("start_date").asLong(Instant.now().getEpochSecond() - 86_400);
            final long end = body.path("events").path("end_date").asLong(Instant.now().getEpochSecond());
            ctx.status(200).json(Map.of("success", true, "message", "Export request received"));
            worker.schedule(() -> sandbox.deliver(partner, format, hook, start, end, insiders, rowsPerFile, files,
                seed, http, json), 1, TimeUnit.SECONDS);
        });
        app.get("/{partner}/p/{file}", ctx -> {
            final Path file = files.resolve(ctx.pathParam("file")).normalize();
            if (!ctx.pathParam("partner").equals(partner) || !file.getParent().equals(files.normalize())
                || !Files.exists(file)) {
                ctx.status(404).result("Not Found");
                return;
            }
            ctx.contentType("application/octet-stream").result(Files.newInputStream(file));
        });
        app.start("127.0.0.1", port);
        log.info("Insider export sandbox on port {}", app.port());
        return sandbox;
    }

    /** The base URL (API and files). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** Files delivered through the hook so far. */
    public long filesServed() {
        return filesServed.get();
    }

    /** Rows written into delivered files so far. */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    private void deliver(final String partner, final String format, final String hook, final long start,
                         final long end, final List<String> insiders, final int rowsPerFile, final Path files,
                         final long seed, final HttpClient http, final ObjectMapper json) {
        try {
            final List<ExportRow> rows = rows(insiders, rowsPerFile, start, end, seed);
            final String name = partner + "-" + start + "-" + end + "." + format;
            ExportFileWriter.write(files.resolve(name), format, rows);
            rowsWritten.addAndGet(rows.size());
            final String url = baseUrl() + "/" + partner + "/p/" + name;
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(hook))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("url", url))))
                .build(), HttpResponse.BodyHandlers.ofString());
            filesServed.incrementAndGet();
            log.info("Export file {} ({} rows) announced to the hook: {}", name, rows.size(), answer.statusCode());
        } catch (final IOException e) {
            log.warn("Export delivery failed: {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The rows of the window [start, end]: the same window, the same rows (ids included). */
    static List<ExportRow> rows(final List<String> insiders, final int count, final long start,
                                        final long end, final long seed) {
        final Random random = new Random(seed * 31 + start * 17 + end);
        final List<ExportRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count && insiders.size() > 1; i++) {
            final String user = insiders.get(random.nextInt(insiders.size()));
            final long time = start + (long) (random.nextDouble() * Math.max(1, end - start));
            final String id = "export-" + start + "-" + i;
            final double kind = random.nextDouble();
            if (kind < 0.4) {
                String other = insiders.get(random.nextInt(insiders.size()));
                if (other.equals(user)) {
                    other = "@friend-" + i;
                }
                rows.add(new ExportRow(user, "share", time, id, "sku-" + random.nextInt(200),
                    PLATFORMS[random.nextInt(PLATFORMS.length)], other, "", "", "", "", "", "", "", ""));
            } else if (kind < 0.6) {
                rows.add(new ExportRow(user, "purchase", time, id, "sku-" + random.nextInt(200), "", "", "", "",
                    "order-" + id, String.format(Locale.ROOT, "%.2f", Math.exp(3 + random.nextGaussian())), "USD",
                    "main-store", "apparel", ""));
            } else {
                rows.add(new ExportRow(user, "page_view", time, id, "", "", "", "", "", "", "", "", "", "",
                    "https://example.invalid/p/" + random.nextInt(500)));
            }
        }
        return rows;
    }

    private static void refuse(final Context ctx, final int status, final String message) {
        ctx.status(status).json(Map.of("error", message));
    }

    @Override
    public void close() {
        worker.shutdownNow();
        app.stop();
    }
}
