package io.insidernetwork.api.query;

import java.util.Optional;

/**
 * One page request of the network dump: order by {@code sortBy} then by insider seq, in {@code order}, starting
 * strictly after {@code after} when present.
 */
public record DumpQuery(SortBy sortBy, SortOrder order, int limit, Optional<Keyset> after) {

    /** Sort fields of the dump. */
    public enum SortBy {
        /** By joined date, then seq. */
        JOINED_DATE("joined_date"),
        /** By the insider's numeric network id (seq). */
        NETWORK_ID("network_id");

        private final String wire;

        SortBy(final String wire) {
            this.wire = wire;
        }

        /** The API's name of the field. */
        public String wire() {
            return wire;
        }

        /** The field with API name {@code wire}, if any. */
        public static Optional<SortBy> fromWire(final String wire) {
            for (final SortBy s : values()) {
                if (s.wire.equals(wire)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** Sort directions. */
    public enum SortOrder {
        ASC, DESC;

        /** The API's name. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A position in the dump order: the insider's seq and its sort value (joined date millis for JOINED_DATE, the
     * seq again for NETWORK_ID).
     */
    public record Keyset(long id, long value) {
    }
}
