package io.insidernetwork.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.insidernetwork.ingest.insightiq.ObjectKind;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;

class InsightIqMapperTest {

    private static final InsightIqMapper.Meta META = new InsightIqMapper.Meta(Instant.parse("2025-01-01T00:00:00Z"),
        "req-1", "sandbox");
    private final ObjectMapper json = new ObjectMapper();
    private final InsightIqMapper mapper = new InsightIqMapper();

    @ParameterizedTest
    @EnumSource(ObjectKind.class)
    void shouldMapEverySeedSampleWhenKindIsKnown(final ObjectKind kind) throws Exception {
        for (final JsonNode sample : samples(kind)) {
            final SpecificRecord record = mapper.map(kind.type(), kind.schema(), sample, META);
            assertThat(record.get(kind.schema().getField("id").pos())).isEqualTo(sample.path("id").asText());
            assertThat(record.get(kind.schema().getField("raw_json").pos())).isEqualTo(sample.toString());
            assertThat(record.get(kind.schema().getField("request_id").pos())).isEqualTo("req-1");
        }
    }

    @Test
    void shouldReadZonelessTimestampsAsUtcWhenMapping() throws Exception {
        final JsonNode user = samples(ObjectKind.USERS).get(0);
        final InsightIqUser record = mapper.map(InsightIqUser.class, InsightIqUser.getClassSchema(), user, META);
        assertThat(record.getCreatedAt()).isEqualTo(Instant.parse("2022-03-29T16:16:39.482Z"));
    }

    @Test
    void shouldNameIdWhenItHoldsAControlCharacterOrLoneSurrogate() throws Exception {
        for (final String bad : new String[] {"c\u0001x", "c\ud800", "\u0085"}) {
            final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
            content.put("id", bad);
            assertThatThrownBy(() -> mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content,
                META)).isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("id"));
        }
        final ObjectNode nested = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        ((ObjectNode) nested.path("work_platform")).put("id", "wp\u0000");
        assertThatThrownBy(() -> mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), nested, META))
            .isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("work_platform.id"));
    }

    @Test
    void shouldKeepNewlinesWhenFreeTextHoldsThem() throws Exception {
        final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        content.put("description", "line one\nline two\tend");
        final InsightIqContent record = mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content,
            META);
        assertThat(record.getDescription()).isEqualTo("line one\nline two\tend");
    }

    @Test
    void shouldNameFreeTextFieldWhenItHoldsALoneSurrogate() throws Exception {
        final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        content.put("description", "caption \udc00");
        assertThatThrownBy(() -> mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content, META))
            .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("description"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59", "1969-12-31T23:59:59",
        "2025-01-01T00:05:01", "99999999999999999"})
    void shouldNameTimestampWhenOutsideTheWindow(final String published) throws Exception {
        final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        if (published.chars().allMatch(Character::isDigit)) {
            content.put("published_at", Long.parseLong(published));
        } else {
            content.put("published_at", published);
        }
        assertThatThrownBy(() -> mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content, META))
            .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("published_at"));
    }

    @Test
    void shouldAcceptTimestampWhenAtMostFiveMinutesAheadOfTheFetch() throws Exception {
        final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        content.put("published_at", "2025-01-01T00:05:00");
        assertThat(mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content, META)
            .getPublishedAt()).isEqualTo("2025-01-01T00:05:00Z");
    }

    @Test
    void shouldNameFieldWhenRequiredFieldIsMissing() throws Exception {
        final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        content.remove("published_at");
        assertThatThrownBy(() -> mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content, META))
            .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("published_at"));
    }

    @Test
    void shouldNameNestedFieldWhenTypeIsWrong() throws Exception {
        final ObjectNode content = (ObjectNode) samples(ObjectKind.CONTENTS).get(0);
        ((ObjectNode) content.path("engagement")).put("like_count", "many");
        assertThatThrownBy(() -> mapper.map(InsightIqContent.class, InsightIqContent.getClassSchema(), content, META))
            .isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("engagement.like_count"));
    }

    @Test
    void shouldNameFieldWhenTimestampIsUnreadable() throws Exception {
        final ObjectNode user = (ObjectNode) samples(ObjectKind.USERS).get(0);
        user.put("updated_at", "14:15:22Z");
        assertThatThrownBy(() -> mapper.map(InsightIqUser.class, InsightIqUser.getClassSchema(), user, META))
            .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("updated_at"));
    }

    private List<JsonNode> samples(final ObjectKind kind) throws Exception {
        final String file = kind == ObjectKind.AUDIENCE ? "audience" : kind.label();
        try (InputStream in = getClass().getResourceAsStream("/insightiq/" + file + ".json")) {
            final JsonNode root = json.readTree(in);
            final List<JsonNode> items = new ArrayList<>();
            if (root.has("data")) {
                root.get("data").forEach(items::add);
            } else {
                items.add(root);
            }
            return items;
        }
    }
}
