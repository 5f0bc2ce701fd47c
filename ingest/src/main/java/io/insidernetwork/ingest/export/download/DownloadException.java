package io.insidernetwork.ingest.export.download;

/** A file could not be fetched or imported; {@link #retryable()} tells whether trying again may help. */
public final class DownloadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    private DownloadException(final String message, final Throwable cause, final boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A network error, a timeout, 429 or 5xx, or Kafka not acknowledging: try again from the last checkpoint. */
    public static DownloadException retryable(final String message, final Throwable cause) {
        return new DownloadException(message, cause, true);
    }

    /** A refused redirect, 4xx, or an unreadable file: retrying cannot help. */
    public static DownloadException permanent(final String message, final Throwable cause) {
        return new DownloadException(message, cause, false);
    }

    public boolean retryable() {
        return retryable;
    }
}
