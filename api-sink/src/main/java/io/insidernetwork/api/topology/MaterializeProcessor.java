package io.insidernetwork.api.topology;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Materializes graph-stream's insider and connection states (co-partitioned by insider) into queryable stores and
 * keeps the dump's sort indexes in step; a tombstone removes the entry and its index keys.
 */
public final class MaterializeProcessor implements Processor<String, SpecificRecord, Void, Void> {

    private final boolean connectionsSource;
    private KeyValueStore<String, InsiderState> insiders;
    private KeyValueStore<String, ConnectionState> connections;
    private KeyValueStore<Bytes, String> byJoined;
    private KeyValueStore<Bytes, String> bySeq;

    private MaterializeProcessor(final boolean connectionsSource) {
        this.connectionsSource = connectionsSource;
    }

    /** The processor for the insider-state source. */
    public static MaterializeProcessor forInsiders() {
        return new MaterializeProcessor(false);
    }

    /** The processor for the connection-state source. */
    public static MaterializeProcessor forConnections() {
        return new MaterializeProcessor(true);
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        insiders = context.getStateStore(ApiStoreNames.INSIDERS);
        connections = context.getStateStore(ApiStoreNames.CONNECTIONS);
        byJoined = context.getStateStore(ApiStoreNames.BY_JOINED_DATE);
        bySeq = context.getStateStore(ApiStoreNames.BY_SEQ);
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        if (record.key() == null) {
            return;
        }
        if (connectionsSource) {
            if (record.value() == null) {
                connections.delete(record.key());
            } else {
                connections.put(record.key(), (ConnectionState) record.value());
            }
            return;
        }
        final InsiderState before = insiders.get(record.key());
        if (before != null) {
            byJoined.delete(IndexKeys.joined(before.getJoinedDate().toEpochMilli(), before.getSeq()));
            bySeq.delete(IndexKeys.seq(before.getSeq()));
        }
        final InsiderState after = (InsiderState) record.value();
        if (after == null) {
            insiders.delete(record.key());
            return;
        }
        insiders.put(record.key(), after);
        byJoined.put(IndexKeys.joined(after.getJoinedDate().toEpochMilli(), after.getSeq()), record.key());
        bySeq.put(IndexKeys.seq(after.getSeq()), record.key());
    }
}
