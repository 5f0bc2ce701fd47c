package io.insidernetwork.ingest.insightiq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestMain;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.testing.FakeInsightIq;
import io.insidernetwork.ingest.testing.TestSettings;
import io.insidernetwork.ingest.testing.TopicReader;
import io.insidernetwork.schemas.config.ConfigSource;
import io.insidernetwork.schemas.insightiq.InsightIqPollCursor;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 of a separate JVM running the poller in the middle of a walk, then a restart: every object reaches its
 * topic (no gap), and the restarted poller resumes the interrupted walk at its saved cursor instead of offset 0.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class PollerKillResumeIT {

    @Test
    void shouldLoseNothingAndResumeAtCursorWhenPollerIsKilledMidWalk(final KafkaBroker broker) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("kill-resume") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(1));
        try (FakeInsightIq fake = new FakeInsightIq(new FakeInsightIq.Dataset(2, 2, 60, 2, 3, 20));
             TopicReader cursors = new TopicReader(broker.bootstrapServers(), topics.pollCursors())) {
            final Process child = startChild(broker.bootstrapServers(), prefix, fake);
            final InsightIqPollCursor midWalk;
            try {
                midWalk = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> contentsInProgress(cursors), Optional::isPresent).orElseThrow();
            } finally {
                child.destroyForcibly();   // SIGKILL: no shutdown hook, no producer flush
            }
            assertThat(child.waitFor()).isEqualTo(137);
            final Instant restart = Instant.now();

            try (IngestService resumed = IngestService.start(new IngestConfig(
                TestSettings.poller(broker.bootstrapServers(), prefix, fake)))) {
                for (final ObjectKind kind : ObjectKind.values()) {
                    try (TopicReader reader = new TopicReader(broker.bootstrapServers(), kind.topic(topics))) {
                        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(keys(reader.poll())).as(kind.label()).containsAll(fake.ids(kind.label())));
                    }
                }
            }
            final FakeInsightIq.Request firstResumed = fake.requests().stream()
                .filter(r -> r.at().isAfter(restart) && r.path().equals("/v1/social/contents"))
                .filter(r -> midWalk.getScope().equals(r.query().get("account_id")))
                .findFirst().orElseThrow();
            assertThat(firstResumed.offset()).as("resumed at the saved cursor, not at 0")
                .isGreaterThanOrEqualTo(midWalk.getNextOffset()).isPositive();
            assertThat(firstResumed.query()).containsEntry("from_date", midWalk.getWindowFrom().toString());
        }
    }

    private static Optional<InsightIqPollCursor> contentsInProgress(final TopicReader cursors) {
        return cursors.<InsightIqPollCursor>values().stream()
            .filter(c -> c.getKind().equals(ObjectKind.CONTENTS.label()) && c.getInProgress()
                && c.getNextOffset() >= 20)
            .findFirst();
    }

    private static Process startChild(final String bootstrap, final String prefix, final FakeInsightIq fake)
        throws Exception {
        final Map<String, Object> settings = TestSettings.poller(bootstrap, prefix, fake);
        // slow enough that the kill lands in the middle of a walk
        settings.put(IngestConfig.INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG, 15);
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            IngestMain.class.getName()));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        settings.forEach((key, value) -> builder.environment().put(key.startsWith("kafka.")
            ? "KAFKA_" + key.substring(6).toUpperCase(java.util.Locale.ROOT).replace('.', '_')
            : ConfigSource.envName(key), String.valueOf(value)));
        final File log = Path.of(System.getProperty("java.io.tmpdir"), "poller-child-" + prefix + "log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }

    private static Set<String> keys(final List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }
}
