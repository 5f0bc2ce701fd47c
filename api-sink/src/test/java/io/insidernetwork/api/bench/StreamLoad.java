package io.insidernetwork.api.bench;

import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.topic.Topics;
import java.io.IOException;
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
 * throughout, and measures profile reads by {@code clients} closed-loop clients, after a warm-up of both paths
 * (three rounds of the two kinds of phase), in phases of {@code seconds}: no stream open, {@code streams} open
 * streams receiving the entries, none, streams, none. The baseline is the no-stream phases together and the streams figure the stream phases together, so drift and
 * noise during the run fall on both sides. The streams are read by {@link SseConsumers} (one thread, raw bytes).
 * Prints RESULT lines, with the CPU used by the server, by this process and by the whole machine in each kind of
 * phase.
 */
public final class StreamLoad {

    private static final Logger log = LoggerFactory.getLogger(StreamLoad.class);
    /** Rounds of (no stream, streams) before the final no-stream phase. */
    private static final int ROUNDS = 2;
    /** Rounds of (no stream, streams) of the warm-up. */
    private static final int WARM_ROUNDS = 3;
    /** One received event in this many has its delivery latency taken. */
    private static final int DELIVERY_SAMPLE = 50;

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
        final long serverPid = Long.parseLong(args[8]);
        final StreamLoad load = new StreamLoad(port, insiders, clients);
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong written = new AtomicLong();
        final Thread writer = new Thread(() -> writeEntries(bootstrap, topics, insiders, rate, running, written),
            "entry-writer");
        writer.start();
        final CpuMeter cpu = new CpuMeter(serverPid);
        final Recorder delivery = new Recorder(3);

        // warm-up of both paths, as the measured phases alternate: both JVMs' JIT compilers keep a core about a third
        // busy for the first minute or so, and that is drift, not the streams' cost
        for (int round = 0; round < WARM_ROUNDS; round++) {
            log.info("warm-up {}: no stream open, then {} streams", round, streams);
            load.reads(seconds);
            try (SseConsumers warm = load.openStreams(streams, delivery)) {
                load.reads(seconds);
            }
            load.awaitNoStream();
        }

        // measured: no streams, streams, no streams, streams, no streams (drift and noise spread over both sides)
        final Histogram base = new Histogram(3);
        final Histogram withStreams = new Histogram(3);
        final Histogram deliveryMs = new Histogram(3);
        final List<String> p99s = new ArrayList<>();
        final List<Long> p99Micros = new ArrayList<>();
        final double[] rps = new double[2];
        final double[] phases = new double[2];
        final CpuMeter.Use[] use = {CpuMeter.Use.ZERO, CpuMeter.Use.ZERO};
        long errorsBase = 0;
        long errorsStreams = 0;
        long events = 0;
        double streamSeconds = 0;
        for (int round = 0; round < 2 * ROUNDS + 1; round++) {
            final boolean streaming = round % 2 == 1;
            final int side = streaming ? 1 : 0;
            if (!streaming) {
                log.info("phase {}: no stream open", round);
                final CpuMeter.Snapshot from = cpu.snapshot();
                final Reads r = load.reads(seconds);
                use[0] = use[0].plus(cpu.since(from));
                base.add(r.latencyMicros());
                rps[0] += r.perSecond();
                errorsBase += r.errors();
                p99s.add("A" + ms(r.latencyMicros(), 99));
                p99Micros.add(r.latencyMicros().getValueAtPercentile(99));
            } else {
                try (SseConsumers consumers = load.openStreams(streams, delivery)) {
                    log.info("phase {}: {} streams open", round, streams);
                    delivery.reset();
                    final long receivedBefore = consumers.events();
                    final long start = System.nanoTime();
                    final CpuMeter.Snapshot from = cpu.snapshot();
                    final Reads r = load.reads(seconds);
                    use[1] = use[1].plus(cpu.since(from));
                    streamSeconds += (System.nanoTime() - start) / 1e9;
                    events += consumers.events() - receivedBefore;
                    deliveryMs.add(delivery.getIntervalHistogram());
                    if (consumers.ended() > 0) {
                        throw new IllegalStateException(consumers.ended() + " streams ended during the phase");
                    }
                    withStreams.add(r.latencyMicros());
                    rps[1] += r.perSecond();
                    errorsStreams += r.errors();
                    p99s.add("B" + ms(r.latencyMicros(), 99));
                    p99Micros.add(r.latencyMicros().getValueAtPercentile(99));
                }
                // the server finds a closed stream at its next write
                load.awaitNoStream();
            }
            phases[side]++;
        }
        running.set(false);
        writer.join();
        final double baseRate = rps[0] / phases[0];
        final double streamRate = rps[1] / phases[1];

