package io.insidernetwork.ingest.insightiq;

/** Sorts an InsightIQ HTTP status into what the client does with it. */
public final class ResponseClassifier {

    /** What to do with a response. */
    public enum Action {
        /** 2xx: read the body. */
        PROCESS,
        /** 404: the object (or audience) does not exist; nothing to publish. */
        SKIP,
        /** 408, 425, 429 and 5xx: retry with backoff, honouring Retry-After. */
        RETRY,
        /** 401 and 403: stop the credential. */
        REJECTED,
        /** Any other status: fail the request without retrying. */
        FAIL
    }

    private ResponseClassifier() {
    }

    public static Action classify(final int status) {
        if (status >= 200 && status < 300) {
            return Action.PROCESS;
        }
        if (status == 401 || status == 403) {
            return Action.REJECTED;
        }
        if (status == 404) {
            return Action.SKIP;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return Action.RETRY;
        }
        return Action.FAIL;
    }
}
