package io.insidernetwork.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.local.LocalOptions;
import io.insidernetwork.local.LocalRuntime;
import io.insidernetwork.local.sim.GeneratedEvent;
import io.insidernetwork.local.sim.Simulator;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.streams.ConsumerBacklog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * End-to-end freshness: from a partner webhook's 2xx to the change being visible through the API. The simulator
 * sends signed batches at a target rate; every 100 ms one acknowledged share is sampled and its sharer's profile is
 * polled until {@code total_shares} reaches the number of that sharer's shares acknowledged so far. Baseline in the
 * same run on the same broker: a plain producer (acks=all) → consumer round trip at the same rate.
 *
 * <p>Run: {@code bench/freshness.sh [rates=1000,5000] [seconds=30]}. Prints its figures as {@code RESULT name=value} lines too.
 */
public final class FreshnessBenchmark {

    private FreshnessBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final List<Integer> rates = java.util.Arrays.stream((args.length > 0 ? args[0] : "1000,5000").split(","))
            .map(String::trim).map(Integer::parseInt).toList();
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        final Path dir = Files.createTempDirectory("freshness");
        try {
            final PrintStream out = System.out;
            final StringBuilder report = new StringBuilder("| rate (events/s) | accepted events/s | samples | visible | "
                + "p50 ms | p99 ms | max ms | kafka baseline p50 / p99 ms | graph-stream events waiting / behind, "
                + "after 10 s | at the end |\n|---|---|---|---|---|---|---|---|---|---|\n");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
                int run = 0;
                for (final int rate : rates) {
                    final long[] baseline = kafkaRoundTrip(broker.bootstrapServers(), rate, "baseline-" + run);
                    final String prefix = "fresh" + run++ + ".";
                    try (LocalRuntime runtime = LocalRuntime.start(LocalOptions.forTests(dir.resolve(prefix),
                        broker.bootstrapServers(), prefix))) {
                        while (!runtime.ready()) {
                            LockSupport.parkNanos(50_000_000L);
                        }
                        final Result result;
                        try (ConsumerBacklog backlog = new ConsumerBacklog(Map.of("bootstrap.servers",
                            broker.bootstrapServers()), prefix + "insider-graph")) {
                            result = measure(runtime, rate, seconds,
                                () -> backlog.measure(List.of(prefix + "partner.events.v1")).orElse(null));
                        }
                        report.append(String.format("| %d | %.0f | %d | %d | %s | %s | %s | %.1f / %.1f | %s | %s |%n",
                            rate, result.acceptedPerSecond, result.samples, result.latencies.size(),
                            ms(result.percentile(0.50)), ms(result.percentile(0.99)), ms(result.percentile(1.0)),
                            baseline[0] / 1e6, baseline[1] / 1e6, lag(result.lagAtStart), lag(result.lagAtEnd)));
                        out.println("RESULT freshness_p50_ms_at_" + rate + "=" + ms(result.percentile(0.50)));
                        out.println("RESULT freshness_p99_ms_at_" + rate + "=" + ms(result.percentile(0.99)));
                        out.println("RESULT visible_samples_at_" + rate + "=" + result.latencies.size() + "/"
                            + result.samples);
                        out.println("RESULT lag_after_10s_s_at_" + rate + "=" + lagSeconds(result.lagAtStart));
                        out.println("RESULT lag_at_end_s_at_" + rate + "=" + lagSeconds(result.lagAtEnd));
                    }
                }
            }
            out.println(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/freshness.md"), report.toString(), StandardCharsets.UTF_8);
            System.exit(0);
        } finally {
            // a run leaves gigabytes of broker logs and state behind
            Utils.delete(dir.toFile());
        }
    }

    private static String ms(final long nanos) {
        return nanos < 0 ? "n/a" : String.format("%.0f", nanos / 1e6);
    }

    private static String lag(final ConsumerBacklog.Backlog backlog) {
        return backlog == null ? "n/a" : String.format("%,d / %.1f s", backlog.waiting(),
            backlog.behind().toMillis() / 1000.0);
    }

    private static String lagSeconds(final ConsumerBacklog.Backlog backlog) {
        return backlog == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f",
            backlog.behind().toMillis() / 1000.0);
    }

    private record Result(double acceptedPerSecond, int samples, List<Long> latencies,
                          ConsumerBacklog.Backlog lagAtStart, ConsumerBacklog.Backlog lagAtEnd) {
        long percentile(final double p) {
            if (latencies.isEmpty()) {
                return -1;
            }
            final List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    private record Sample(String sharer, long expectedShares, long acceptedAtNanos) {
    }

    /**
     * Sends at {@code rate} for {@code seconds}, sampling freshness; graph-stream's backlog (events waiting and the
     * age of the oldest) is read 10 s after the start and when sending stops.
     */
    private static Result measure(final LocalRuntime runtime, final int rate, final int seconds,
                                  final Supplier<ConsumerBacklog.Backlog> backlog) throws Exception {
        final Map<String, AtomicLong> sharesBySharer = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Sample> pending = new ConcurrentLinkedQueue<>();
        final AtomicLong lastSample = new AtomicLong();
        final Simulator simulator = Simulator.start(URI.create("http://127.0.0.1:" + runtime.ingestPort()),
            runtime.webhookSecret(), 20_000, rate, 11, Long.MAX_VALUE, null, (batch, at) -> {
                final long now = System.nanoTime();
                Sample sample = null;
                for (final GeneratedEvent event : batch) {
                    if (event.type().equals("share")) {
                        final long count = sharesBySharer.computeIfAbsent(event.subject(), k -> new AtomicLong())
                            .incrementAndGet();
                        sample = new Sample(event.subject(), count, now);
                    }
                }
                if (sample != null && now - lastSample.get() > 100_000_000L) {
                    lastSample.set(now);
                    pending.add(sample);
                }
            });
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final ObjectMapper json = new ObjectMapper();
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final List<Sample> open = new ArrayList<>();
        final long start = System.nanoTime();
        final long end = start + Duration.ofSeconds(seconds).toNanos();
        final long giveUp = end + Duration.ofSeconds(30).toNanos();
        int samples = 0;
        long acceptedAtEnd = -1;
        ConsumerBacklog.Backlog lagAtStart = null;
        ConsumerBacklog.Backlog lagAtEnd = null;
        boolean startMeasured = false;
        while (System.nanoTime() < giveUp && (System.nanoTime() < end || !open.isEmpty())) {
            if (!startMeasured && System.nanoTime() >= start + Duration.ofSeconds(10).toNanos()) {
                startMeasured = true;
                lagAtStart = backlog.get();
            }
            if (System.nanoTime() >= end && acceptedAtEnd < 0) {
                acceptedAtEnd = simulator.accepted();
                lagAtEnd = backlog.get();
                simulator.close();
            }
            // probe every 5 ms: fine enough for latencies in the tens of milliseconds, without a busy loop
            LockSupport.parkNanos(5_000_000L);
            for (Sample s; (s = pending.poll()) != null; ) {
                open.add(s);
                samples++;
            }
            for (final var it = open.iterator(); it.hasNext(); ) {
                final Sample sample = it.next();
                if (shares(http, json, runtime, sample.sharer()) >= sample.expectedShares()) {
                    latencies.add(System.nanoTime() - sample.acceptedAtNanos());
                    it.remove();
                }
            }
        }
        simulator.close();
        final double accepted = (acceptedAtEnd < 0 ? simulator.accepted() : acceptedAtEnd) / (double) seconds;
        return new Result(accepted, samples, latencies, lagAtStart, lagAtEnd);
    }

    private static long shares(final HttpClient http, final ObjectMapper json, final LocalRuntime runtime,
                               final String insider) throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.apiPort() + "/api/v1/insiders/" + insider))
            .header("X-API-Key", runtime.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200
            ? json.readTree(response.body()).path("data").path("profile").path("total_shares").asLong() : -1;
    }

    /** p50 and p99 (nanos) of produce (acks=all) → consume on the same broker at {@code rate} records/s. */
    private static long[] kafkaRoundTrip(final String bootstrap, final int rate, final String topic)
        throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        final Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        final Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<Long> latencies = new ArrayList<>();
        final int total = Math.min(rate * 5, 20_000);
        try (KafkaProducer<Long, Long> producer = new KafkaProducer<>(producerProps, new LongSerializer(),
                 new LongSerializer());
             KafkaConsumer<Long, Long> consumer = new KafkaConsumer<>(consumerProps, new LongDeserializer(),
                 new LongDeserializer())) {
            consumer.subscribe(List.of(topic));
            consumer.poll(Duration.ofSeconds(2));
            final long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int sent = 0;
            while (latencies.size() < total) {
                while (sent < total && System.nanoTime() >= next) {
                    producer.send(new ProducerRecord<>(topic, (long) sent, System.nanoTime()));
                    sent++;
                    next += interval;
                }
                consumer.poll(Duration.ofMillis(1)).forEach(r -> latencies.add(System.nanoTime() - r.value()));
            }
        }
        Collections.sort(latencies);
        return new long[] {latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99))};
    }
}
