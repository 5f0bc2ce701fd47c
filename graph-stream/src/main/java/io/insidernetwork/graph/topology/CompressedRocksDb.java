package io.insidernetwork.graph.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

/**
 * RocksDB settings of graph-stream's stores: LZ4 compression of their files. Kafka Streams leaves RocksDB's files
 * uncompressed; the stores hold Avro records and index keys full of repeated ids and prefixes, which LZ4 shrinks at
 * little CPU cost (it runs on RocksDB's flush and compaction threads, not the stream thread). Set as
 * {@code rocksdb.config.setter} by {@code GraphStreamConfig}; {@code kafka.rocksdb.config.setter} replaces it.
 */
public final class CompressedRocksDb implements RocksDBConfigSetter {

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
    }

    @Override
    public void close(final String storeName, final Options options) {
        // nothing allocated: the compression type is a plain setting
    }
}
