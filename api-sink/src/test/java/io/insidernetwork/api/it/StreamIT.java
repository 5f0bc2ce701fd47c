package io.insidernetwork.api.it;

import static io.insidernetwork.api.Fixtures.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.ContractClient;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.SseClient;
import io.insidernetwork.api.SseClient.Event;
import io.insidernetwork.api.auth.PeerAuth;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed on the real broker with two api-sink processes sharing three partitions: a stream from either
 * instance carries the entries of both, in the feed's order; a stream cut after some entries and reopened on the
 * other instance with Last-Event-ID gets exactly the rest, including entries written while it was away; a stream
 * without a start gets only what is written after it opened; a scoped key gets only its network's entries.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(KafkaBrokerExtension.class)
class StreamIT {

    private static final String PATH = "/api/v1/networks/updates/stream";
    private static final int BATCH = 10;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> ALL = Map.of("X-API-Key", Fixtures.KEY);

    @Test
    void shouldResumeOnEitherInstanceLosingAndRepeatingNothing(final KafkaBroker broker, @TempDir final Path dir)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("stream") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(
                    topics.insiderState().name(), topics.networkUpdates().name())).allTopicNames().get().values()
                .stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null)));
        }
        final Instant start = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        produce(broker.bootstrapServers(), topics, 1);
        try (TestCluster cluster = TestCluster.start(2, broker.bootstrapServers(), prefix, dir, String.join("\n",
            "api.live.heartbeat.ms=500", "api.live.poll.ms=100", "api.live.settle.ms=500"))) {
            final List<Integer> ports = cluster.instances().stream().map(TestCluster.Instance::port).toList();
            final List<ContractClient> clients = ports.stream().map(ContractClient::new).toList();
            // both instances serve the whole first batch before any stream opens
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> clients.forEach(c -> {
                    final Answer a = c.get("/api/v1/networks/updates/since/" + start + "?limit=200");
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.at("/data/updates").size()).isEqualTo(BATCH);
                }));
            final String since = "?since=" + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8);
            final SseClient live = SseClient.open(ports.get(1), PATH, ALL);
            final SseClient scoped = SseClient.open(ports.get(1), PATH + since,
                Map.of("X-API-Key", Fixtures.BRAND_KEY));
            final List<Event> firstFour;
            try (SseClient first = SseClient.open(ports.get(0), PATH + since, ALL)) {
                firstFour = first.updates(4, WAIT);
            }
            assertThat(insiders(firstFour)).containsExactly(id(1), id(2), id(3), id(4));
            // written while the first stream is away, and after the live one opened
            produce(broker.bootstrapServers(), topics, BATCH + 1);
            try (SseClient resumed = SseClient.open(ports.get(1), PATH,
                Map.of("X-API-Key", Fixtures.KEY, "Last-Event-ID", firstFour.get(3).id()))) {
                final List<Event> rest = resumed.updates(2 * BATCH - 4, WAIT);
                assertThat(insiders(rest)).containsExactlyElementsOf(ids(5, 2 * BATCH));
                assertNothingMore(resumed);
                // the entries came from both instances' partitions
                final Map<String, Integer> owners = owners(clients);
                assertThat(rest.stream().map(e -> owners.get(e.json().path("insider_id").asText())))
                    .contains(0, 1);
            }
            try (live; scoped) {
                assertThat(insiders(live.updates(BATCH, WAIT))).containsExactlyElementsOf(ids(BATCH + 1, 2 * BATCH));
                assertNothingMore(live);
                final List<String> brandA = IntStream.rangeClosed(1, 2 * BATCH)
                    .filter(n -> "brand-a".equals(network(n))).mapToObj(Fixtures::id).toList();
                assertThat(insiders(scoped.updates(brandA.size(), WAIT))).containsExactlyElementsOf(brandA);
                assertNothingMore(scoped);
            }
        }
    }

    private static String network(final int n) {
        return n % 3 == 0 ? "brand-b" : "brand-a";
    }

    private static List<String> ids(final int from, final int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Fixtures::id).toList();
    }

    private static List<String> insiders(final List<Event> events) {
        return events.stream().map(e -> e.json().path("insider_id").asText()).toList();
    }

    /** Two heartbeats and no update: the stream has sent everything there is. */
    private static void assertNothingMore(final SseClient stream) throws InterruptedException {
        assertThat(stream.next(WAIT)).extracting(Event::type).isEqualTo("comment");
        assertThat(stream.next(WAIT)).extracting(Event::type).isEqualTo("comment");
    }

    /** The instance (0 or 1) hosting each insider: the one answering a forwarded read of it. */
    private static Map<String, Integer> owners(final List<ContractClient> clients) {
        final String token = new PeerAuth(Fixtures.SECRET).token();
        final Map<String, Integer> owners = new java.util.HashMap<>();
        for (int n = 1; n <= 2 * BATCH; n++) {
            for (int i = 0; i < clients.size(); i++) {
                final Answer a = clients.get(i).get("/api/v1/insiders/" + id(n),
                    Map.of("X-API-Key", Fixtures.KEY, PeerAuth.HEADER, token));
                if (a.status() == 200) {
                    owners.put(id(n), i);
                }
            }
        }
        assertThat(new HashSet<>(owners.values())).isEqualTo(Set.of(0, 1));
        return owners;
    }

    /** Insiders {@code from}..{@code from + BATCH - 1} and one feed entry each, updated_at now and increasing. */
    private static void produce(final String bootstrap, final Topics topics, final int from) {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (GraphProducer out = new GraphProducer(bootstrap, topics)) {
            for (int n = from; n < from + BATCH; n++) {
                final Instant joined = base.minus(Duration.ofDays(10));
                out.byInsider(topics.insiderState(), id(n), Fixtures.insider(id(n), network(n), n, joined),
                    joined.toEpochMilli());
                final Instant at = base.plusMillis(10L * (n - from + 1));
                out.byInsider(topics.networkUpdates(), id(n), Fixtures.update(id(n), network(n), at, id(n + 1)),
                    at.toEpochMilli());
            }
        }
    }
}
