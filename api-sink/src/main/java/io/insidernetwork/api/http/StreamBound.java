package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.UpdateEntry;
import io.insidernetwork.api.query.Dtos.UpdatePosition;
import io.insidernetwork.api.query.UpdatesQuery;
import java.util.Optional;

/**
 * A place in the change feed: the entries strictly after {@code after}, or (without it) those with updated_at at or
 * after {@code since}.
 */
record StreamBound(long since, Optional<UpdatePosition> after) {

    static StreamBound since(final long millis) {
        return new StreamBound(millis, Optional.empty());
    }

    static StreamBound after(final UpdatePosition position) {
        return new StreamBound(position.updatedAt(), Optional.of(position));
    }

    /** Whether {@code entry} lies at or after this place. */
    boolean admits(final UpdateEntry entry) {
        return after.map(p -> compare(entry, p) > 0).orElse(entry.updatedAt() >= since);
    }

    /** The forward page of at most {@code limit} entries from this place. */
    UpdatesQuery query(final int limit) {
        return new UpdatesQuery(since, after, false, limit);
    }

    private static int compare(final UpdateEntry entry, final UpdatePosition p) {
        final int byTime = Long.compare(entry.updatedAt(), p.updatedAt());
        if (byTime != 0) {
            return byTime;
        }
        final int byId = entry.insiderId().compareTo(p.insiderId());
        return byId != 0 ? byId : Long.compare(entry.offset(), p.offset());
    }
}
