package io.insidernetwork.graph.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.TargetStatus;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records with old event times (a backfill) on a real broker that checks retention every second: the internal
 * topics and dead letters keep them, and graph-stream deletes internal records only once it has committed them.
 * With the earlier seven-day time retention of the internal topics, a backfill's commands were deleted before the
 * tasks they were sent to read them.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class InternalTopicsIT {

    private static final Instant BACKFILL = Instant.parse("2025-03-01T00:00:00Z");
    private static final int INSIDERS = 40;
    private static final int EVENTS = 600;

    @Test
    void shouldKeepOldEventTimeRecordsUntilCommittedThenPurgeThem(final KafkaBroker broker,
                                                                 @TempDir final Path dir) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("internal") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
            TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
            final String target = EventGenerator.insider(1);
            try (KafkaProducer<String, byte[]> producer = producer(broker)) {
                // a retired command (graph-stream drops it) and a dead letter, both stamped with an event time far
                // older than any retention
                final byte[] command = topics.graphCommands().valueSerde().serializer().serialize("",
                    new GraphCommand(BACKFILL, new TargetStatus(EventGenerator.insider(2), target, true, 0.5,
                        BigDecimal.ONE.setScale(4), BACKFILL)));
                producer.send(new ProducerRecord<>(topics.graphCommands().name(), null, BACKFILL.toEpochMilli(),
                    target, command)).get();
                producer.send(new ProducerRecord<>(topics.graphDeadLetters().name(), null, BACKFILL.toEpochMilli(),
                    target, new byte[] {1, 2, 3})).get();
            }
            // three retention checks of the test broker go by: nothing is deleted
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> earliest(admin, List.of(topics.graphCommands(), topics.graphDeadLetters())).values()
                    .stream().allMatch(offset -> offset == 0L));
            assertThat(latest(admin, topics.graphCommands()) + latest(admin, topics.graphDeadLetters()))
                .isEqualTo(2);

            final NetworkOracle oracle = new NetworkOracle(Duration.ofDays(30));
            final Map<String, Object> settings = new HashMap<>();
            settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
            settings.put("topics.prefix", prefix);
            settings.put(GraphStreamConfig.APPLICATION_ID_CONFIG, prefix + "graph");
            settings.put(GraphStreamConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            settings.put(GraphStreamConfig.HTTP_PORT_CONFIG, 0);
            settings.put(GraphStreamConfig.INTERNAL_PURGE_INTERVAL_MS_CONFIG, "300");
            try (GraphStreamService graph = GraphStreamService.start(new GraphStreamConfig(settings));
                 KafkaConsumer<String, InsiderState> states = states(broker, topics);
                 KafkaConsumer<String, NetworkSizes> sizesOut = broker.committedReader(topics.networkSizes().name(),
                     topics.networkSizes().valueSerde().deserializer())) {
                final EventGenerator generator = new EventGenerator(11, INSIDERS, BACKFILL);
                try (KafkaProducer<String, PartnerEvent> events = new KafkaProducer<>(producerProps(broker),
                    new StringSerializer(), topics.partnerEvents().valueSerde().serializer())) {
                    for (int i = 0; i < EVENTS; i++) {
                        final PartnerEvent event = generator.next();
                        oracle.apply(event);
                        events.send(new ProducerRecord<>(topics.partnerEvents().name(), null,
                            event.getEventTime().toEpochMilli(), EventGenerator.keyOf(event), event)).get();
                    }
                }
                // every aggregate equals the oracle: no command or graph change was lost on the way
                final Map<String, InsiderState> latest = new HashMap<>();
                final Map<String, NetworkSizes> sizes = new HashMap<>();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    states.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
                    sizesOut.poll(Duration.ofMillis(100)).forEach(r -> sizes.put(r.key(), r.value()));
                    for (final String insider : oracle.insiders()) {
                        final InsiderState actual = latest.get(insider);
                        assertThat(actual).as(insider).isNotNull();
                        final NetworkSizes size = sizes.get(insider);
                        assertThat(new NetworkOracle.Expected(actual.getTotalShares(),
                            actual.getTotalPurchaseAmount(), actual.getTotalGeneratedAmount(),
                            actual.getUserValue(), actual.getConversionRate(), size == null ? List.of(0L, 0L, 0L)
                                : List.of(size.getFirstDegree(), size.getSecondDegree(), size.getThirdDegree())))
                            .as(insider).isEqualTo(oracle.expected(insider));
                    }
                });
                // and the internal records it committed are deleted, never one it has not
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    final Map<TopicPartition, Long> committed = committed(admin, prefix + "graph");
                    final Map<TopicPartition, Long> start = earliest(admin, List.of(topics.graphCommands()));
                    assertThat(start.values().stream().mapToLong(Long::longValue).sum()).isPositive();
                    start.forEach((partition, offset) -> assertThat(offset).as(partition.toString())
                        .isLessThanOrEqualTo(committed.getOrDefault(partition, 0L)));
                });
                assertThat(graph.state().isRunningOrRebalancing()).isTrue();
            }
            // the dead letter is still there
            assertThat(earliest(admin, List.of(topics.graphDeadLetters())).values()).containsOnly(0L);
        }
    }

    private static Map<TopicPartition, Long> earliest(final Admin admin, final List<TopicSpec<?, ?>> specs)
        throws Exception {
        final Map<TopicPartition, OffsetSpec> request = specs.stream()
            .flatMap(t -> IntStream.range(0, t.partitions())
                .mapToObj(p -> new TopicPartition(t.name(), p)))
            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest()));
        return admin.listOffsets(request).all().get().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static long latest(final Admin admin, final TopicSpec<?, ?> spec) throws Exception {
        final Map<TopicPartition, OffsetSpec> request = IntStream.range(0, spec.partitions())
            .mapToObj(p -> new TopicPartition(spec.name(), p))
            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    private static Map<TopicPartition, Long> committed(final Admin admin, final String group) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get();
        final Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (offset != null) {
                result.put(tp, offset.offset());
            }
        });
        return result;
    }

    private static Properties producerProps(final KafkaBroker broker) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private static KafkaProducer<String, byte[]> producer(final KafkaBroker broker) {
        return new KafkaProducer<>(producerProps(broker), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, InsiderState> states(final KafkaBroker broker, final Topics topics) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueName("internal-reader"));
        final KafkaConsumer<String, InsiderState> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            topics.insiderState().valueSerde().deserializer());
        consumer.subscribe(List.of(topics.insiderState().name()));
        return consumer;
    }
}
