package io.insidernetwork.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.insidernetwork.ingest.export.ExportFiles;
import io.insidernetwork.ingest.export.format.CsvRowReader;
import io.insidernetwork.ingest.export.format.JsonRowReader;
import io.insidernetwork.ingest.export.format.ParquetRowReader;
import io.insidernetwork.ingest.export.format.RowReader;
import io.insidernetwork.ingest.export.format.RowResult;
import io.insidernetwork.ingest.export.mapping.ColumnMapping;
import io.insidernetwork.ingest.export.mapping.EventKind;
import io.insidernetwork.ingest.export.mapping.ExportRowMapper;
import io.insidernetwork.ingest.export.mapping.MappedRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the export row readers (CSV, JSON lines or array, Parquet) and
 * {@link ExportRowMapper}. The property: a reader gives rows or broken rows (a fatal one ends the file), never
 * another exception; the mapper gives a typed event or a generic row that serialize and read back unchanged (clean
 * ids, event time in the window), or a rejection naming a column. CSV and JSON get raw bytes; Parquet gets
 * well-formed files whose values are fuzzed (a Parquet file is read from its footer, random bytes rarely get past
 * it). In {@code mvn verify} they run the seeds in {@code ExportRowsFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ExportRowsFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final Map<String, EventKind> KINDS = Map.of("share", EventKind.SHARE, "sign_up",
        EventKind.SIGNUP, "purchase", EventKind.PURCHASE);
    private static final int MAX_ROWS = 200;

    private static ExportRowMapper mapper() {
        return new ExportRowMapper(ColumnMapping.of(Map.of(), "attributes.", "params.", "|"), KINDS, "mybrand",
            "https://x/mybrand/p/f", "abcd", NOW, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @FuzzTest
    void shouldReadAndMapOrRejectCleanlyWhenGivenAnyCsv(final byte[] file) throws IOException {
        try (RowReader reader = new CsvRowReader(new ByteArrayInputStream(file))) {
            drain(reader);
        } catch (final IOException e) {
            // the header itself is unreadable: the importer fails the file as unreadable
            assertThat(e).isNotNull();
        }
    }

    @FuzzTest
    void shouldReadAndMapOrRejectCleanlyWhenGivenAnyJson(final byte[] file) throws IOException {
        try (RowReader reader = new JsonRowReader(new ByteArrayInputStream(file))) {
            drain(reader);
        }
    }

    @FuzzTest
    void shouldReadAndMapOrRejectCleanlyWhenGivenParquetWithAnyValues(final FuzzedDataProvider data)
        throws IOException {
        final List<ExportFiles.Row> rows = new ArrayList<>();
        final int count = data.consumeInt(1, 8);
        for (int i = 0; i < count; i++) {
            final List<String> recipients = new ArrayList<>();
            final int recipientCount = data.consumeInt(0, 3);
            for (int r = 0; r < recipientCount; r++) {
                recipients.add(data.consumeString(40));
            }
            rows.add(new ExportFiles.Row(pick(data, ExportFiles.SHARER), pick(data, "share", "purchase", "sign_up",
                "email_click"), data.consumeBoolean() ? data.consumeLong() : null, data.consumeString(40),
                data.consumeString(20), recipients, data.consumeString(20), data.consumeString(30),
                pick(data, "EUR", "usd"), new ExportFiles.Attributes(data.consumeString(20),
                data.consumeString(20))));
        }
        final Path file = Files.createTempFile("fuzz", ".parquet");
        try {
            ExportFiles.writeParquet(file, rows);
            try (RowReader reader = new ParquetRowReader(file)) {
                drain(reader);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One of {@code options}, or a fuzzed string. */
    private static String pick(final FuzzedDataProvider data, final String... options) {
        final int choice = data.consumeInt(0, options.length);
        return choice < options.length ? options[choice] : data.consumeString(40);
    }

    private static void drain(final RowReader reader) throws IOException {
        final ExportRowMapper mapper = mapper();
        for (int n = 0; n < MAX_ROWS; n++) {
            final RowResult result = reader.next();
            if (result == null) {
                return;
            }
            if (result instanceof RowResult.Broken broken) {
                assertThat(broken.reason()).isNotBlank();
                if (broken.fatal()) {
                    assertThat(reader.next()).isNull();
                    return;
                }
                continue;
            }
            final MappedRow mapped = mapper.map(result.number(), ((RowResult.Row) result).values());
            if (mapped instanceof MappedRow.Typed typed) {
                RecordChecks.roundTrips(RecordChecks.TOPICS.partnerEvents(), typed.event());
                RecordChecks.cleanIds(typed.event(), NOW);
            } else if (mapped instanceof MappedRow.Generic generic) {
                RecordChecks.roundTrips(RecordChecks.TOPICS.exportEvents(), generic.row());
                if (generic.row().getEventTime() != null) {
                    assertThat(generic.row().getEventTime()).isBetween(Instant.EPOCH, NOW.plusSeconds(300));
                }
            } else {
                final MappedRow.Rejected rejected = (MappedRow.Rejected) mapped;
                assertThat(rejected.field()).isNotBlank();
                assertThat(rejected.reason()).isNotBlank();
            }
        }
    }
}
