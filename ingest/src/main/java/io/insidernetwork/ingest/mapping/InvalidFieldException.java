package io.insidernetwork.ingest.mapping;

/** Bad input data: names the field at fault (a JSON path such as {@code events[2].data.sharer_id}). */
public final class InvalidFieldException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidFieldException(final String field, final String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The field at fault, never null. */
    public String field() {
        return field;
    }

    /** What is wrong with it. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
