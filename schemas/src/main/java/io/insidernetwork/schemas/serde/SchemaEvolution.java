package io.insidernetwork.schemas.serde;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;

/**
 * Checks a record schema against every shipped version of it. The rule is full transitive compatibility: current
 * code reads data written with any older version (backward) and code built on any older version reads data written
 * with the current one (forward), so producers and consumers can upgrade in any order.
 */
public final class SchemaEvolution {

    /** One reason a schema may not ship. */
    public record Violation(String schema, String message) {
    }

    private SchemaEvolution() {
    }

    /**
     * Violations of the current schema against its history, empty when it may ship. The current schema must also be
     * the last shipped version, so that every schema in use is in the history the decoders resolve against.
     */
    public static List<Violation> check(final Schema current, final List<Schema> history) {
        final String name = current.getFullName();
        final List<Violation> violations = new ArrayList<>();
        if (history.isEmpty()) {
            violations.add(new Violation(name, "no shipped version: add " + SchemaHistory.resource(name, 1)));
            return violations;
        }
        for (int i = 0; i < history.size(); i++) {
            final Schema old = history.get(i);
            final int version = i + 1;
            final var backward = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            if (backward.getType() != SchemaCompatibilityType.COMPATIBLE) {
                violations.add(new Violation(name, "current code cannot read v" + version + ": "
                    + backward.getResult().getIncompatibilities()));
            }
            final var forward = SchemaCompatibility.checkReaderWriterCompatibility(old, current);
            if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
                violations.add(new Violation(name, "code built on v" + version + " cannot read current data: "
                    + forward.getResult().getIncompatibilities()));
            }
        }
        final Schema latest = history.get(history.size() - 1);
        if (SchemaNormalization.parsingFingerprint64(latest) != SchemaNormalization.parsingFingerprint64(current)
            || !latest.equals(current)) {
            violations.add(new Violation(name, "the current schema differs from the last shipped version v"
                + history.size() + ": ship it as " + SchemaHistory.resource(name, history.size() + 1)
                + " (./mvnw -pl schemas exec:java@snapshot-schemas)"));
        }
        return violations;
    }
}
