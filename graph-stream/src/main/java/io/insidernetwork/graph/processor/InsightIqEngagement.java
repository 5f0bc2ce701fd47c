package io.insidernetwork.graph.processor;

import io.insidernetwork.graph.logic.ConnectionStates;
import io.insidernetwork.graph.logic.GraphParameters;
import io.insidernetwork.graph.topology.StoreNames;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.IiqAccountEngagement;
import io.insidernetwork.schemas.graph.IiqInsiderJoined;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InsightIqFact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The InsightIQ part of the network processor (insider task): per insider and platform the engagement
 * e_p = Σ over the insider's connected accounts on p of α × interactions / max(followers, 1), folded into the
 * platform strengths of the insider's outgoing connections; a disconnected account removes the insider's
 * connections that have activity only on its platform and drops the platform from the others. Writes go through
 * {@link Network}, the network processor's own connection and insider paths, so decay index and
 * the change feed stay as for every other change.
 */
final class InsightIqEngagement {

    /** The network processor's primitives this class changes connections and insiders through. */
    interface Network {
        /** The connection, through the processor's cache; null when absent. */
        ConnectionState connection(String key);

        /** Writes a connection whose score did not change (store, cache, decay index, connection-state topic). */
        void updateConnection(String key, ConnectionState connection, Instant time);

        /** Removes a connection (tombstone, which the network-size service reads too); the feed entry. */
        ConnectionChange removeConnection(String key, ConnectionState connection, Instant time);

        /** The insider state, null when the insider is unknown. */
        InsiderState insider(String id);

        /** Appends a CONNECTIONS_UPDATED entry of {@code insider} to the change feed. */
        void connectionsUpdated(InsiderState insider, List<ConnectionChange> changes, Instant time);

        /** Stores and emits a changed insider (INSIDER_UPDATED in the feed). */
        void insiderUpdated(InsiderState insider, Instant time);
    }

    private static final Logger log = LoggerFactory.getLogger(InsightIqEngagement.class);
    private static final String ACCOUNT = "a|";
    private static final String TOTAL = "t|";
    private static final String JOINED = "j|";
    private static final String SEP = "|";
    private static final String FIELD = "\t";

    private final GraphParameters parameters;
    private final KeyValueStore<String, String> store;
    private final KeyValueStore<String, ConnectionState> connectionStore;
    private final Network network;

    InsightIqEngagement(final GraphParameters parameters, final ProcessorContext<?, ?> context,
                        final Network network) {
        this.parameters = parameters;
        this.store = context.getStateStore(StoreNames.INSIGHTIQ_ENGAGEMENT);
        this.connectionStore = context.getStateStore(StoreNames.CONNECTIONS);
        this.network = network;
    }

    /** The engagement e_p of {@code insider} on {@code platform} (any case; null or blank: 0). */
    double engagement(final String insider, final String platform) {
        final String key = ConnectionStates.platformKey(platform);
        if (key == null) {
            return 0.0;
        }
        final String total = store.get(TOTAL + insider + SEP + key);
        return total == null ? 0.0 : Double.parseDouble(total);
    }

