package io.insidernetwork.ingest.insightiq;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One InsightIQ response: its objects (never null; one for single-object endpoints), the upstream request-id (null
 * when the header is missing), when it was received and the URL asked (without credentials).
 */
public record Page(List<JsonNode> items, String requestId, Instant fetchedAt, String url) {
}
