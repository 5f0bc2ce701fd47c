package io.insidernetwork.local.sim.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InsiderExportSandboxTest {

    private static final List<String> INSIDERS = List.of("a1b2c3d4-e5f6-7890-1234-567890abcdef",
        "b1b2c3d4-e5f6-7890-1234-567890abcdef", "c1b2c3d4-e5f6-7890-1234-567890abcdef");
    private static final long START = 1_764_633_600L;
    private static final long END = START + 86_399;

    @Test
    void shouldWriteTheSameRowsWithTheSameIdsInsideTheWindowWhenTheSameWindowIsAskedTwice() {
        final List<ExportRow> first = InsiderExportSandbox.rows(INSIDERS, 200, START, END, 42L);
        assertThat(first).hasSize(200).isEqualTo(InsiderExportSandbox.rows(INSIDERS, 200, START, END, 42L));
        assertThat(first).allSatisfy(row -> assertThat(row.timestamp()).isBetween(START, END));
        assertThat(first.stream().map(ExportRow::event_id).distinct()).hasSize(200);
        assertThat(InsiderExportSandbox.rows(INSIDERS, 200, START + 86_400, END + 86_400, 42L))
            .noneMatch(first::contains);
    }

    @Test
    void shouldAnswer429ToASecondRequestTheSameDayAlsoAfterARestart(@TempDir final Path files) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final String body = "{\"format\":\"csv\",\"hook\":\"http://127.0.0.1:9/hook\","
            + "\"events\":{\"start_date\":" + START + ",\"end_date\":" + END + "}}";
        try (InsiderExportSandbox sandbox = InsiderExportSandbox.start(0, "mybrand", "tok", INSIDERS, 10, files,
            42L)) {
            assertThat(post(http, sandbox, body).statusCode()).isEqualTo(200);
            assertThat(post(http, sandbox, body).statusCode()).isEqualTo(429);
        }
        try (InsiderExportSandbox restarted = InsiderExportSandbox.start(0, "mybrand", "tok", INSIDERS, 10, files,
            42L)) {
            final HttpResponse<String> again = post(http, restarted, body);
            assertThat(again.statusCode()).isEqualTo(429);
            assertThat(again.body()).contains("rejected: too many requests");
        }
    }

    private static HttpResponse<String> post(final HttpClient http, final InsiderExportSandbox sandbox,
                                             final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/raw/v1/export"))
            .header("X-PARTNER-NAME", "mybrand").header("X-REQUEST-TOKEN", "tok")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
