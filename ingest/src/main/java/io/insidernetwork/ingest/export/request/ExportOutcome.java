package io.insidernetwork.ingest.export.request;

/** How the export API answered a request that was sent. Retryable failures are thrown, not returned. */
public sealed interface ExportOutcome {

    /** 2xx: the export will be prepared and its link sent to our hook. */
    record Accepted(int status) implements ExportOutcome {
    }

    /** 429: the day's request was already used; try again after the next 00:00 UTC. */
    record RateLimited(String body) implements ExportOutcome {
    }

    /** 400/401/403 or another 4xx: our configuration is wrong (partner, token, body); retrying cannot help. */
    record Rejected(int status, String body) implements ExportOutcome {
    }
}
