package io.insidernetwork.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    private static final String TOPIC = "partner.events.v1";
    private final Serde<PartnerEvent> serde = AvroSerdes.serde(PartnerEvent.class);

    @Test
    void shouldRoundTripWhenWrittenWithCurrentSchema() {
        final PartnerEvent event = share("campaign-7");
        final byte[] bytes = serde.serializer().serialize(TOPIC, event);
        // single-object encoding: marker C3 01 then the 8-byte fingerprint
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void shouldReadOldRecordWhenWrittenWithVersionOne() throws Exception {
        final Schema v1 = SchemaHistory.versions(PartnerEvent.getClassSchema().getFullName()).get(0);
        final Schema shareV1 = v1.getField("payload").schema().getTypes().stream()
            .filter(s -> s.getName().equals("Share")).findFirst().orElseThrow();
        assertThat(shareV1.getField("campaign_id")).as("v1 has no campaign_id").isNull();

        final GenericRecord share = new GenericData.Record(shareV1);
        share.put("sharer_id", "a1b2c3d4-e5f6-7890-1234-567890abcdef");
        share.put("instance_id", "sku-1");
        share.put("platform", "instagram");
        share.put("recipients", List.of("b1b2c3d4-e5f6-7890-1234-567890abcdef"));
        final GenericRecord event = new GenericData.Record(v1);
        event.put("event_id", "evt-1");
        event.put("event_time", 1_700_000_000_000L);
        event.put("partner_network_id", "mybrand");
        event.put("received_at", 1_700_000_001_000L);
        event.put("source", "partner-webhook");
        event.put("payload", share);
        final ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(event);
        final byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        final PartnerEvent read = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(read.getEventId()).isEqualTo("evt-1");
        assertThat(read.getPayload()).isInstanceOfSatisfying(Share.class, s -> {
            assertThat(s.getRecipients()).containsExactly("b1b2c3d4-e5f6-7890-1234-567890abcdef");
            assertThat(s.getCampaignId()).isNull();
        });
    }

    @Test
    void shouldFailWithSerializationExceptionWhenFingerprintIsUnknown() {
        final byte[] bytes = serde.serializer().serialize(TOPIC, share(null));
        bytes[5] ^= 0x5A;
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("PartnerEvent");
    }

    @Test
    void shouldFailWithSerializationExceptionWhenBytesAreNotAvro() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, "{\"json\":true}".getBytes()))
            .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldKeepDecimalAmountsExactWhenRoundTripped() {
        final var purchase = io.insidernetwork.schemas.partner.Purchase.newBuilder()
            .setBuyerId("b").setOrderId("o").setInstanceId("i").setStoreName("s")
            .setAmount(new BigDecimal("19.9900")).setCurrency("EUR").build();
        final PartnerEvent event = PartnerEvent.newBuilder(share(null)).setPayload(purchase).build();
        final PartnerEvent read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event));
        assertThat(((io.insidernetwork.schemas.partner.Purchase) read.getPayload()).getAmount())
            .isEqualByComparingTo("19.99");
    }

    @Test
    void shouldWriteExactlyWhatAvroMessageEncoderWritesWhenSerializing() throws Exception {
        final var purchase = io.insidernetwork.schemas.partner.Purchase.newBuilder()
            .setBuyerId("b").setOrderId("o-\u00e9\u4e2d").setInstanceId("i").setStoreName("s")
            .setAmount(new BigDecimal("19.9900")).setCurrency("EUR").build();
        // The generated classes' own single-object encoder is the reference.
        final BinaryMessageEncoder<PartnerEvent> reference = PartnerEvent.getEncoder();
        for (final PartnerEvent event : List.of(share("campaign-7"), share(null),
            PartnerEvent.newBuilder(share(null)).setPayload(purchase).build())) {
            assertThat(serde.serializer().serialize(TOPIC, event)).isEqualTo(bytes(reference.encode(event)));
        }
        final var row = io.insidernetwork.schemas.export.InsiderExportRow.newBuilder().setPartner("p")
            .setFileUrl("https://x/p/p/f.csv").setRowNumber(3).setUserId("u").setEventName("email_click")
            .setEventTime(Instant.parse("2025-02-03T14:17:00Z")).setAttributes(java.util.Map.of("email", "a@b"))
            .setParams(java.util.Map.of("k", "v", "n", "1")).build();
        final var rows = AvroSerdes.serde(io.insidernetwork.schemas.export.InsiderExportRow.class).serializer();
        assertThat(rows.serialize(TOPIC, row)).isEqualTo(bytes(io.insidernetwork.schemas.export.InsiderExportRow
            .getEncoder().encode(row)));
        // Optional fields left null take the union's null branch.
        row.setUserId(null);
        row.setEventTime(null);
        assertThat(rows.serialize(TOPIC, row)).isEqualTo(bytes(io.insidernetwork.schemas.export.InsiderExportRow
            .getEncoder().encode(row)));
    }

    @Test
    void shouldWriteNextRecordCleanlyWhenAWriteFailedHalfway() {
        final PartnerEvent broken = share("campaign-7");
        ((Share) broken.getPayload()).setPlatform(null);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, broken)).isInstanceOf(RuntimeException.class);
        final PartnerEvent event = share("campaign-8");
        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event)))
            .isEqualTo(event);
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static PartnerEvent share(final String campaign) {
        return PartnerEvent.newBuilder()
            .setEventId("evt-2")
            .setEventTime(Instant.parse("2025-02-03T14:17:00Z"))
            .setPartnerNetworkId("mybrand")
            .setReceivedAt(Instant.parse("2025-02-03T14:17:01Z"))
            .setSource("partner-webhook")
            .setPayload(Share.newBuilder().setSharerId("a").setInstanceId("sku").setPlatform("tiktok")
                .setRecipients(List.of("x", "y")).setCampaignId(campaign).build())
            .build();
    }
}
