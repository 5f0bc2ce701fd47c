package io.insidernetwork.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.insidernetwork.schemas.partner.Share;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartnerEventMapperTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final String PURCHASE = """
        {"id":"evt-1","type":"purchase","timestamp":"2025-02-03T14:17:00Z","network_id":"mybrand",
         "data":{"buyer_id":"a1b2c3d4-e5f6-7890-1234-567890abcdef","order_id":"o-1","instance_id":"sku-1",
                 "campaign_id":"c-1","store_name":"shop","store_category":"cat","amount":"5.00","currency":"EUR"}}""";
    private static final String SHARE = """
        {"id":"evt-2","type":"share","timestamp":"2025-02-03T14:17:00Z","network_id":"mybrand",
         "data":{"sharer_id":"a1b2c3d4-e5f6-7890-1234-567890abcdef","instance_id":"sku-1","platform":"instagram",
                 "recipients":["b1b2c3d4-e5f6-7890-1234-567890abcdef","@handle"]}}""";
    private static final String SIGNUP = """
        {"id":"evt-3","type":"signup","timestamp":"2025-02-03T14:17:00Z","network_id":"mybrand",
         "data":{"insider_id":"a1b2c3d4-e5f6-7890-1234-567890abcdef","visitor_fingerprint":"fp-1",
                 "instance_id":"sku-1"}}""";

    private final PartnerEventMapper mapper = new PartnerEventMapper("test");

    private static ObjectNode node(final String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private PartnerEventMapper.Mapped map(final JsonNode node) throws InvalidFieldException {
        return mapper.map(node, "events[3]", NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2026-12-03T08:05:00Z", "2026-12-03T10:04:59+02:00",
        "2000-01-01T00:00:00Z"})
    void shouldAcceptTimestampWhenFromEpochToFiveMinutesAhead(final String timestamp) throws Exception {
        final ObjectNode event = node(PURCHASE);
        event.put("timestamp", timestamp);
        assertThat(map(event).event().getEventTime()).isEqualTo(OffsetDateTime.parse(timestamp).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1969-12-31T23:59:59.999Z", "2026-12-03T08:05:00.001Z", "+999999999-12-31T23:59:59Z",
        "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "0001-01-01T00:00:00Z"})
    void shouldNameTimestampWhenOutsideTheWindow(final String timestamp) throws Exception {
        final ObjectNode event = node(PURCHASE);
        event.put("timestamp", timestamp);
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].timestamp"));
    }

    @ParameterizedTest
    @CsvSource({"instance_id", "order_id", "campaign_id", "store_name", "store_category", "currency"})
    void shouldNamePurchaseFieldWhenItHoldsAControlCharacter(final String field) throws Exception {
        final ObjectNode event = node(PURCHASE);
        ((ObjectNode) event.get("data")).put(field, "sku\u0001x");
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].data." + field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000", "\u001f", "x\u007f", "\u0085y", "\u009f", "\ud800", "a\udc00b", "\ud83d",
        "\t", "sku\n", "\u0001" + "1234567890123456789"})
    void shouldNameInstanceIdWhenItHoldsAControlCharacterOrLoneSurrogate(final String value) throws Exception {
        final ObjectNode event = node(PURCHASE);
        ((ObjectNode) event.get("data")).put("instance_id", value);
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].data.instance_id"));
    }

    @Test
    void shouldNameEventIdWhenItHoldsAControlCharacter() throws Exception {
        final ObjectNode event = node(PURCHASE);
        event.put("id", "evt\u0001-1");
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].id"));
    }

    @Test
    void shouldNameRecipientWhenItHoldsALoneSurrogate() throws Exception {
        final ObjectNode event = node(SHARE);
        ((ArrayNode) event.get("data").get("recipients")).add("@x\udfff");
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].data.recipients[2]"));
    }

    @ParameterizedTest
    @CsvSource({"platform", "instance_id"})
    void shouldNameShareFieldWhenItHoldsAControlCharacter(final String field) throws Exception {
        final ObjectNode event = node(SHARE);
        ((ObjectNode) event.get("data")).put(field, "insta\u0002gram");
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].data." + field));
    }

    @Test
    void shouldNameFingerprintWhenItHoldsAControlCharacter() throws Exception {
        final ObjectNode event = node(SIGNUP);
        ((ObjectNode) event.get("data")).put("visitor_fingerprint", "fp\u0000");
        assertThatThrownBy(() -> map(event)).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo("events[3].data.visitor_fingerprint"));
    }

    @Test
    void shouldAcceptTextWhenItHoldsSupplementaryCharactersAndNonAscii() throws Exception {
        final ObjectNode event = node(SHARE);
        ((ObjectNode) event.get("data")).put("instance_id", "sku-\u00e9-\ud83d\ude00-\u4e2d");
        assertThat(((Share) map(event).event().getPayload()).getInstanceId())
            .isEqualTo("sku-\u00e9-\ud83d\ude00-\u4e2d");
    }
}
