package io.insidernetwork.graph.topology;

import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.processor.InsightIqAccountProcessor;
import io.insidernetwork.graph.processor.InsightIqRouter;
import io.insidernetwork.graph.processor.InsightIqUserProcessor;
import io.insidernetwork.graph.processor.NetworkProcessor;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InsightIqFact;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.insightiq.InsightIqAccount;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqProfile;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The graph-stream topology, four sub-topologies:
 * <ol>
 *   <li>partner events, internal commands and InsightIQ facts by insider → {@code network-processor} (insiders,
 *   connections, purchases, indexes, InsightIQ engagement) → the public outputs, commands to other tasks and dead
 *   letters;</li>
 *   <li>the raw InsightIQ topics → {@code insightiq-router} → facts by account id or user id (or dead letters);</li>
 *   <li>facts by account id → {@code insightiq-account-processor} → account engagement by user id;</li>
 *   <li>facts by user id → {@code insightiq-user-processor} → facts by insider id (back to the first).</li>
 * </ol>
 * Network sizes are not computed here but from the connections topic, on a thread of their own
 * ({@code sizes.NetworkSizeService}). Every source, processor, store and sink is named; the description is pinned by a test because store and topic
 * names become a contract once data exists.
 */
public final class NetworkTopology {

    static final String EVENT_SOURCE = "partner-events-source";
    static final String COMMAND_SOURCE = "commands-source";
    static final String PROCESSOR = "network-processor";
    static final String IIQ_INSIDER_SOURCE = "insightiq-by-insider-source";
    static final String IIQ_ROUTER = "insightiq-router";
    static final String IIQ_ACCOUNT_SOURCE = "insightiq-by-account-source";
    static final String IIQ_ACCOUNT_PROCESSOR = "insightiq-account-processor";
    static final String IIQ_USER_SOURCE = "insightiq-by-user-source";
    static final String IIQ_USER_PROCESSOR = "insightiq-user-processor";

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
        addInsightIq(topology);
        return topology;
    }

    @SuppressWarnings("unchecked")
    private void addNetwork(final Topology topology) {
        // Streams' default reset (earliest) spelled out: the only overload with a per-source extractor names one
        topology.addSource(AutoOffsetReset.earliest(), EVENT_SOURCE,
            new PartnerEventTimestampExtractor(parameters.maxFutureSkew()), Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.partnerEvents().valueSerde().deserializer(),
            topics.partnerEvents().name());
        topology.addSource(COMMAND_SOURCE, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.graphCommands().valueSerde().deserializer(),
            topics.graphCommands().name());
        topology.addSource(IIQ_INSIDER_SOURCE, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topics.graphInsightIqInsiders().valueSerde().deserializer(),
            topics.graphInsightIqInsiders().name());
        topology.addProcessor(PROCESSOR, () -> new NetworkProcessor(parameters), EVENT_SOURCE, COMMAND_SOURCE,
            IIQ_INSIDER_SOURCE);
        // record caches: each changed insider and connection reaches its changelog and its topic once per commit
        // (NetworkStores, CacheFlushEmitter), with the topic's own serde so the cached bytes are what is emitted
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INSIDERS),
            Serdes.String(), topics.insiderState().valueSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.CONNECTIONS),
            Serdes.String(), topics.connectionState().valueSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEEN_EVENTS),
            Serdes.String(), Serdes.Long()), PROCESSOR);
        // a task's sequence counter is written for every new insider: its cache writes it once per commit
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SEQUENCES),
            Serdes.String(), Serdes.Long()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.PURCHASES),
            Serdes.String(), topics.purchases().valueSerde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INDEX),
            Serdes.String(), Serdes.String()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.INSIGHTIQ_ENGAGEMENT), Serdes.String(), Serdes.String()),
            PROCESSOR);
        topology.addSink(NetworkProcessor.INSIDER_SINK, topics.insiderState().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.CONNECTION_SINK, topics.connectionState().name(),
            Serdes.String().serializer(), anyRecord(), new SourcePartitioner<Object>(), PROCESSOR);
        topology.addSink(NetworkProcessor.UPDATES_SINK, topics.networkUpdates().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.PURCHASE_SINK, topics.purchases().name(), Serdes.String().serializer(),
            anyRecord(), new SourcePartitioner<Object>(), PROCESSOR);
        topology.addSink(NetworkProcessor.COMMAND_SINK, topics.graphCommands().name(), Serdes.String().serializer(),
            anyRecord(), PROCESSOR);
        topology.addSink(NetworkProcessor.DEAD_LETTER_SINK, topics.graphDeadLetters().name(),
            Serdes.String().serializer(), anyRecord(), PROCESSOR);
    }

    /**
     * The InsightIQ sub-topologies: raw topics re-keyed by account or user id, the account and user tasks, and
     * their facts by insider id, which the network processor reads (docs/graph-model.md, "InsightIQ facts").
     */
    private void addInsightIq(final Topology topology) {
        final String[] rawSources = {
            rawSource(topology, "insightiq-users-source", topics.users()),
            rawSource(topology, "insightiq-accounts-source", topics.accounts()),
            rawSource(topology, "insightiq-profiles-source", topics.profiles()),
            rawSource(topology, "insightiq-contents-source", topics.contents()),
            rawSource(topology, "insightiq-disconnects-source", topics.accountDisconnects())};
        topology.addProcessor(IIQ_ROUTER, InsightIqRouter::new, rawSources);
        topology.addSink(InsightIqRouter.ACCOUNT_SINK, topics.graphInsightIqAccounts().name(),
            Serdes.String().serializer(), anyRecord(), IIQ_ROUTER);
        topology.addSink(InsightIqRouter.USER_SINK, topics.graphInsightIqUsers().name(),
            Serdes.String().serializer(), anyRecord(), IIQ_ROUTER);
        topology.addSink(InsightIqRouter.DEAD_LETTER_SINK, topics.graphDeadLetters().name(),
            Serdes.String().serializer(), anyRecord(), IIQ_ROUTER);

        topology.addSource(IIQ_ACCOUNT_SOURCE, Serdes.String().deserializer(),
            topics.graphInsightIqAccounts().valueSerde().deserializer(), topics.graphInsightIqAccounts().name());
        topology.addProcessor(IIQ_ACCOUNT_PROCESSOR, InsightIqAccountProcessor::new, IIQ_ACCOUNT_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.INSIGHTIQ_ACCOUNTS), Serdes.String(), Serdes.String()),
            IIQ_ACCOUNT_PROCESSOR);
        topology.addSink(InsightIqAccountProcessor.USER_SINK, topics.graphInsightIqUsers().name(),
            Serdes.String().serializer(), topics.graphInsightIqUsers().valueSerde().serializer(),
            IIQ_ACCOUNT_PROCESSOR);

        topology.addSource(IIQ_USER_SOURCE, Serdes.String().deserializer(),
            topics.graphInsightIqUsers().valueSerde().deserializer(), topics.graphInsightIqUsers().name());
        topology.addProcessor(IIQ_USER_PROCESSOR, InsightIqUserProcessor::new, IIQ_USER_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.INSIGHTIQ_USERS), Serdes.String(),
            topics.graphInsightIqUsers().valueSerde()), IIQ_USER_PROCESSOR);
        topology.addSink(InsightIqUserProcessor.INSIDER_SINK, topics.graphInsightIqInsiders().name(),
            Serdes.String().serializer(), topics.graphInsightIqInsiders().valueSerde().serializer(),
            IIQ_USER_PROCESSOR);
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> String rawSource(final Topology topology, final String name,
                                                               final TopicSpec<String, V> topic) {
        topology.addSource(name, Serdes.String().deserializer(),
            (Deserializer<SpecificRecord>) (Deserializer<?>) topic.valueSerde().deserializer(), topic.name());
        return name;
    }

    /**
     * Serializes any of the record types the processors forward, with that type's own serde; {@code byte[]} values are
     * records a store's cache emitted, already encoded with their topic's serde, and pass as they are.
     */
    private Serializer<Object> anyRecord() {
        final Map<Class<?>, Serializer<?>> byType = Map.ofEntries(
            Map.entry(PartnerEvent.class, topics.partnerEvents().valueSerde().serializer()),
            Map.entry(GraphCommand.class, topics.graphCommands().valueSerde().serializer()),
            Map.entry(InsiderState.class, topics.insiderState().valueSerde().serializer()),
            Map.entry(ConnectionState.class, topics.connectionState().valueSerde().serializer()),
            Map.entry(NetworkUpdate.class, topics.networkUpdates().valueSerde().serializer()),
            Map.entry(PurchaseRecord.class, topics.purchases().valueSerde().serializer()),
            Map.entry(InsightIqFact.class, topics.graphInsightIqAccounts().valueSerde().serializer()),
            Map.entry(InsightIqUser.class, topics.users().valueSerde().serializer()),
            Map.entry(InsightIqAccount.class, topics.accounts().valueSerde().serializer()),
            Map.entry(InsightIqProfile.class, topics.profiles().valueSerde().serializer()),
            Map.entry(InsightIqContent.class, topics.contents().valueSerde().serializer()),
            Map.entry(InsightIqAccountDisconnected.class, topics.accountDisconnects().valueSerde().serializer()));
        return new Serializer<>() {
            @Override
            @SuppressWarnings("unchecked")
            public byte[] serialize(final String topic, final Object data) {
                if (data == null || data instanceof byte[]) {
                    return (byte[]) data;
                }
                return ((Serializer<Object>) byType.get(data.getClass())).serialize(topic, data);
            }
        };
    }
}
