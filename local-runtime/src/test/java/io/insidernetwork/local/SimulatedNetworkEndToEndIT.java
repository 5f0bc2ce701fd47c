package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.local.sim.GeneratedEvent;
import io.insidernetwork.local.sim.Simulator;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on a real broker with the partner-event simulator for a fixed seed, checked through the HTTP API
 * only: every event the simulator got a 2xx for is reflected (shares, purchases, signups), and the network size of
 * sampled insiders equals a BFS over the connections those events make.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(KafkaBrokerExtension.class)
class SimulatedNetworkEndToEndIT {

    private static final int INSIDERS = 300;
    private static final long EVENTS = 3_000;
    private static final long SEED = 7;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldReflectEveryAcceptedEventWhenSimulatorHasRun(final KafkaBroker broker, @TempDir final Path dir)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("sim-e2e") + ".";
        final Queue<GeneratedEvent> accepted = new ConcurrentLinkedQueue<>();
        try (LocalRuntime runtime = LocalRuntime.start(LocalOptions.forTests(dir, broker.bootstrapServers(), prefix));
             Simulator simulator = Simulator.start(URI.create("http://127.0.0.1:" + runtime.ingestPort()),
                 runtime.webhookSecret(), INSIDERS, 500, SEED, EVENTS, null, (batch, at) -> accepted.addAll(batch))) {
            await().atMost(Duration.ofSeconds(120)).until(simulator::finished);
            final Oracle oracle = new Oracle(List.copyOf(accepted));
            assertThat(oracle.events()).isEqualTo(EVENTS);

            // every insider with a share or purchase: its totals equal what the simulator had acknowledged
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (final String insider : oracle.insiders()) {
                    final JsonNode profile = profile(runtime, insider);
                    assertThat(profile.path("total_shares").asLong()).as("total_shares of %s", insider)
                        .isEqualTo(oracle.shares(insider));
                    assertThat(new BigDecimal(profile.path("total_purchase_amount").asText("0")))
                        .as("total_purchase_amount of %s", insider).isEqualByComparingTo(oracle.purchases(insider));
                }
            });
            // network size of sampled insiders (every tenth, hubs included) equals a BFS over the accepted events
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                final List<String> sample = oracle.insiders().stream().sorted().toList();
                for (int i = 0; i < sample.size(); i += 10) {
                    final String insider = sample.get(i);
                    final JsonNode size = profile(runtime, insider).path("network_size");
                    assertThat(List.of(size.path("first_degree").asLong(), size.path("second_degree").asLong(),
                        size.path("third_degree").asLong())).as("network_size of %s", insider)
                        .isEqualTo(oracle.bfs(insider));
                }
            });
        }
    }

    private JsonNode profile(final LocalRuntime runtime, final String insider) throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.apiPort() + "/api/v1/insiders/" + insider))
            .header("X-API-Key", runtime.apiKey()).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // a well-behaved client: on 429 wait as long as Retry-After says, then ask again
        for (int attempt = 0; response.statusCode() == 429 && attempt < 5; attempt++) {
            final long wait = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            await().pollDelay(Duration.ofSeconds(wait)).until(() -> true);
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).as("GET insider %s: %s", insider, response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("data").path("profile");
    }

    /** What the acknowledged events imply, computed independently of the product. */
    private static final class Oracle {
        private final Set<String> insiders = new HashSet<>();
        private final Map<String, Long> shares = new HashMap<>();
        private final Map<String, BigDecimal> purchases = new HashMap<>();
        private final Map<String, Set<String>> edges = new HashMap<>();
        private final long events;

        Oracle(final List<GeneratedEvent> accepted) throws Exception {
            final ObjectMapper json = new ObjectMapper();
            events = accepted.stream().map(GeneratedEvent::id).distinct().count();
            for (final GeneratedEvent event : accepted) {
                switch (event.type()) {
                    case "signup" -> {
                        insiders.add(event.subject());
                        if (event.referrer() != null) {
                            edge(event.referrer(), event.subject());
                        }
                    }
                    case "share" -> {
                        shares.merge(event.subject(), 1L, Long::sum);
                        event.recipients().stream().filter(r -> !r.startsWith("@"))
                            .forEach(r -> edge(event.subject(), r));
                    }
                    case "purchase" -> purchases.merge(event.subject(),
                        new BigDecimal(json.readTree(event.json()).path("data").path("amount").asText()),
                        BigDecimal::add);
                    default -> { }
                }
            }
        }

        private void edge(final String from, final String to) {
            edges.computeIfAbsent(from, k -> new HashSet<>()).add(to);
        }

        long events() {
            return events;
        }

        List<String> insiders() {
            return List.copyOf(insiders);
        }

        long shares(final String insider) {
            return shares.getOrDefault(insider, 0L);
        }

        BigDecimal purchases(final String insider) {
            return purchases.getOrDefault(insider, BigDecimal.ZERO);
        }

        /** Counts of insiders at exactly distance 1, 2 and 3 along outgoing connections. */
        List<Long> bfs(final String start) {
            final Map<String, Integer> distance = new HashMap<>(Map.of(start, 0));
            final Queue<String> queue = new ArrayDeque<>(List.of(start));
            final long[] counts = new long[4];
            while (!queue.isEmpty()) {
                final String node = queue.poll();
                final int d = distance.get(node);
                if (d == 3) {
                    continue;
                }
                for (final String next : edges.getOrDefault(node, Set.of())) {
                    if (!distance.containsKey(next)) {
                        distance.put(next, d + 1);
                        counts[d + 1]++;
                        queue.add(next);
                    }
                }
            }
            return new ArrayList<>(List.of(counts[1], counts[2], counts[3]));
        }
    }
}
