package io.insidernetwork.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.insidernetwork.graph.errors.DeadLetters;
import io.insidernetwork.graph.topology.CompressedRocksDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class GraphStreamConfigTest {

    @Test
    void shouldNameBootstrapServersWhenConfigIsEmpty() {
        assertThatThrownBy(() -> GraphStreamConfig.load(null, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldNameKeyWhenGuaranteeIsUnknown() {
        assertThatThrownBy(() -> GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "GRAPH_PROCESSING_GUARANTEE", "exactly_twice")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("graph.processing.guarantee");
    }

    @Test
    void shouldNameKeyWhenWeightConstantIsNotPositive() {
        assertThatThrownBy(() -> GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "GRAPH_WEIGHT_K", "0")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("graph.weight.k");
    }

    @Test
    void shouldNameKeyWhenEngagementAlphaIsNegative() {
        assertThatThrownBy(() -> GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "GRAPH_PLATFORM_ENGAGEMENT_ALPHA", "-1")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("graph.platform.engagement.alpha");
    }

    @Test
    void shouldPassEngagementAlphaToModelWhenSet() {
        assertThat(GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092",
            "GRAPH_PLATFORM_ENGAGEMENT_ALPHA", "2.5")).graphParameters().engagementAlpha()).isEqualTo(2.5);
        assertThat(GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092")).graphParameters()
            .engagementAlpha()).isEqualTo(10.0);
    }

    @Test
    void shouldRunExactlyOnceWhenDefaultsApply() {
        final GraphStreamConfig config = GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
        assertThat(config.streamsProperties(new DeadLetters(new SimpleMeterRegistry())))
            .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
            .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
            .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CompressedRocksDb.class);
    }

    @Test
    void shouldUseOperatorsRocksDbSetterWhenPassedThrough() {
        final GraphStreamConfig config = GraphStreamConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092",
            "KAFKA_ROCKSDB_CONFIG_SETTER", "com.example.Tuned"));
        assertThat(config.streamsProperties(new DeadLetters(new SimpleMeterRegistry())))
            .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Tuned");
    }

    @Test
    void shouldDocumentEveryKeyWhenDefined() {
        assertThat(GraphStreamConfig.configDef().configKeys().values())
            .allSatisfy(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }
}
