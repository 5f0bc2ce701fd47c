package io.insidernetwork.ingest.insightiq;

import java.util.List;
import java.util.Map;

/**
 * The InsightIQ REST API as ingest uses it. Every call is rate limited and retried (429, 5xx, timeouts, I/O) within
 * a budget; 401/403 throw {@link InsightIqException.CredentialRejected}; other failures throw
 * {@link InsightIqException}.
 */
public interface InsightIqClient {

    /** GET a list endpoint ({@code {"data": [...], "metadata": {...}}}); one page. */
    Page list(String path, Map<String, String> query);

    /** GET a single-object endpoint; an empty page on 404. */
    Page get(String path, Map<String, String> query);

    /** POST {@code {"ids": [...]}} (1 to 100 ids) to a bulk search endpoint. */
    Page search(String path, List<String> ids);
}
