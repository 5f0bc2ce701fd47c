package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.insider;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.share;
import static io.insidernetwork.graph.topology.GraphFixtures.signup;
import static io.insidernetwork.graph.topology.GraphFixtures.uuid;
import static io.insidernetwork.graph.topology.GraphFixtures.visit;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.graph.topology.GraphFixtures.SizesTopic;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.partner.PartnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random event streams through the whole topology: shares add connections (hubs and cycles by construction),
 * connections decay away (removals), anonymous visitors merge into insiders when they sign up. After every step the
 * latest network sizes of every insider on the network-sizes topic equal a plain BFS over an independent model of the
 * live connections.
 */
class NetworkSizePropertyTest {

    private static final WeightModel WEIGHTS = new WeightModel(1.0, 3.0, 5.0, 5.0, Duration.ofHours(1));
    // attribution window of 1 ms: steps are minutes apart, so only the visitor merge credits signups
    private static final GraphParameters PARAMETERS = new GraphParameters(WEIGHTS, 0.5, 0.05, 3.0,
        Duration.ofMillis(1), Duration.ofDays(7), Duration.ofSeconds(1), Duration.ofMillis(100),
        Duration.ofMillis(50));
    private static final int INSIDERS = 14;
    private static final int FINGERPRINTS = 5;

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void shouldEqualPlainBfsAfterEveryStepWhenGraphChangesRandomly(final long seed) {
        final Random random = new Random(seed);
        final Model model = new Model();
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final SizesTopic sizes = new SizesTopic(driver);
            Instant time = T0;
            for (int step = 0; step < 120; step++) {
                time = time.plusSeconds(60L * (1 + random.nextInt(45)));
                final String id = "e" + step;
                final int kind = random.nextInt(10);
                if (kind < 6) {
                    final String sharer = pick(random);
                    final Set<String> recipients = new LinkedHashSet<>();
                    for (int i = 0; i <= random.nextInt(3); i++) {
                        recipients.add(pick(random));
                    }
                    pipe(in, sharer, share(id, sharer, time, recipients.toArray(String[]::new)));
                    final Instant at = time;
                    recipients.forEach(r -> model.add(sharer, r, WEIGHTS.sharePoints(), at));
                    model.expire(time);
                } else if (kind < 8) {
                    final String referrer = pick(random);
                    final String fingerprint = "fp-" + random.nextInt(FINGERPRINTS);
                    pipe(in, referrer, visit(id, referrer, fingerprint, time));
                    model.add(referrer, fingerprint, PARAMETERS.visitPoints(), time);
                    model.expire(time);
                    model.visited.computeIfAbsent(fingerprint, f -> new LinkedHashSet<>()).add(referrer);
                    if (model.identity.containsKey(fingerprint)) {
                        model.merge(referrer, fingerprint, model.identity.get(fingerprint), time);
                    }
                } else {
                    final String insider = pick(random);
                    final String fingerprint = "fp-" + random.nextInt(FINGERPRINTS);
                    pipe(in, insider, signup(id, insider, null, fingerprint, time));
                    model.expire(time);
                    if (model.identity.putIfAbsent(fingerprint, insider) == null) {
                        for (final String referrer : model.visited.getOrDefault(fingerprint, Set.of())) {
                            model.merge(referrer, fingerprint, insider, time);
                        }
                    }
                }
                settle(driver, PARAMETERS);
                final Map<String, Set<String>> edges = model.insiderEdges();
                for (int n = 0; n < INSIDERS; n++) {
                    assertThat(sizes.of(uuid(n))).as("seed %d step %d insider %d", seed, step, n)
                        .isEqualTo(bfs(edges, uuid(n)));
                    final InsiderState state = insider(driver, uuid(n));
                    if (state != null) {
                        // the sizes live on their own topic only: the state's copy stays as created
                        assertThat(state.getNetworkSize().getFirstDegree() + state.getNetworkSize().getSecondDegree()
                            + state.getNetworkSize().getThirdDegree()).isZero();
                    }
                }
            }
        }
    }

    private static String pick(final Random random) {
        // two hubs get a third of all picks
        return random.nextInt(3) == 0 ? uuid(random.nextInt(2)) : uuid(random.nextInt(INSIDERS));
    }

    /** An independent model of live connections: decayed scores, removal at the punctuation after each event. */
    private static final class Model {
        final Map<String, WeightModel.Score> scores = new HashMap<>();
        final Map<String, Set<String>> visited = new HashMap<>();
        final Map<String, String> identity = new HashMap<>();
        final Set<String> credited = new HashSet<>();

        void add(final String source, final String target, final double points, final Instant time) {
            if (source.equals(target)) {
                return;
            }
            scores.put(source + "|" + target, WEIGHTS.add(scores.get(source + "|" + target), points, time));
        }

        void expire(final Instant now) {
            scores.entrySet().removeIf(e -> PARAMETERS.expiryMillis(e.getValue().value(),
                e.getValue().at().toEpochMilli()) <= now.toEpochMilli());
        }

        void merge(final String referrer, final String fingerprint, final String insider, final Instant time) {
            final WeightModel.Score anonymous = scores.remove(referrer + "|" + fingerprint);
            if (anonymous == null || referrer.equals(insider)) {
                return;
            }
            add(referrer, insider, anonymous.value(), anonymous.at());
            if (credited.add(referrer + "|" + insider)) {
                add(referrer, insider, WEIGHTS.signupPoints(), time);
            }
        }

        Map<String, Set<String>> insiderEdges() {
            final Map<String, Set<String>> edges = new HashMap<>();
            scores.keySet().stream().map(k -> k.split("\\|", 2)).filter(k -> !k[1].startsWith("fp-"))
                .forEach(k -> edges.computeIfAbsent(k[0], s -> new HashSet<>()).add(k[1]));
            return edges;
        }
    }

    private static List<Long> bfs(final Map<String, Set<String>> edges, final String start) {
        final Map<String, Integer> distance = new HashMap<>(Map.of(start, 0));
        final ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
        final long[] counts = new long[4];
        while (!queue.isEmpty()) {
            final String node = queue.poll();
            final int d = distance.get(node);
            for (final String next : d == 3 ? List.<String>of() : new ArrayList<>(edges.getOrDefault(node,
                Set.of()))) {
                if (distance.putIfAbsent(next, d + 1) == null) {
                    counts[d + 1]++;
                    queue.add(next);
                }
            }
        }
        return List.of(counts[1], counts[2], counts[3]);
    }
}
