package io.insidernetwork.ingest.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.ingest.export.ExportFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowReadersTest {

    @TempDir
    Path dir;

    private static List<RowResult> readAll(final RowReader reader) throws IOException {
        final List<RowResult> results = new ArrayList<>();
        try (reader) {
            for (RowResult r = reader.next(); r != null; r = reader.next()) {
                results.add(r);
            }
        }
        return results;
    }

    @Test
    void shouldReadRowsAndReportBrokenOnesWhenCsvHasWrongColumnCounts() throws IOException {
        final Path file = dir.resolve("export.csv");
        final int broken = ExportFiles.writeCsv(file, ExportFiles.rows(2), true);
        try (InputStream in = Files.newInputStream(file)) {
            final List<RowResult> results = readAll(new CsvRowReader(in));
            assertThat(results).hasSize(16 + broken);
            assertThat(results).filteredOn(r -> r instanceof RowResult.Broken).hasSize(broken)
                .allSatisfy(r -> assertThat(((RowResult.Broken) r).fatal()).isFalse());
            final RowResult.Row first = (RowResult.Row) results.get(0);
            assertThat(first.number()).isEqualTo(1);
            assertThat(first.values()).containsEntry("event_name", "share")
                .containsEntry("attributes.email", "user0@example.test")
                .containsEntry("recipients", ExportFiles.FRIEND + "|@handle")
                .doesNotContainKey("order_id");
            assertThat(results.get(8)).isInstanceOf(RowResult.Broken.class);
            assertThat(results.get(8).number()).isEqualTo(9);
        }
    }

    @Test
    void shouldGiveRowsAsMapsInColumnOrderWithoutEmptyCellsWhenCsvIsRead() throws IOException {
        final String csv = "user_id,event_name,timestamp,platform\nu1,share,,tiktok\n";
        final List<RowResult> results = readAll(new CsvRowReader(
            new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        final java.util.Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("user_id", "u1");
        expected.put("event_name", "share");
        expected.put("platform", "tiktok");
        assertThat(((RowResult.Row) results.get(0)).values()).isEqualTo(expected).hasSize(3)
            .containsExactly(java.util.Map.entry("user_id", "u1"), java.util.Map.entry("event_name", "share"),
                java.util.Map.entry("platform", "tiktok"))
            .doesNotContainKey("timestamp").doesNotContainKey("nope");
    }

    @Test
    void shouldKeepLastNonEmptyCellWhenCsvHeaderRepeatsAColumn() throws IOException {
        final String csv = "user_id,x,x\nu1,a,\nu2,a,b\n";
        final List<RowResult> results = readAll(new CsvRowReader(
            new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        assertThat(((RowResult.Row) results.get(0)).values()).containsEntry("x", "a");
        assertThat(((RowResult.Row) results.get(1)).values()).containsEntry("x", "b");
    }

    @Test
    void shouldStopWithFatalBrokenRowWhenCsvQuoteIsNeverClosed() throws IOException {
        final String csv = "user_id,event_name\nu1,share\nu2,\"unterminated\n";
        final List<RowResult> results = readAll(new CsvRowReader(
            new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        assertThat(results).hasSize(2);
        assertThat(results.get(1)).isInstanceOfSatisfying(RowResult.Broken.class, b -> assertThat(b.fatal()).isTrue());
    }

    @Test
    void shouldFlattenNestedObjectsAndSkipBadLinesWhenJsonLines() throws IOException {
        final Path file = dir.resolve("export.json");
        final int broken = ExportFiles.writeJson(file, ExportFiles.rows(2), true);
        try (InputStream in = Files.newInputStream(file)) {
            final List<RowResult> results = readAll(new JsonRowReader(in));
            assertThat(results).hasSize(16 + broken);
            assertThat(results).filteredOn(r -> r instanceof RowResult.Broken).hasSize(broken);
            final RowResult.Row first = (RowResult.Row) results.get(0);
            assertThat(first.values()).containsEntry("params.platform", "Instagram")
                .containsEntry("attributes.name", "User 0")
                .containsEntry("params.recipients", List.of(ExportFiles.FRIEND, "@handle"))
                .doesNotContainKey("params.order_id");
        }
    }

    @Test
    void shouldReadEveryElementWhenJsonIsOneArray() throws IOException {
        final Path file = dir.resolve("export.json");
        ExportFiles.writeJson(file, ExportFiles.rows(3), false);
        try (InputStream in = Files.newInputStream(file)) {
            final List<RowResult> results = readAll(new JsonRowReader(in));
            assertThat(results).hasSize(24).allMatch(r -> r instanceof RowResult.Row);
            assertThat(results.get(23).number()).isEqualTo(24);
        }
    }

    @Test
    void shouldReportNonObjectsAndEndAtSyntaxErrorWhenJsonArrayIsBroken() throws IOException {
        final String json = "[{\"a\": 1}, 42, {\"b\": 2}, {\"c\": ]";
        final List<RowResult> results = readAll(new JsonRowReader(
            new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        assertThat(results).hasSize(4);
        assertThat(results.get(1)).isInstanceOfSatisfying(RowResult.Broken.class, b -> assertThat(b.fatal()).isFalse());
        assertThat(results.get(2)).isInstanceOf(RowResult.Row.class);
        assertThat(results.get(3)).isInstanceOfSatisfying(RowResult.Broken.class, b -> assertThat(b.fatal()).isTrue());
    }

    @Test
    void shouldReadRowsWithNestedGroupsWhenParquetWrittenByParquetJava() throws IOException {
        final Path file = dir.resolve("export.parquet");
        ExportFiles.writeParquet(file, ExportFiles.rows(2));
        final List<RowResult> results = readAll(new ParquetRowReader(file));
        assertThat(results).hasSize(16).allMatch(r -> r instanceof RowResult.Row);
        final RowResult.Row first = (RowResult.Row) results.get(0);
        assertThat(first.values()).containsEntry("event_name", "share")
            .containsEntry("timestamp", ExportFiles.T0)
            .containsEntry("attributes.email", "user0@example.test")
            .containsEntry("recipients", List.of(ExportFiles.FRIEND, "@handle"));
    }

    @Test
    void shouldBreakOnlyTheRowWhenAJsonLineRepeatsAKeyOrHasTrailingContent() throws IOException {
        final String json = "{\"a\": 1, \"a\": 2}\n{\"n\": {\"b\": 1, \"b\": 2}}\n{\"c\": 1} x\n{\"c\": 1}{}\n"
            + "{\"d\": 4}\n";
        final List<RowResult> results = readAll(new JsonRowReader(
            new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        assertThat(results).hasSize(5);
        assertThat(results.subList(0, 4)).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(RowResult.Broken.class,
            b -> assertThat(b.fatal()).isFalse()));
        assertThat(results.get(4)).isInstanceOfSatisfying(RowResult.Row.class,
            r -> assertThat(r.values()).containsEntry("d", 4));
    }

    @Test
    void shouldBreakOnlyTheElementWhenAJsonArrayElementRepeatsAKey() throws IOException {
        final String json = "[{\"a\": 1}, {\"b\": {\"c\": 1, \"c\": 2}}, {\"d\": 4}]";
        final List<RowResult> results = readAll(new JsonRowReader(
            new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        assertThat(results).hasSize(3);
        assertThat(results.get(1)).isInstanceOfSatisfying(RowResult.Broken.class, b -> {
            assertThat(b.fatal()).isFalse();
            assertThat(b.reason()).contains("Duplicate");
        });
        assertThat(results.get(2)).isInstanceOfSatisfying(RowResult.Row.class,
            r -> assertThat(r.values()).containsEntry("d", 4));
    }

    @Test
    void shouldRefuseFileWhenItIsNotParquet() throws IOException {
        final Path file = dir.resolve("fake.parquet");
        Files.writeString(file, "this is not parquet at all");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ParquetRowReader(file))
            .isInstanceOf(IOException.class);
    }
}
