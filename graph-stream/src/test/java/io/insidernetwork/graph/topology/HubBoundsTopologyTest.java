package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.topology.GraphFixtures.PARAMETERS;
import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.insider;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.purchase;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.shareOf;
import static io.insidernetwork.graph.topology.GraphFixtures.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.logic.RecordBounds;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.partner.PartnerEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * One sharer past 100,000 distinct recipients and 1,000 products (issue 13, "Bounded records"): every record written
 * (output topics, internal topics and changelogs) stays far under a Kafka record's 1 MB, and the totals are exact.
 */
class HubBoundsTopologyTest {

    private static final String HUB = uuid(1);
    private static final String BUYER = uuid(2);
    private static final int PRODUCTS = 1_000;
    private static final int RECIPIENTS_PER_SHARE = 101;
    /** Bound asserted on every record: the documented worst case of an insider state is about 170 kB. */
    private static final int MAX_RECORD_BYTES = 200 * 1024;

    @Test
    void shouldKeepEveryRecordBoundedAndTotalsExactWhenOneSharerReachesOneHundredThousandRecipients() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            for (int p = 0; p < PRODUCTS; p++) {
                final String[] recipients = new String[RECIPIENTS_PER_SHARE + (p == PRODUCTS - 1 ? 2 : 1)];
                for (int r = 0; r < RECIPIENTS_PER_SHARE; r++) {
                    recipients[r] = "@r" + (p * RECIPIENTS_PER_SHARE + r);
                }
                // one recipient shared with again on every product: distinct counts must not count it twice
                recipients[RECIPIENTS_PER_SHARE] = "@r0";
                if (p == PRODUCTS - 1) {
                    recipients[RECIPIENTS_PER_SHARE + 1] = BUYER;
                }
                pipe(in, HUB, shareOf("s-" + p, HUB, "sku-" + p, "platform-" + (p % 13), T0.plusSeconds(p),
                    recipients));
            }
            pipe(in, BUYER, purchase("p-1", BUYER, "sku-" + (PRODUCTS - 1), "12.50", T0.plusSeconds(PRODUCTS)));
            settle(driver, PARAMETERS);
            settle(driver, PARAMETERS);

            final long distinct = (long) PRODUCTS * RECIPIENTS_PER_SHARE + 1;
            final InsiderState hub = insider(driver, HUB);
            assertThat(hub.getTotalShares()).isEqualTo(PRODUCTS);
            assertThat(hub.getInstancesSharedTotal()).isEqualTo(PRODUCTS);
            assertThat(hub.getDistinctRecipients()).isEqualTo(distinct);
            assertThat(hub.getConversionRate()).isEqualTo(1.0 / distinct);
            assertThat(hub.getTotalGeneratedAmount()).isEqualByComparingTo("12.50");
            assertThat(hub.getInstancesShared()).hasSize(RecordBounds.DEFAULTS.instances());
            for (final InstanceShared entry : hub.getInstancesShared()) {
                assertThat(entry.getSharedWith()).hasSizeLessThanOrEqualTo(RecordBounds.DEFAULTS.recipients());
                assertThat(entry.getShares()).isEqualTo(1);
                final boolean last = entry.getInstanceId().equals("sku-" + (PRODUCTS - 1));
                assertThat(entry.getSharedWithTotal()).isEqualTo(RECIPIENTS_PER_SHARE + (last ? 2 : 1));
            }
            assertThat(hub.getInstancesShared()).extracting(InstanceShared::getInstanceId)
                .contains("sku-" + (PRODUCTS - 1));

            final Map<String, Integer> largest = new HashMap<>();
            for (final String topic : driver.producedTopicNames()) {
                for (final TestRecord<byte[], byte[]> record : driver.createOutputTopic(topic,
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList()) {
                    final int size = (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
                    largest.merge(topic, size, Math::max);
                }
            }
            assertThat(largest).as("largest record per topic").isNotEmpty()
                .allSatisfy((topic, size) -> assertThat(size).as(topic).isLessThan(MAX_RECORD_BYTES));
            assertThat(largest.keySet()).anyMatch(topic -> topic.endsWith("-changelog"))
                .contains(GraphFixtures.topics().connectionState().name());
        }
    }
}