        // the baseline: the reads of every phase with no stream open together
        result("point_read_p50_ms_baseline", ms(base, 50));
        result("point_read_p99_ms_baseline", ms(base, 99));
        result("point_read_rps_baseline", String.format(Locale.ROOT, "%.0f", baseRate));
        result("point_read_errors_baseline", Long.toString(errorsBase));
        result("point_read_p50_ms_streams", ms(withStreams, 50));
        result("point_read_p99_ms_streams", ms(withStreams, 99));
        result("point_read_rps_streams", String.format(Locale.ROOT, "%.0f", streamRate));
        result("point_read_errors_streams", Long.toString(errorsStreams));
        // each phase's p99 in order (A: no stream, B: streams): the noise between phases of the same kind
        result("point_read_p99_ms_phases", String.join(",", p99s));
        // the fraction by which the streams made p99 point reads slower (0.10 = 10 % slower; negative = faster)
        result("point_read_slowdown", String.format(Locale.ROOT, "%.3f",
            withStreams.getValueAtPercentile(99) / (double) Math.max(1, base.getValueAtPercentile(99)) - 1));
        // each stream phase's p99 against the mean of the no-stream phases just before and after it, averaged: a
        // second reading of the same target that drift during the run does not tilt
        double paired = 0;
        for (int i = 1; i < p99Micros.size(); i += 2) {
            paired += p99Micros.get(i) / Math.max(1, (p99Micros.get(i - 1) + p99Micros.get(i + 1)) / 2.0) - 1;
        }
        result("point_read_slowdown_paired", String.format(Locale.ROOT, "%.3f", paired / ROUNDS));
        result("point_read_throughput_loss", String.format(Locale.ROOT, "%.3f",
            1 - streamRate / Math.max(1e-9, baseRate)));
        result("streams_open", Integer.toString(streams));
        result("entries_written_per_s", Integer.toString(rate));
        result("stream_events_per_s", String.format(Locale.ROOT, "%.0f", events / streamSeconds));
        result("stream_delivery_p50_ms", Long.toString(deliveryMs.getValueAtPercentile(50)));
        result("stream_delivery_p99_ms", Long.toString(deliveryMs.getValueAtPercentile(99)));
        // CPU in cores (1.0 = one core busy): the server JVM, this JVM, and the whole machine (others included)
        for (int side = 0; side < 2; side++) {
            final String kind = side == 0 ? "baseline" : "streams";
            result("cpu_server_cores_" + kind, cores(use[side].server(), use[side]));
            result("cpu_loadgen_cores_" + kind, cores(use[side].loadgen(), use[side]));
            result("cpu_machine_cores_" + kind, cores(use[side].machine(), use[side]));
        }
        result("cpu_machine_total_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        load.http.executor().ifPresent(e -> ((ExecutorService) e).shutdownNow());
        System.exit(0);
    }

    private static String cores(final double cpuSeconds, final CpuMeter.Use use) {
        return String.format(Locale.ROOT, "%.2f", use.wallSeconds() == 0 ? 0 : cpuSeconds / use.wallSeconds());
    }

    /** Opens {@code streams} streams and waits until every one of them received an event. */
    private SseConsumers openStreams(final int streams, final Recorder delivery) throws IOException {
        final SseConsumers consumers = SseConsumers.open(port, "/api/v1/networks/updates/stream",
            StreamBenchmark.KEY, streams, delivery, DELIVERY_SAMPLE);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> consumers.ended() > 0 || consumers.receiving() == streams);
        } catch (final ConditionTimeoutException e) {
            consumers.close();
            throw new IllegalStateException(consumers.receiving() + " of " + streams + " streams received an event");
        }
        if (consumers.ended() > 0) {
            consumers.close();
            throw new IllegalStateException(consumers.ended() + " of " + streams + " streams ended at the start");
        }
        return consumers;
    }

    /** Waits until the server has no stream open (it finds a closed one at its next write). */
    private void awaitNoStream() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> openStreams() == 0);
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
