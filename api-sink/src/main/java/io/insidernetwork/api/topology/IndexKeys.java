package io.insidernetwork.api.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte keys whose lexicographic order is the numeric order of the longs they hold (sign bit flipped, big-endian),
 * so RocksDB range scans walk the dump indexes in sort order.
 */
public final class IndexKeys {

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

    /** The smallest key of either index. */
    public static Bytes min(final int length) {
        return Bytes.wrap(new byte[length]);
    }

    /** The largest key of either index. */
    public static Bytes max(final int length) {
        final byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        return Bytes.wrap(bytes);
    }
}
