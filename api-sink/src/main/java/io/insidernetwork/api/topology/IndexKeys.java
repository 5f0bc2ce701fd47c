package io.insidernetwork.api.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte keys whose lexicographic order is the numeric order of the longs they hold (sign bit flipped, big-endian),
 * so RocksDB range scans walk the indexes in sort order.
 */
public final class IndexKeys {

    private static final long SIZES_OFFSET_BIT = 1L << 58;

    private IndexKeys() {
    }

    /** Key of (joined date millis, seq). */
    public static Bytes joined(final long joinedMillis, final long seq) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(joinedMillis ^ Long.MIN_VALUE).putLong(seq ^ Long.MIN_VALUE)
            .array());
    }

    /** Key of a seq. */
    public static Bytes seq(final long seq) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(seq ^ Long.MIN_VALUE).array());
    }

    /**
     * Key of one change-feed entry: (updated_at millis, insider id, offset of the source record). The id is followed
     * by a 0 byte so a shorter id sorts before any id it prefixes, as strings do.
     */
    public static Bytes update(final long updatedAtMillis, final String insiderId, final long offset) {
        final byte[] id = insiderId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length + 1 + 8).putLong(updatedAtMillis ^ Long.MIN_VALUE).put(id)
            .put((byte) 0).putLong(offset ^ Long.MIN_VALUE).array());
    }

    /**
     * The offset part of a change-feed entry api-sink derives from the network-sizes record at {@code offset}: bit 58
     * set, so it never equals the offset of an entry read from the change-feed topic (Kafka offsets stay far below
     * 2^58) and still prints in 18 digits. At equal (updated_at, insider id) it sorts after the topic's entries.
     */
    public static long sizesOffset(final long offset) {
        return SIZES_OFFSET_BIT | offset;
    }

    /** The smallest update key at {@code updatedAtMillis}. */
    public static Bytes updateFloor(final long updatedAtMillis) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(updatedAtMillis ^ Long.MIN_VALUE).array());
    }

    /** A key larger than every update key. */
    public static Bytes updateCeiling() {
        return max(9);
    }

    /** The updated_at millis of an update key. */
    public static long updatedAt(final Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    /** The source offset of an update key. */
    public static long updateOffset(final Bytes key) {
        final byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() ^ Long.MIN_VALUE;
    }

    /** The smallest key of either dump index. */
    public static Bytes min(final int length) {
        return Bytes.wrap(new byte[length]);
    }

    /** The largest key of either dump index. */
    public static Bytes max(final int length) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 0xFF);
        return Bytes.wrap(bytes);
    }
}
