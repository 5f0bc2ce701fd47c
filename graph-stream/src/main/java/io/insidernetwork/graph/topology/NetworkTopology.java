package io.insidernetwork.graph.topology;

import io.insidernetwork.graph.logic.WeightModel;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.topic.Topics;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * partner events → insider, connection and network-update outputs. Every source, processor, store and sink is
 * named; the description is pinned by a test because store and topic names become a contract once data exists.
 */
public final class NetworkTopology {

    static final String SOURCE = "partner-events-source";
    static final String PROCESSOR = "network-processor";

    private final Topics topics;
    private final WeightModel weights;

    public NetworkTopology(final Topics topics, final WeightModel weights) {
        this.topics = topics;
        this.weights = weights;
    }

    /** The topology; {@code props} are the Streams settings it will run with. */
    @SuppressWarnings("unchecked")
    public Topology build(final Properties props) {
        final Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), topics.partnerEvents().valueSerde().deserializer(),
            topics.partnerEvents().name());
        final ProcessorSupplier<String, io.insidernetwork.schemas.partner.PartnerEvent, String,
            org.apache.avro.specific.SpecificRecord> supplier = () -> new NetworkProcessor(weights);
        topology.addProcessor(PROCESSOR, supplier, SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INSIDERS),
            Serdes.String(), topics.insiderState().valueSerde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.CONNECTIONS),
            Serdes.String(), topics.connectionState().valueSerde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEEN_EVENTS),
            Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEQUENCES),
            Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addSink(NetworkProcessor.INSIDER_SINK, topics.insiderState().name(), Serdes.String().serializer(),
            (Serializer<InsiderState>) topics.insiderState().valueSerde().serializer(), PROCESSOR);
        topology.addSink(NetworkProcessor.CONNECTION_SINK, topics.connectionState().name(),
            Serdes.String().serializer(), topics.connectionState().valueSerde().serializer(),
            new SourcePartitioner<ConnectionState>(), PROCESSOR);
        topology.addSink(NetworkProcessor.UPDATES_SINK, topics.networkUpdates().name(), Serdes.String().serializer(),
            (Serializer<NetworkUpdate>) topics.networkUpdates().valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
