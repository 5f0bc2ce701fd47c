package io.insidernetwork.graph.processor;

import io.insidernetwork.schemas.graph.InsiderState;

/** An insider's state as loaded for a change, and whether it was created by it (not stored before). */
record LoadedInsider(InsiderState state, boolean created) {
}
