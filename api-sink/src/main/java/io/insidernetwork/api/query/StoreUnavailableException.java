package io.insidernetwork.api.query;

/** The stores cannot answer now (rebalance, restoration, not started): the API answers 503 with Retry-After. */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(final String message) {
        super(message);
    }

    public StoreUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
