package io.insidernetwork.api.query;

import io.insidernetwork.api.query.Dtos.UpdatePosition;
import java.util.Optional;

/**
 * One page request of the change feed: entries with updated_at ≥ {@code since} in (updated_at, insider id, offset)
 * order, strictly after {@code position} (or strictly before it when {@code backward}).
 */
public record UpdatesQuery(long since, Optional<UpdatePosition> position, boolean backward, int limit) {
}
