package io.insidernetwork.ingest.insightiq;

/** An InsightIQ call that did not give usable data. Messages carry the URL and request-id, never credentials. */
public class InsightIqException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reasonCode;

    public InsightIqException(final String reasonCode, final String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public InsightIqException(final String reasonCode, final String message, final Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** Short code for metrics and dead letters: rejected, http-4xx, malformed-json, retries-exhausted, io. */
    public String reasonCode() {
        return reasonCode;
    }

    /** 401 or 403: the credential is wrong or was revoked; retrying cannot help. */
    public static final class CredentialRejected extends InsightIqException {
        private static final long serialVersionUID = 1L;

        public CredentialRejected(final String message) {
            super("rejected", message);
        }
    }

    /** A 2xx response whose body is not the JSON expected; its raw body is kept for the dead-letter topic. */
    public static final class Malformed extends InsightIqException {
        private static final long serialVersionUID = 1L;

        private final transient String body;

        public Malformed(final String message, final String body) {
            super("malformed-json", message);
            this.body = body;
        }

        public String body() {
            return body;
        }
    }
}