    /** The earliest InsightIQ registration time of an insider not known to the network processor yet. */
    Optional<Instant> joinedBeforeCreation(final String insider) {
        final String joined = store.get(JOINED + insider);
        return joined == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(joined)));
    }

    /** Applies a fact keyed by insider id. */
    void apply(final InsightIqFact fact) {
        final Object payload = fact.getPayload();
        if (payload instanceof IiqAccountEngagement account && account.getInsiderId() != null) {
            onAccount(account, fact.getFactTime());
        } else if (payload instanceof IiqInsiderJoined joined) {
            onJoined(joined, fact.getFactTime());
        }
    }

    private void onAccount(final IiqAccountEngagement account, final Instant time) {
        final String insider = account.getInsiderId();
        final String platform = account.getPlatform();
        final String key = ACCOUNT + insider + SEP + platform + SEP + account.getAccountId();
        final String previous = store.get(key);
        final boolean wasConnected = previous != null && previous.startsWith("true");
        store.put(key, account.getConnected() + FIELD + account.getInteractions() + FIELD
            + (account.getFollowerCount() == null ? "" : account.getFollowerCount()));
        final double before = engagement(insider, platform);
        final Total after = total(insider, platform);
        if (after.engagement() == 0.0) {
            store.delete(TOTAL + insider + SEP + platform);
        } else {
            store.put(TOTAL + insider + SEP + platform, Double.toString(after.engagement()));
        }
        // the first word on an account may already be its disconnection (a disconnect record overtook the rest)
        if (!account.getConnected() && (previous == null || wasConnected) && after.connectedAccounts() == 0) {
            disconnect(insider, platform, after.engagement(), time);
        } else if (after.engagement() != before) {
            reweigh(insider, platform, after.engagement(), time);
        }
    }

    private record Total(double engagement, int connectedAccounts) {
    }

    private Total total(final String insider, final String platform) {
        double sum = 0.0;
        int connected = 0;
        try (KeyValueIterator<String, String> all = store.prefixScan(ACCOUNT + insider + SEP + platform + SEP,
            new StringSerializer())) {
            while (all.hasNext()) {
                final String[] f = all.next().value.split(FIELD, -1);
                if (Boolean.parseBoolean(f[0])) {
                    connected++;
                    sum += parameters.engagement(Long.parseLong(f[1]), f[2].isEmpty() ? null : Long.valueOf(f[2]));
                }
            }
        }
        return new Total(sum, connected);
    }

    private void reweigh(final String insider, final String platform, final double engagement, final Instant time) {
        final List<ConnectionChange> changes = new ArrayList<>();
        for (final String key : outgoing(insider)) {
            final ConnectionState connection = network.connection(key);
            if (connection != null
                && ConnectionStates.applyEngagement(connection, parameters, platform, engagement, time)) {
                network.updateConnection(key, connection, time);
                changes.add(new ConnectionChange(connection.getTargetId(), connection.getWeight(),
                    ChangeType.UPDATED));
            }
        }
        feed(insider, changes, time);
    }

    /**
     * The insider's account on {@code platform} is gone: connections active only there are removed, the others
     * lose the platform. Connections that first appeared after the disconnection were built by later shares and
     * stay.
     */
    private void disconnect(final String insider, final String platform, final double engagement,
                            final Instant time) {
        final List<ConnectionChange> changes = new ArrayList<>();
        for (final String key : outgoing(insider)) {
            final ConnectionState connection = network.connection(key);
            if (connection == null) {
                continue;
            }
            if (connection.getFirstConnected().isAfter(time)) {
                if (ConnectionStates.applyEngagement(connection, parameters, platform, engagement, time)) {
                    network.updateConnection(key, connection, time);
                    changes.add(new ConnectionChange(connection.getTargetId(), connection.getWeight(),
                        ChangeType.UPDATED));
                }
            } else if (ConnectionStates.onlyOn(connection, platform)) {
                changes.add(network.removeConnection(key, connection, time));
            } else if (ConnectionStates.dropPlatform(connection, parameters, platform, time)) {
                network.updateConnection(key, connection, time);
                changes.add(new ConnectionChange(connection.getTargetId(), connection.getWeight(),
                    ChangeType.UPDATED));
            }
        }
        log.info("InsightIQ account of insider {} on {} disconnected: {} connections changed", insider, platform,
            changes.size());
        feed(insider, changes, time);
    }

    private void onJoined(final IiqInsiderJoined joined, final Instant time) {
        final InsiderState state = network.insider(joined.getInsiderId());
        if (state == null) {
            final Optional<Instant> known = joinedBeforeCreation(joined.getInsiderId());
            if (known.isEmpty() || joined.getJoinedAt().isBefore(known.get())) {
                store.put(JOINED + joined.getInsiderId(), Long.toString(joined.getJoinedAt().toEpochMilli()));
            }
        } else if (joined.getJoinedAt().isBefore(state.getJoinedDate())) {
            state.setJoinedDate(joined.getJoinedAt());
            network.insiderUpdated(state, time);
        }
    }

    private List<String> outgoing(final String insider) {
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ConnectionState> all = connectionStore.prefixScan(
            insider + ConnectionKeys.SEPARATOR, new StringSerializer())) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private void feed(final String insider, final List<ConnectionChange> changes, final Instant time) {
        final InsiderState state = network.insider(insider);
        if (!changes.isEmpty() && state != null) {
            network.connectionsUpdated(state, changes, time);
        }
    }
}
