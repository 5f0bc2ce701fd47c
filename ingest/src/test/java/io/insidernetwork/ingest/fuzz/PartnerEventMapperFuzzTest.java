package io.insidernetwork.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.insidernetwork.ingest.mapping.InvalidFieldException;
import io.insidernetwork.ingest.mapping.PartnerEventMapper;
import io.insidernetwork.ingest.mapping.StrictJson;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the partner webhook's body handling: raw bytes, strict UTF-8, strict JSON, the batch
 * forms and {@link PartnerEventMapper}. The property: every input either fails cleanly (what the webhook answers 400
 * to, naming a field) or gives records that serialize and read back unchanged with clean ids and an event time in
 * the window; no other exception. In {@code mvn verify} it runs the seeds in
 * {@code PartnerEventMapperFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (see docs/reliability.md).
 */
class PartnerEventMapperFuzzTest {

    private static final ObjectReader JSON = StrictJson.reader(StrictJson.mapper());
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private final PartnerEventMapper mapper = new PartnerEventMapper("fuzz");

    @FuzzTest
    void shouldMapOrRejectCleanlyWhenGivenAnyBody(final byte[] body) {
        final String text;
        try {
            text = StrictJson.utf8(body);
        } catch (final CharacterCodingException e) {
            return; // 400 body: not valid UTF-8
        }
        final JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (final JsonProcessingException e) {
            return; // 400 body: not valid or ambiguous JSON
        }
        final List<JsonNode> nodes = new ArrayList<>();
        final List<String> paths = new ArrayList<>();
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                nodes.add(root.get(i));
                paths.add("[" + i + "]");
            }
        } else if (root != null && root.isObject() && root.path("events").isArray()) {
            for (int i = 0; i < root.get("events").size(); i++) {
                nodes.add(root.get("events").get(i));
                paths.add("events[" + i + "]");
            }
        } else {
            nodes.add(root);
            paths.add("");
        }
        for (int i = 0; i < nodes.size(); i++) {
            try {
                final PartnerEventMapper.Mapped mapped = mapper.map(nodes.get(i), paths.get(i), NOW);
                assertThat(mapped.key()).isNotBlank();
                RecordChecks.roundTrips(RecordChecks.TOPICS.partnerEvents(), mapped.event());
                RecordChecks.cleanIds(mapped.event(), NOW);
            } catch (final InvalidFieldException e) {
                assertThat(e.field()).isNotBlank();
                assertThat(e.reason()).isNotBlank();
            }
        }
    }
}
