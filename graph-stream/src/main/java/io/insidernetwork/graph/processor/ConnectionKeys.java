package io.insidernetwork.graph.processor;

/** Keys of connections: "source|target". The source is an insider UUID, which never contains the separator. */
public final class ConnectionKeys {

    /** Separator of source and target. */
    public static final String SEPARATOR = "|";

    private ConnectionKeys() {
    }

    /** The key of {@code source → target}. */
    public static String of(final String source, final String target) {
        return source + SEPARATOR + target;
    }

    /** The source of a connection key. */
    public static String source(final String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    /** The target of a connection key (everything after the first separator). */
    public static String target(final String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }
}
