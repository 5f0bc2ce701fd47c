package io.insidernetwork.ingest.export.receiver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Export link URLs already accepted: those the webhook published and those the downloader found on the links and
 * progress topics (so a restarted service still knows them). Thread-safe; one entry per file, a few per day.
 */
public final class KnownLinks {

    private final Set<String> urls = ConcurrentHashMap.newKeySet();

    /** Whether {@code url} was already accepted. */
    public boolean contains(final String url) {
        return urls.contains(url);
    }

    /** Remembers {@code url}. */
    public void add(final String url) {
        urls.add(url);
    }
}
