package io.insidernetwork.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The build gate: every shipped schema is fully compatible with all its versions and documented. */
class SchemaEvolutionTest {

    private static final String V1 = """
        {"type":"record","name":"Sample","namespace":"t","doc":"d","fields":[
          {"name":"id","type":"string","doc":"d"},
          {"name":"count","type":"long","doc":"d"}]}""";

    @Test
    void shouldAcceptEveryShippedSchemaWhenCheckedAgainstItsHistory() {
        final List<SchemaEvolution.Violation> violations = new ArrayList<>();
        for (final var type : ShippedSchemas.ALL) {
            final Schema current = SpecificData.getForClass(type).getSchema(type);
            violations.addAll(SchemaEvolution.check(current, SchemaHistory.versions(current.getFullName())));
        }
        assertThat(violations).as("schema evolution violations").isEmpty();
    }

    @Test
    void shouldKeepEveryShippedVersionWhenSchemasEvolve() {
        assertThat(SchemaHistory.versions("io.insidernetwork.schemas.partner.PartnerEvent")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldRejectChangeWhenRequiredFieldIsAddedWithoutDefault() {
        final Schema breaking = parse(V1.replace("]}", ",{\"name\":\"extra\",\"type\":\"string\",\"doc\":\"d\"}]}"));
        assertThat(SchemaEvolution.check(breaking, List.of(parse(V1))))
            .anySatisfy(v -> assertThat(v.message()).contains("current code cannot read v1"));
    }

    @Test
    void shouldRejectChangeWhenFieldTypeChangesIncompatibly() {
        final Schema breaking = parse(V1.replace("\"type\":\"long\"", "\"type\":\"string\""));
        assertThat(SchemaEvolution.check(breaking, List.of(parse(V1))))
            .anySatisfy(v -> assertThat(v.message()).contains("cannot read"));
    }

    @Test
    void shouldRejectChangeWhenRequiredFieldIsRemoved() {
        final Schema breaking = parse(V1.replace(",\n  {\"name\":\"count\",\"type\":\"long\",\"doc\":\"d\"}", "")
            .replace(",{\"name\":\"count\",\"type\":\"long\",\"doc\":\"d\"}", "")
            .replace(",\n          {\"name\":\"count\",\"type\":\"long\",\"doc\":\"d\"}", ""));
        assertThat(breaking.getFields()).hasSize(1);
        assertThat(SchemaEvolution.check(breaking, List.of(parse(V1))))
            .anySatisfy(v -> assertThat(v.message()).contains("code built on v1 cannot read current data"));
    }

    @Test
    void shouldAskToShipWhenCompatibleChangeIsNotInHistory() {
        final Schema compatible = parse(V1.replace("]}",
            ",{\"name\":\"extra\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"d\"}]}"));
        final var violations = SchemaEvolution.check(compatible, List.of(parse(V1)));
        assertThat(violations).singleElement()
            .satisfies(v -> assertThat(v.message()).contains("differs from the last shipped version v1"));
        assertThat(SchemaEvolution.check(compatible, List.of(parse(V1), compatible))).isEmpty();
    }

    @Test
    void shouldDocumentEveryRecordAndFieldWhenShipped() {
        final List<String> undocumented = new ArrayList<>();
        for (final var type : ShippedSchemas.ALL) {
            collectUndocumented(SpecificData.getForClass(type).getSchema(type), undocumented, new ArrayList<>());
        }
        assertThat(undocumented).as("records or fields without doc").isEmpty();
    }

    private static void collectUndocumented(final Schema schema, final List<String> out, final List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (final Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        out.add(schema.getFullName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), out, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, out, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), out, seen);
            default -> { }
        }
    }

    private static boolean isBlank(final String s) {
        return s == null || s.isBlank();
    }

    private static Schema parse(final String json) {
        return new Schema.Parser().parse(json);
    }
}
