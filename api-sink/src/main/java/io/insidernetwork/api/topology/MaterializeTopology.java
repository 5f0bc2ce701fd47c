package io.insidernetwork.api.topology;

import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * graph-stream's outputs → api-sink's queryable stores. All five sources feed stores of one sub-topology, so Streams
 * co-partitions them: an insider, its outgoing connections, its purchases, its network sizes and its change-feed
 * entries live in the same task.
 */
public final class MaterializeTopology {

    static final String INSIDER_SOURCE = "insider-state-source";
    static final String CONNECTION_SOURCE = "connection-state-source";
    static final String PURCHASE_SOURCE = "purchase-source";
    static final String UPDATE_SOURCE = "network-update-source";
    static final String SIZES_SOURCE = "network-sizes-source";
    static final String INSIDER_PROCESSOR = "insider-materializer";
    static final String CONNECTION_PROCESSOR = "connection-materializer";
    static final String PURCHASE_PROCESSOR = "purchase-materializer";
    static final String UPDATE_PROCESSOR = "network-update-indexer";
    static final String SIZES_PROCESSOR = "network-sizes-materializer";

    private final Topics topics;
    private final Duration updatesRetention;
    private final Clock clock;

    /**
     * @param updatesRetention how long change-feed entries stay indexed (the topic's retention)
     * @param clock            wall clock of the index expiry
     */
    public MaterializeTopology(final Topics topics, final Duration updatesRetention, final Clock clock) {
        this.topics = topics;
        this.updatesRetention = updatesRetention;
        this.clock = clock;
    }

    /** The topology. */
    public Topology build() {
        final Topology topology = new Topology();
        addSource(topology, INSIDER_SOURCE, topics.insiderState());
        addSource(topology, CONNECTION_SOURCE, topics.connectionState());
        addSource(topology, PURCHASE_SOURCE, topics.purchases());
        addSource(topology, UPDATE_SOURCE, topics.networkUpdates());
        topology.addSource(SIZES_SOURCE, Serdes.String().deserializer(),
            topics.networkSizes().valueSerde().deserializer(), topics.networkSizes().name());
        topology.addProcessor(INSIDER_PROCESSOR, MaterializeProcessor::forInsiders, INSIDER_SOURCE);
        topology.addProcessor(CONNECTION_PROCESSOR, MaterializeProcessor::forConnections, CONNECTION_SOURCE);
        topology.addProcessor(PURCHASE_PROCESSOR, MaterializeProcessor::forPurchases, PURCHASE_SOURCE);
        topology.addProcessor(UPDATE_PROCESSOR, () -> MaterializeProcessor.forUpdates(updatesRetention, clock),
            UPDATE_SOURCE);
        topology.addProcessor(SIZES_PROCESSOR, () -> new NetworkSizesProcessor(updatesRetention, clock), SIZES_SOURCE);
        final String[] all = {INSIDER_PROCESSOR, CONNECTION_PROCESSOR, PURCHASE_PROCESSOR, UPDATE_PROCESSOR,
            SIZES_PROCESSOR};
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApiStoreNames.INSIDERS),
            Serdes.String(), topics.insiderState().valueSerde()), all);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApiStoreNames.CONNECTIONS),
            Serdes.String(), topics.connectionState().valueSerde()), all);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ApiStoreNames.BY_JOINED_DATE), Serdes.Bytes(), Serdes.String()), all);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ApiStoreNames.BY_SEQ), Serdes.Bytes(), Serdes.String()), all);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApiStoreNames.PURCHASES),
            Serdes.String(), topics.purchases().valueSerde()), all);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ApiStoreNames.UPDATES_BY_TIME), Serdes.Bytes(),
            topics.networkUpdates().valueSerde()), all);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApiStoreNames.NETWORK_SIZES),
            Serdes.String(), topics.networkSizes().valueSerde()), SIZES_PROCESSOR);
        return topology;
    }

    @SuppressWarnings("unchecked")
    private static void addSource(final Topology topology, final String name, final TopicSpec<String, ?> topic) {
        topology.addSource(name, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topic.valueSerde().deserializer(), topic.name());
    }
}
