package io.insidernetwork.graph.topology;

import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.graph.processor.NetworkSizeProcessor;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.EdgeChange;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The graph-stream topology, two sub-topologies:
 * <ol>
 *   <li>partner events and internal commands → {@code network-processor} (insiders, connections, purchases,
 *   indexes) → the public outputs, commands to other tasks, insider-graph changes and dead letters;</li>
 *   <li>insider-graph changes (one partition) → {@code network-size-processor} (the whole insider graph) → network
 *   size commands back to the insiders' tasks.</li>
 * </ol>
 * Every source, processor, store and sink is named; the description is pinned by a test because store and topic
 * names become a contract once data exists.
 */
public final class NetworkTopology {

    static final String EVENT_SOURCE = "partner-events-source";
    static final String COMMAND_SOURCE = "commands-source";
    static final String PROCESSOR = "network-processor";
    static final String EDGE_SOURCE = "edge-changes-source";
    static final String SIZE_PROCESSOR = "network-size-processor";

    private final Topics topics;
    private final GraphParameters parameters;

    public NetworkTopology(final Topics topics, final GraphParameters parameters) {
        this.topics = topics;
        this.parameters = parameters;
    }

    /** The topology; {@code props} are the Streams settings it will run with. */
    public Topology build(final Properties props) {
        final Topology topology = new Topology();
        addNetwork(topology);
        addNetworkSize(topology);
        return topology;
    }

    @SuppressWarnings("unchecked")
    private void addNetwork(final Topology topology) {
        topology.addSource(EVENT_SOURCE, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.partnerEvents().valueSerde().deserializer(),
            topics.partnerEvents().name());
        topology.addSource(COMMAND_SOURCE, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.graphCommands().valueSerde().deserializer(),
            topics.graphCommands().name());
        topology.addProcessor(PROCESSOR, () -> new NetworkProcessor(parameters), EVENT_SOURCE, COMMAND_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INSIDERS),
            Serdes.String(), topics.insiderState().valueSerde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.CONNECTIONS),
            Serdes.String(), topics.connectionState().valueSerde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEEN_EVENTS),
            Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEQUENCES),
            Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.PURCHASES),
            Serdes.String(), topics.purchases().valueSerde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INDEX),
            Serdes.String(), Serdes.String()), PROCESSOR);
        topology.addSink(NetworkProcessor.INSIDER_SINK, topics.insiderState().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.CONNECTION_SINK, topics.connectionState().name(),
            Serdes.String().serializer(), anyRecord(), new SourcePartitioner<SpecificRecord>(), PROCESSOR);
        topology.addSink(NetworkProcessor.UPDATES_SINK, topics.networkUpdates().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.PURCHASE_SINK, topics.purchases().name(), Serdes.String().serializer(),
            anyRecord(), new SourcePartitioner<SpecificRecord>(), PROCESSOR);
        topology.addSink(NetworkProcessor.COMMAND_SINK, topics.graphCommands().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.EDGE_SINK, topics.graphEdgeChanges().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.DEAD_LETTER_SINK, topics.graphDeadLetters().name(),
            Serdes.String().serializer(), anyRecord(), PROCESSOR);
    }

    private void addNetworkSize(final Topology topology) {
        topology.addSource(EDGE_SOURCE, Serdes.String().deserializer(),
            topics.graphEdgeChanges().valueSerde().deserializer(), topics.graphEdgeChanges().name());
        topology.addProcessor(SIZE_PROCESSOR, () -> new NetworkSizeProcessor(parameters.networkSizeInterval()),
            EDGE_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.GRAPH_EDGES),
            Serdes.String(), Serdes.Long()), SIZE_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.GRAPH_DIRTY),
            Serdes.String(), Serdes.Long()), SIZE_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.GRAPH_SIZES),
            Serdes.String(), Serdes.String()), SIZE_PROCESSOR);
        topology.addSink(NetworkSizeProcessor.COMMAND_SINK, topics.graphCommands().name(),
            Serdes.String().serializer(), topics.graphCommands().valueSerde().serializer(), SIZE_PROCESSOR);
    }

    /** Serializes any of the record types the network processor forwards, with that type's own serde. */
    private Serializer<SpecificRecord> anyRecord() {
        final Map<Class<?>, Serializer<?>> byType = Map.of(
            PartnerEvent.class, topics.partnerEvents().valueSerde().serializer(),
            GraphCommand.class, topics.graphCommands().valueSerde().serializer(),
            InsiderState.class, topics.insiderState().valueSerde().serializer(),
            ConnectionState.class, topics.connectionState().valueSerde().serializer(),
            NetworkUpdate.class, topics.networkUpdates().valueSerde().serializer(),
            PurchaseRecord.class, topics.purchases().valueSerde().serializer(),
            EdgeChange.class, topics.graphEdgeChanges().valueSerde().serializer());
        return new Serializer<>() {
            @Override
            @SuppressWarnings("unchecked")
            public byte[] serialize(final String topic, final SpecificRecord data) {
                return data == null ? null
                    : ((Serializer<SpecificRecord>) byType.get(data.getClass())).serialize(topic, data);
            }
        };
    }
}
