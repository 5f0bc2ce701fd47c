package io.insidernetwork.ingest.export.request;

/** One broken rule of an export request: the field at fault (a JSON path or header name) and why. */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
