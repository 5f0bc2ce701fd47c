package io.insidernetwork.graph.it;

import io.insidernetwork.graph.logic.DegreeGraph;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network-size recompute alone, without Kafka: the insider graph of {@link GraphStreamBenchmark}'s events
 * (sharer → recipient, referrer → referred signup; {@link EventGenerator}, same seed) in a {@link DegreeGraph}, then,
 * for {@code N} random fresh sources and for the biggest hub alone, the insiders of their expansion
 * ({@link DegreeGraph#affectedIds}) recomputed one search each (the baseline) and in batched searches of
 * {@value DegreeGraph#MAX_BATCH}, alternately in the same JVM. Both must give the same counts for every insider.
 * {@code graph-stream/size-bench.sh [insiders=100000] [events=300000] [sources=10,100,1000] [rounds=15]}.
 */
public final class NetworkSizeRecomputeBenchmark {

    private static final Logger log = LoggerFactory.getLogger(NetworkSizeRecomputeBenchmark.class);
    private static final int WARM_UP_ROUNDS = 5;

    private NetworkSizeRecomputeBenchmark() {
    }

    public static void main(final String[] args) {
        final int insiders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int events = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        final int[] sourceCounts = Arrays.stream((args.length > 2 ? args[2] : "10,100,1000").split(","))
            .mapToInt(Integer::parseInt).toArray();
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;

        final DegreeGraph graph = graph(insiders, events);
        log.info("graph: {} insiders, {} connections", graph.nodeCount(), graph.edgeCount());
        BenchSupport.result("size_graph_connections", graph.edgeCount());
        final Random random = new Random(3);
        for (final int n : sourceCounts) {
            final Set<String> sources = new LinkedHashSet<>();
            while (sources.size() < n) {
                final String source = EventGenerator.insider(random.nextInt(insiders));
                if (graph.idOf(source) >= 0) {
                    sources.add(source);
                }
            }
            measure("sources_" + n, graph, graph.affectedIds(sources), rounds);
        }
        measure("hub", graph, graph.affectedIds(List.of(EventGenerator.insider(0))), rounds);
    }

    private static DegreeGraph graph(final int insiders, final int events) {
        final EventGenerator generator = new EventGenerator(7, insiders, Instant.parse("2025-01-01T00:00:00Z"));
        final DegreeGraph graph = new DegreeGraph();
        for (int i = 0; i < events; i++) {
            final PartnerEvent event = generator.next();
            if (event.getPayload() instanceof Share share) {
                share.getRecipients().forEach(r -> graph.add(share.getSharerId(), r));
            } else if (event.getPayload() instanceof Signup signup && signup.getReferrerInsiderId() != null) {
                graph.add(signup.getReferrerInsiderId(), signup.getInsiderId());
            }
        }
        return graph;
    }

    /** Times both ways over {@code affected}, alternating rounds, after checking they agree on every insider. */
    private static void measure(final String name, final DegreeGraph graph, final int[] affected, final int rounds) {
        final long[] single = new long[3 * affected.length];
        final long[] batched = new long[3 * affected.length];
        recomputeSingly(graph, affected, single);
        recomputeInBatches(graph, affected, batched);
        if (!Arrays.equals(single, batched)) {
            throw new IllegalStateException(name + ": batched sizes differ from single searches");
        }
        final List<Long> singleNanos = new ArrayList<>();
        final List<Long> batchedNanos = new ArrayList<>();
        for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
            long started = System.nanoTime();
            recomputeSingly(graph, affected, single);
            final long singleTook = System.nanoTime() - started;
            started = System.nanoTime();
            recomputeInBatches(graph, affected, batched);
            final long batchedTook = System.nanoTime() - started;
            if (round >= WARM_UP_ROUNDS) {
                singleNanos.add(singleTook);
                batchedNanos.add(batchedTook);
            }
        }
        final long singleP50 = BenchSupport.percentile(singleNanos, 50);
        final long batchedP50 = BenchSupport.percentile(batchedNanos, 50);
        log.info("{}: {} insiders to recompute; single searches p50 {} ms p90 {} ms, batched p50 {} ms p90 {} ms",
            name, affected.length, singleP50 / 1e6, BenchSupport.percentile(singleNanos, 90) / 1e6, batchedP50 / 1e6,
            BenchSupport.percentile(batchedNanos, 90) / 1e6);
        BenchSupport.result("size_" + name + "_insiders", affected.length);
        BenchSupport.result("size_" + name + "_single_us_per_insider", perInsider(singleP50, affected.length));
        BenchSupport.result("size_" + name + "_batched_us_per_insider", perInsider(batchedP50, affected.length));
        BenchSupport.result("size_" + name + "_speedup",
            String.format(java.util.Locale.ROOT, "%.2f", (double) singleP50 / Math.max(1, batchedP50)));
    }

    private static String perInsider(final long nanos, final int insiders) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e3 / Math.max(1, insiders));
    }

    private static void recomputeSingly(final DegreeGraph graph, final int[] affected, final long[] counts) {
        for (int i = 0; i < affected.length; i++) {
            final DegreeGraph.Sizes sizes = graph.sizes(affected[i]);
            counts[3 * i] = sizes.first();
            counts[3 * i + 1] = sizes.second();
            counts[3 * i + 2] = sizes.third();
        }
    }

    private static void recomputeInBatches(final DegreeGraph graph, final int[] affected, final long[] counts) {
        final long[] batch = new long[3 * DegreeGraph.MAX_BATCH];
        for (int from = 0; from < affected.length; from += DegreeGraph.MAX_BATCH) {
            final int count = Math.min(DegreeGraph.MAX_BATCH, affected.length - from);
            graph.sizes(affected, from, count, batch);
            System.arraycopy(batch, 0, counts, 3 * from, 3 * count);
        }
    }
}
