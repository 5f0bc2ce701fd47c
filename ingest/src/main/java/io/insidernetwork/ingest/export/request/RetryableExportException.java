package io.insidernetwork.ingest.export.request;

/** A failure worth retrying: a network error, a timeout or a 5xx answer. */
public final class RetryableExportException extends Exception {

    private static final long serialVersionUID = 1L;

    public RetryableExportException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
