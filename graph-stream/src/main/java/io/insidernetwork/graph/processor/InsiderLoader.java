package io.insidernetwork.graph.processor;

import io.insidernetwork.schemas.graph.SignupStatus;
import java.time.Instant;

/** Reads an insider's state for a change, or creates it (not stored until saved). */
@FunctionalInterface
interface InsiderLoader {

    /**
     * The state of {@code id}, or a new one in {@code networkId} with {@code status} as of {@code time}.
     */
    LoadedInsider load(String id, String networkId, Instant time, SignupStatus status);
}
