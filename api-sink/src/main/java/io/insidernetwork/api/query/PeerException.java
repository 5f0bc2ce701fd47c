package io.insidernetwork.api.query;

/** A call to another instance failed ({@code timeout}: it did not answer in time). Maps to 502 or 504. */
public final class PeerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean timeout;

    public PeerException(final String message, final boolean timeout, final Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** Whether the peer did not answer in time. */
    public boolean timeout() {
        return timeout;
    }
}
