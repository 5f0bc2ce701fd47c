package io.insidernetwork.schemas.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Developer tool: ships the current version of every changed schema by writing it as the next
 * {@code schema-history/<name>/vN.avsc} under the given resources folder. Run it after changing an .avsc, then let
 * the build check compatibility: {@code ./mvnw -pl schemas compile exec:java@snapshot-schemas}.
 */
public final class SchemaSnapshot {

    private static final Logger log = LoggerFactory.getLogger(SchemaSnapshot.class);

    private SchemaSnapshot() {
    }

    public static void main(final String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SchemaSnapshot <resources folder>");
        }
        final Path resources = Path.of(args[0]);
        for (final var type : ShippedSchemas.ALL) {
            final Schema current = SpecificData.getForClass(type).getSchema(type);
            final List<Schema> history = SchemaHistory.versions(current.getFullName());
            if (!history.isEmpty() && history.get(history.size() - 1).equals(current)) {
                continue;
            }
            final Path file = resources.resolve(SchemaHistory.resource(current.getFullName(), history.size() + 1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
            log.info("Shipped {} as {}", current.getFullName(), file);
        }
    }
}
