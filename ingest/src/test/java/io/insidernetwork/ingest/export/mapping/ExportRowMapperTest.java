package io.insidernetwork.ingest.export.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.ingest.export.ExportFiles;
import io.insidernetwork.schemas.partner.Purchase;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.partner.Signup;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportRowMapperTest {

    private static final Instant RECEIVED = Instant.parse("2025-02-04T00:30:00Z");
    private static final Map<String, EventKind> KINDS = Map.of("share", EventKind.SHARE, "sign_up",
        EventKind.SIGNUP, "purchase", EventKind.PURCHASE);

    private static ExportRowMapper mapper(final Map<String, String> overrides) {
        return new ExportRowMapper(ColumnMapping.of(overrides, "attributes.", "params.", "|"), KINDS, "mybrand",
            "https://x/mybrand/p/f.csv", "abcd", RECEIVED);
    }

    private static Map<String, Object> row(final Object... pairs) {
        final Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void shouldMapShareWithEventTimeAndDerivedIdWhenRowIsComplete() {
        final MappedRow mapped = mapper(Map.of()).map(7, row("user_id", ExportFiles.SHARER.toUpperCase(),
            "event_name", "share", "timestamp", "1738592220", "params.instance_id", "sku-1", "platform", "Instagram",
            "recipients", ExportFiles.FRIEND + "| @h "));
        assertThat(mapped).isInstanceOfSatisfying(MappedRow.Typed.class, typed -> {
            assertThat(typed.key()).isEqualTo(ExportFiles.SHARER);
            assertThat(typed.event().getEventId()).isEqualTo("insider-export:abcd:7");
            assertThat(typed.event().getEventTime()).isEqualTo(Instant.parse("2025-02-03T14:17:00Z"));
            assertThat(typed.event().getPartnerNetworkId()).isEqualTo("mybrand");
            final Share share = (Share) typed.event().getPayload();
            assertThat(share.getPlatform()).isEqualTo("instagram");
            assertThat(share.getRecipients()).containsExactly(ExportFiles.FRIEND, "@h");
        });
    }

    @Test
    void shouldMapPurchaseFromConfiguredColumnsWhenColumnsAreRenamed() {
        final MappedRow mapped = mapper(Map.of("amount", "price", "event_time", "ts", "user_id", "iid"))
            .map(1, row("iid", ExportFiles.BUYER, "event_name", "purchase", "ts", "2025-02-03T14:17:00Z",
                "instance_id", "sku", "order_id", "o-1", "price", new BigDecimal("10.5"), "currency", "eur"));
        assertThat(mapped).isInstanceOfSatisfying(MappedRow.Typed.class, typed -> {
            final Purchase purchase = (Purchase) typed.event().getPayload();
            assertThat(purchase.getAmount()).isEqualByComparingTo("10.5");
            assertThat(purchase.getCurrency()).isEqualTo("EUR");
            assertThat(purchase.getStoreName()).isEqualTo("mybrand");
        });
    }

    @Test
    void shouldMapSignupWhenEventNameIsMappedToSignup() {
        final MappedRow mapped = mapper(Map.of()).map(1, row("user_id", ExportFiles.FRIEND, "event_name", "sign_up",
            "timestamp", 1_738_592_220_000L, "referrer_insider_id", ExportFiles.SHARER));
        assertThat(mapped).isInstanceOfSatisfying(MappedRow.Typed.class, typed -> {
            assertThat(((Signup) typed.event().getPayload()).getReferrerInsiderId()).isEqualTo(ExportFiles.SHARER);
            assertThat(typed.event().getEventTime()).isEqualTo(Instant.parse("2025-02-03T14:17:00Z"));
        });
    }

    @Test
    void shouldKeepGenericRowWithAttributesAndParamsWhenEventIsNotMapped() {
        final MappedRow mapped = mapper(Map.of()).map(3, row("user_id", "native-1", "event_name", "email_click",
            "timestamp", 1_738_592_220L, "params.email_campaign_id", 369, "attributes.email", "a@b.test",
            "tags", List.of("x", "y")));
        assertThat(mapped).isInstanceOfSatisfying(MappedRow.Generic.class, generic -> {
            assertThat(generic.key()).isEqualTo("native-1");
            assertThat(generic.row().getEventTime()).isEqualTo(Instant.ofEpochSecond(1_738_592_220L));
            assertThat(generic.row().getAttributes()).containsEntry("email", "a@b.test");
            assertThat(generic.row().getParams()).containsEntry("email_campaign_id", "369")
                .containsEntry("timestamp", "1738592220").containsEntry("tags", "[\"x\",\"y\"]");
            assertThat(generic.row().getRowNumber()).isEqualTo(3);
        });
    }

    @Test
    void shouldLeaveTimeEmptyWhenGenericRowHasNoEventTime() {
        final MappedRow mapped = mapper(Map.of()).map(1, row("user_id", "u", "attributes.email", "a@b.test"));
        assertThat(mapped).isInstanceOfSatisfying(MappedRow.Generic.class,
            g -> assertThat(g.row().getEventTime()).isNull());
    }

    @Test
    void shouldRejectNamingColumnWhenATextFieldHoldsAControlCharacterOrLoneSurrogate() {
        final ExportRowMapper mapper = mapper(Map.of());
        assertThat(mapper.map(1, row("user_id", ExportFiles.SHARER, "event_name", "share", "timestamp", 1_738_592_220L,
            "instance_id", "sku\u0001x", "platform", "ig", "recipients", "@h")))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("instance_id"));
        assertThat(mapper.map(2, row("user_id", ExportFiles.SHARER, "event_name", "share", "timestamp", 1_738_592_220L,
            "instance_id", "sku", "platform", "ig", "recipients", "@h|@x\ud800")))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("recipients"));
        assertThat(mapper.map(3, row("user_id", "native\u0000", "event_name", "email_click")))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("user_id"));
    }

    @Test
    void shouldRejectNamingColumnWhenAGenericRowHoldsALoneSurrogateThatAvroCouldNotStore() {
        final ExportRowMapper mapper = mapper(Map.of());
        assertThat(mapper.map(1, row("user_id", "u", "event_name", "email_click", "params.note", "x\ud800y")))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("params.note"));
        assertThat(mapper.map(2, row("user_id", "u", "event_name", "email_click", "params.note", "line\nbreak")))
            .isInstanceOfSatisfying(MappedRow.Generic.class,
                g -> assertThat(g.row().getParams()).containsEntry("note", "line\nbreak"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999", "+999999999-12-31T23:59:59Z",
        "1969-12-31T23:59:59Z", "2025-02-04T00:35:01Z", "\uff11\uff17\uff13\uff18\uff15\uff19\uff12\uff12\uff12\uff10"})
    void shouldRejectNamingTimeColumnWhenTheTimeIsOutsideTheWindow(final String time) {
        final ExportRowMapper mapper = new ExportRowMapper(ColumnMapping.of(Map.of(), "attributes.", "params.", "|"),
            KINDS, "mybrand", "https://x/mybrand/p/f.csv", "abcd", RECEIVED,
            Clock.fixed(RECEIVED, ZoneOffset.UTC));
        assertThat(mapper.map(1, row("user_id", ExportFiles.SHARER, "event_name", "share", "timestamp", time,
            "instance_id", "sku", "platform", "ig", "recipients", "@h")))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("timestamp"));
        assertThat(mapper.map(2, row("user_id", "u", "event_name", "email_click", "timestamp", time)))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("timestamp"));
    }

    @Test
    void shouldRejectNamingColumnWhenRowCannotBeMapped() {
        final ExportRowMapper mapper = mapper(Map.of());
        assertThat(mapper.map(1, row("user_id", "nope", "event_name", "share", "timestamp", 1_738_592_220L)))
            .isEqualTo(new MappedRow.Rejected("user_id", "must be an insider UUID"));
        assertThat(mapper.map(1, row("user_id", ExportFiles.SHARER, "event_name", "share", "timestamp", "yesterday")))
            .isInstanceOfSatisfying(MappedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("timestamp"));
        assertThat(mapper.map(1, row("user_id", ExportFiles.BUYER, "event_name", "purchase", "timestamp", 5L,
            "instance_id", "s", "order_id", "o", "amount", "1.23456", "currency", "EUR")))
            .isEqualTo(new MappedRow.Rejected("amount", "at most 4 decimals"));
        assertThat(mapper.map(1, row("user_id", ExportFiles.SHARER, "event_name", "share", "timestamp", 5L,
            "instance_id", "s", "platform", "x", "recipients", ExportFiles.SHARER)))
            .isEqualTo(new MappedRow.Rejected("recipients", "an insider cannot share with itself"));
        assertThat(mapper.map(1, row("event_name", "email_click", "timestamp", "2025-13-01T00:00:00Z")))
            .isInstanceOf(MappedRow.Rejected.class);
    }
}
