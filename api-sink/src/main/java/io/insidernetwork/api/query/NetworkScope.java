package io.insidernetwork.api.query;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The partner networks a caller may read: every network, or the listed ones. Never null; the set is immutable.
 */
public record NetworkScope(boolean all, Set<String> networks) {

    /** Every network. */
    public static final NetworkScope ALL = new NetworkScope(true, Set.of());

    public NetworkScope {
        networks = Set.copyOf(networks);
    }

    /** Only {@code networks}. */
    public static NetworkScope of(final Set<String> networks) {
        return new NetworkScope(false, networks);
    }

    /** Whether {@code network} is readable. */
    public boolean allows(final String network) {
        return all || networks.contains(network);
    }

    /** Wire form for peers: {@code *} or the comma-joined networks. */
    public String wire() {
        return all ? "*" : String.join(",", new java.util.TreeSet<>(networks));
    }

    /** Parses {@link #wire()}. */
    public static NetworkScope fromWire(final String wire) {
        if (wire == null || "*".equals(wire)) {
            return ALL;
        }
        // a repeated name is one network (Set.of would throw on it: found by ParamsFuzzTest)
        return wire.isEmpty() ? of(Set.of()) : of(new HashSet<>(Arrays.asList(wire.split(","))));
    }
}
