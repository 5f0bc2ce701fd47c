package io.insidernetwork.api.http;

import java.time.Duration;

/**
 * Bounds of the live change feed ({@code GET /api/v1/networks/updates/stream}).
 *
 * @param heartbeat    interval of the {@code : heartbeat} comment on an idle stream
 * @param bufferBytes  bytes of rendered events a stream may have waiting to be written; an event that does not
 *                     fit (the stream is too slow) ends it
 * @param writeTimeout longest a client's output may stay not ready before its connection is closed
 * @param maxStreams   open streams per instance
 * @param maxPerKey    open streams per API key and instance
 * @param poll         interval at which the instance reads new feed entries
 * @param settle       age an entry's updated_at must reach before it is pushed, so that entries of other
 *                     partitions with a slightly earlier updated_at are indexed first
 */
public record StreamSettings(Duration heartbeat, int bufferBytes, Duration writeTimeout, int maxStreams, int maxPerKey,
                             Duration poll, Duration settle) {
}
