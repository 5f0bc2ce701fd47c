package io.insidernetwork.api.query;

import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import java.util.List;

/** One page of the dump in sort order; {@code hasNext} when more insiders follow the last one. */
public record DumpPage(List<Entry> entries, boolean hasNext) {

    /** An insider and its outgoing connections. */
    public record Entry(InsiderState insider, List<ConnectionState> connections) {
    }
}
