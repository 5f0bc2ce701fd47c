package io.insidernetwork.api.bench;

import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.topic.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator of {@link StreamBenchmark}, in its own JVM: writes change-feed entries at a fixed rate
 * throughout, and measures profile reads by {@code clients} closed-loop clients after a warm-up, first with no
 * stream open (baseline), then with {@code streams} open streams receiving the entries, then with none again (the
 * baseline is both no-stream phases together, so drift during the run shows in neither alone). Prints RESULT lines.
 */
public final class StreamLoad {

    private static final Logger log = LoggerFactory.getLogger(StreamLoad.class);

    private final int port;
    private final int insiders;
    private final int clients;
    private final HttpClient http;

    private StreamLoad(final int port, final int insiders, final int clients) {
        this.port = port;
        this.insiders = insiders;
        this.clients = clients;
        this.http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
    }

    /** Point reads of one phase. */
    private record Reads(Histogram latencyMicros, double perSecond, long errors) {
    }

    public static void main(final String[] args) throws Exception {
        final int port = Integer.parseInt(args[0]);
        final String bootstrap = args[1];
        final Topics topics = Topics.create(args[2], 3, Duration.ofDays(30));
        final int insiders = Integer.parseInt(args[3]);
        final int seconds = Integer.parseInt(args[4]);
        final int streams = Integer.parseInt(args[5]);
        final int rate = Integer.parseInt(args[6]);
        final int clients = Integer.parseInt(args[7]);
        final StreamLoad load = new StreamLoad(port, insiders, clients);
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong written = new AtomicLong();
        final Thread writer = new Thread(() -> writeEntries(bootstrap, topics, insiders, rate, running, written),
            "entry-writer");
        writer.start();
        load.reads(Math.max(2, seconds / 2));
        final Reads baseline = load.reads(seconds);
        log.info("baseline: {} reads/s, p99 {} ms", String.format(Locale.ROOT, "%.0f", baseline.perSecond()),
            ms(baseline.latencyMicros(), 99));

        final Recorder delivery = new Recorder(3);
        final AtomicLong received = new AtomicLong();
        final List<InputStream> open = new ArrayList<>();
        final List<Thread> readers = new ArrayList<>();
        final HttpClient streamHttp = HttpClient.newHttpClient();
        for (int s = 0; s < streams; s++) {
            final HttpResponse<InputStream> r = streamHttp.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/networks/updates/stream"))
                .header("X-API-Key", StreamBenchmark.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("stream " + s + " answered " + r.statusCode());
            }
            open.add(r.body());
            final Thread t = new Thread(() -> readStream(r.body(), received, delivery), "stream-" + s);
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
        // every stream receives before the measured phase starts (after 30 s it starts anyway, as before)
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> received.get() >= streams);
        } catch (final ConditionTimeoutException e) {
            log.warn("{} of {} streams received an event before the measured phase", received.get(), streams);
        }
        delivery.reset();
        final long receivedBefore = received.get();
        final long start = System.nanoTime();
        final Reads withStreams = load.reads(seconds);
        final double streamSeconds = (System.nanoTime() - start) / 1e9;
        final long events = received.get() - receivedBefore;
        final Histogram deliveryMs = delivery.getIntervalHistogram();
        for (final InputStream in : open) {
            in.close();
        }
        // the server finds a closed stream at its next write: the baseline again once it has none open (A-B-A:
        // drift shows)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> load.openStreams() == 0);
        final Reads after = load.reads(seconds);
        running.set(false);
        writer.join();
        final Histogram base = new Histogram(3);
        base.add(baseline.latencyMicros());
        base.add(after.latencyMicros());
        final double baseRate = (baseline.perSecond() + after.perSecond()) / 2;

