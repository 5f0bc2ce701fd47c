package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.topology.GraphFixtures.PARAMETERS;
import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.share;
import static io.insidernetwork.graph.topology.GraphFixtures.topics;
import static io.insidernetwork.graph.topology.GraphFixtures.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.processor.NetworkSizeProcessor;
import io.insidernetwork.schemas.graph.NetworkSizes;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A sizes store written by the version that sent sizes to the insiders' tasks as commands: its sizes reach the
 * network-sizes topic once, in bounded batches, and never again.
 */
class NetworkSizeRepublishTest {

    private static final int BATCH = NetworkSizeProcessor.REPUBLISH_BATCH;

    @Test
    void shouldRepublishEveryStoredSizeOnceInBoundedBatchesWhenStoreWasWrittenByOlderVersion() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final KeyValueStore<String, String> stored = driver.getKeyValueStore(StoreNames.GRAPH_SIZES);
            final int count = BATCH + 500;
            for (int i = 1; i <= count; i++) {
                stored.put(uuid(i), i + "," + (i % 7) + ",0");
            }
            final TestOutputTopic<String, NetworkSizes> sizes = sizesTopic(driver);

            driver.advanceWallClockTime(PARAMETERS.networkSizeInterval());
            final Instant firstRun = T0.plus(PARAMETERS.networkSizeInterval());
            final List<KeyValue<String, NetworkSizes>> first = sizes.readKeyValuesToList();
            assertThat(first).hasSize(BATCH);
            assertThat(first.get(0)).isEqualTo(new KeyValue<>(uuid(1), new NetworkSizes(uuid(1), 1L, 1L, 0L,
                firstRun)));
            assertThat(first.get(BATCH - 1).key).isEqualTo(uuid(BATCH));
            assertThat(stored.get(NetworkSizeProcessor.REPUBLISH_MARKER)).isEqualTo(uuid(BATCH));

            driver.advanceWallClockTime(PARAMETERS.networkSizeInterval());
            final List<KeyValue<String, NetworkSizes>> second = sizes.readKeyValuesToList();
            assertThat(second).extracting(kv -> kv.key).containsExactlyElementsOf(
                IntStream.rangeClosed(BATCH + 1, count).mapToObj(GraphFixtures::uuid).toList());
            assertThat(second).allSatisfy(kv -> assertThat(kv.value.getFirstDegree())
                .isEqualTo(Long.parseLong(stored.get(kv.key).split(",")[0])));
            assertThat(stored.get(NetworkSizeProcessor.REPUBLISH_MARKER)).isEqualTo(NetworkSizeProcessor.REPUBLISHED);

            // done: later runs write only sizes that change
            driver.advanceWallClockTime(PARAMETERS.networkSizeInterval());
            assertThat(sizes.readKeyValuesToList()).isEmpty();
            pipe(input(driver), uuid(1), share("e1", uuid(1), T0, uuid(2)));
            settle(driver, PARAMETERS);
            assertThat(sizes.readKeyValuesToList()).containsExactly(
                new KeyValue<>(uuid(1), new NetworkSizes(uuid(1), 1L, 0L, 0L, T0)));
        }
    }

    @Test
    void shouldResumeAfterMarkerWhenStoppedDuringRepublish() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final KeyValueStore<String, String> stored = driver.getKeyValueStore(StoreNames.GRAPH_SIZES);
            for (int i = 1; i <= 5; i++) {
                stored.put(uuid(i), "1,2,3");
            }
            // a run before the stop got as far as the third insider (committed with the records it wrote)
            stored.put(NetworkSizeProcessor.REPUBLISH_MARKER, uuid(3));
            final TestOutputTopic<String, NetworkSizes> sizes = sizesTopic(driver);
            driver.advanceWallClockTime(PARAMETERS.networkSizeInterval());
            assertThat(sizes.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(uuid(4), uuid(5));
            assertThat(stored.get(NetworkSizeProcessor.REPUBLISH_MARKER)).isEqualTo(NetworkSizeProcessor.REPUBLISHED);
        }
    }

    @Test
    void shouldRepublishNothingWhenStoreIsNew() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestOutputTopic<String, NetworkSizes> sizes = sizesTopic(driver);
            driver.advanceWallClockTime(PARAMETERS.networkSizeInterval());
            assertThat(sizes.readKeyValuesToList()).isEmpty();
            assertThat(driver.<String, String>getKeyValueStore(StoreNames.GRAPH_SIZES)
                .get(NetworkSizeProcessor.REPUBLISH_MARKER)).isEqualTo(NetworkSizeProcessor.REPUBLISHED);
        }
    }

    private static TestOutputTopic<String, NetworkSizes> sizesTopic(final TopologyTestDriver driver) {
        return driver.createOutputTopic(topics().networkSizes().name(), Serdes.String().deserializer(),
            topics().networkSizes().valueSerde().deserializer());
    }
}
