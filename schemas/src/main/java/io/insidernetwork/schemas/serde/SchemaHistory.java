package io.insidernetwork.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every shipped version of a record schema, read from the classpath folder
 * {@code schema-history/<full.record.Name>/v1.avsc, v2.avsc, ...}. Versions are consecutive from 1; the last one must
 * equal the schema the code is generated from (checked by the build, see {@link SchemaEvolution}).
 */
public final class SchemaHistory {

    /** Classpath folder holding one sub-folder per record full name. */
    public static final String ROOT = "schema-history";

    private SchemaHistory() {
    }

    /** Shipped versions of the named record, oldest first; empty when none was shipped yet. Never null. */
    public static List<Schema> versions(final String fullName) {
        final List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            final String text = read(resource(fullName, v));
            if (text == null) {
                return List.copyOf(versions);
            }
            versions.add(new Schema.Parser().parse(text));
        }
    }

    /** Classpath path of version {@code version} of the named record. */
    public static String resource(final String fullName, final int version) {
        return ROOT + "/" + fullName + "/v" + version + ".avsc";
    }

    private static String read(final String path) {
        final ClassLoader loader = SchemaHistory.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
