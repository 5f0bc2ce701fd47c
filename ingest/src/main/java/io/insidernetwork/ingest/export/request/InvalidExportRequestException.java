package io.insidernetwork.ingest.export.request;

import java.util.List;

/** The request breaks rules of the seed and was not sent; lists every broken rule with its field. */
public final class InvalidExportRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidExportRequestException(final List<Violation> violations) {
        super("invalid export request: " + violations);
        this.violations = List.copyOf(violations);
    }

    /** The broken rules, never empty. */
    public List<Violation> violations() {
        return violations;
    }
}
