package io.insidernetwork.api.http;

/** Whether this instance can answer queries, and why not: the body of {@code /health/ready}. */
@FunctionalInterface
public interface Readiness {

    /**
     * One readiness answer.
     *
     * @param state           the query tier's Kafka Streams state (never null)
     * @param reason          why the instance is not ready; null when ready
     * @param replacedThreads stream threads that failed and were replaced within the readiness window
     */
    record Status(boolean ready, String state, String reason, int replacedThreads) {
    }

    /** The current status. */
    Status status();
}
