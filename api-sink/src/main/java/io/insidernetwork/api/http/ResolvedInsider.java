package io.insidernetwork.api.http;

import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkSize;
import io.insidernetwork.schemas.graph.NetworkSizes;
import java.time.Instant;
import java.util.Optional;

/**
 * An insider as the per-insider endpoints show it: its own state joined with its network sizes (both read from the
 * partition hosting it). A change of the sizes is a change of the insider, so it moves the insider's time_updated.
 *
 * @param sizes the insider's sizes record; empty before its first one
 */
record ResolvedInsider(InsiderState state, Optional<NetworkSizes> sizes) {

    /** When the insider or its network sizes last changed. */
    Instant timeUpdated() {
        final Instant own = state.getTimeUpdated();
        return sizes.map(NetworkSizes::getTimeUpdated).filter(t -> t.isAfter(own)).orElse(own);
    }

    /**
     * The network sizes; before the first sizes record all counts are 0 as of the insider's creation (the time the
     * state's own, unmaintained, network_size keeps).
     */
    NetworkSize networkSize() {
        return sizes.map(s -> new NetworkSize(s.getFirstDegree(), s.getSecondDegree(), s.getThirdDegree(),
                s.getTimeUpdated()))
            .orElseGet(() -> new NetworkSize(0L, 0L, 0L, state.getNetworkSize().getTimeUpdated()));
    }
}