        // the baseline: the reads before the streams opened and after they closed together
        result("point_read_p50_ms_baseline", ms(base, 50));
        result("point_read_p99_ms_baseline", ms(base, 99));
        result("point_read_rps_baseline", String.format(Locale.ROOT, "%.0f", baseRate));
        result("point_read_errors_baseline", Long.toString(baseline.errors() + after.errors()));
        result("point_read_p99_ms_baseline_before", ms(baseline.latencyMicros(), 99));
        result("point_read_p99_ms_baseline_after", ms(after.latencyMicros(), 99));
        result("point_read_p50_ms_streams", ms(withStreams.latencyMicros(), 50));
        result("point_read_p99_ms_streams", ms(withStreams.latencyMicros(), 99));
        result("point_read_rps_streams", String.format(Locale.ROOT, "%.0f", withStreams.perSecond()));
        result("point_read_errors_streams", Long.toString(withStreams.errors()));
        // the fraction by which the streams made p99 point reads slower (0.10 = 10 % slower; negative = faster)
        result("point_read_slowdown", String.format(Locale.ROOT, "%.3f",
            withStreams.latencyMicros().getValueAtPercentile(99) / (double) Math.max(1,
                base.getValueAtPercentile(99)) - 1));
        result("point_read_throughput_loss", String.format(Locale.ROOT, "%.3f",
            1 - withStreams.perSecond() / Math.max(1e-9, baseRate)));
        result("streams_open", Integer.toString(streams));
        result("entries_written_per_s", Integer.toString(rate));
        result("stream_events_per_s", String.format(Locale.ROOT, "%.0f", events / streamSeconds));
        result("stream_delivery_p50_ms", Long.toString(deliveryMs.getValueAtPercentile(50)));
        result("stream_delivery_p99_ms", Long.toString(deliveryMs.getValueAtPercentile(99)));
        load.http.executor().ifPresent(e -> ((ExecutorService) e).shutdownNow());
        System.exit(0);
    }

    private static String ms(final Histogram micros, final double percentile) {
        return String.format(Locale.ROOT, "%.2f", micros.getValueAtPercentile(percentile) / 1000.0);
    }

    private static void result(final String name, final String value) {
        System.out.println("RESULT " + name + "=" + value);
    }

    private Reads reads(final int seconds) throws InterruptedException {
        final Recorder recorder = new Recorder(3);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        final long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    final String id = Fixtures.id(ThreadLocalRandom.current().nextInt(insiders));
                    final long t = System.nanoTime();
                    try {
                        final HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + port + "/api/v1/insiders/" + id)).header("X-API-Key", StreamBenchmark.KEY)
                            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (final IOException e) {
                        errors.incrementAndGet();
                    } catch (final InterruptedException e) {
                        return;
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - t) / 1_000));
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        return new Reads(recorder.getIntervalHistogram(), done.get() / ((System.nanoTime() - start) / 1e9),
            errors.get());
    }

    /** Counts a stream's update events and records each one's delay from its updated_at (milliseconds). */
    private static void readStream(final InputStream body, final AtomicLong received, final Recorder delivery) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                final int at = line.startsWith("data: ") ? line.indexOf("\"updated_at\":\"") : -1;
                if (at >= 0) {
                    final int from = at + "\"updated_at\":\"".length();
                    final Instant updated = Instant.parse(line.substring(from, line.indexOf('"', from)));
                    delivery.recordValue(Math.max(0, System.currentTimeMillis() - updated.toEpochMilli()));
                    received.incrementAndGet();
                }
            }
        } catch (final IOException e) {
            // closed at the end of the run
        }
    }

    /** Writes change-feed entries at {@code rate} per second until told to stop, updated_at = now. */
    private static void writeEntries(final String bootstrap, final Topics topics, final int insiders, final int rate,
                                     final AtomicBoolean running, final AtomicLong written) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
            new ByteArraySerializer(), new ByteArraySerializer())) {
            final long start = System.nanoTime();
            while (running.get()) {
                final long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                while (written.get() < due) {
                    final int n = ThreadLocalRandom.current().nextInt(insiders);
                    final String id = Fixtures.id(n);
                    final String topic = topics.networkUpdates().name();
                    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8),
                        topics.networkUpdates().valueSerde().serializer().serialize(topic,
                            Fixtures.update(id, "bench", Instant.now(), Fixtures.id((n + 1) % insiders)))));
                    written.incrementAndGet();
                }
                try {
                    // pacing of the fixed-rate writer
                    Thread.sleep(5);
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The server's open live-feed streams, from its Prometheus metrics ({@code api_streams_open}). */
    private double openStreams() throws IOException, InterruptedException {
        final String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("api_streams_open"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

}
