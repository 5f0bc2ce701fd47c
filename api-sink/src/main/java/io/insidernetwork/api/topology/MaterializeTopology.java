package io.insidernetwork.api.topology;

import io.insidernetwork.schemas.topic.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * graph-stream's compacted outputs → api-sink's queryable stores. Both sources feed stores shared by one
 * sub-topology, so Streams co-partitions them: an insider and its outgoing connections live in the same task.
 */
public final class MaterializeTopology {

    static final String INSIDER_SOURCE = "insider-state-source";
    static final String CONNECTION_SOURCE = "connection-state-source";
    static final String INSIDER_PROCESSOR = "insider-materializer";
    static final String CONNECTION_PROCESSOR = "connection-materializer";

    private final Topics topics;

    public MaterializeTopology(final Topics topics) {
        this.topics = topics;
    }

    /** The topology. */
    @SuppressWarnings("unchecked")
    public Topology build() {
        final Topology topology = new Topology();
        topology.addSource(INSIDER_SOURCE, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.insiderState().valueSerde().deserializer(),
            topics.insiderState().name());
        topology.addSource(CONNECTION_SOURCE, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.connectionState().valueSerde().deserializer(),
            topics.connectionState().name());
        topology.addProcessor(INSIDER_PROCESSOR, MaterializeProcessor::forInsiders, INSIDER_SOURCE);
        topology.addProcessor(CONNECTION_PROCESSOR, MaterializeProcessor::forConnections, CONNECTION_SOURCE);
        final String[] both = {INSIDER_PROCESSOR, CONNECTION_PROCESSOR};
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApiStoreNames.INSIDERS),
            Serdes.String(), topics.insiderState().valueSerde()), both);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApiStoreNames.CONNECTIONS),
            Serdes.String(), topics.connectionState().valueSerde()), both);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ApiStoreNames.BY_JOINED_DATE), Serdes.Bytes(), Serdes.String()), both);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ApiStoreNames.BY_SEQ), Serdes.Bytes(), Serdes.String()), both);
        return topology;
    }
}
