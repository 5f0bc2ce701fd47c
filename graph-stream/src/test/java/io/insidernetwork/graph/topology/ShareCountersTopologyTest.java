package io.insidernetwork.graph.topology;

import static io.insidernetwork.graph.topology.GraphFixtures.PARAMETERS;
import static io.insidernetwork.graph.topology.GraphFixtures.T0;
import static io.insidernetwork.graph.topology.GraphFixtures.driver;
import static io.insidernetwork.graph.topology.GraphFixtures.input;
import static io.insidernetwork.graph.topology.GraphFixtures.insider;
import static io.insidernetwork.graph.topology.GraphFixtures.pipe;
import static io.insidernetwork.graph.topology.GraphFixtures.settle;
import static io.insidernetwork.graph.topology.GraphFixtures.shareOf;
import static io.insidernetwork.graph.topology.GraphFixtures.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import io.insidernetwork.graph.logic.InsiderStates;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.partner.PartnerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The exact totals of an insider's shares: a sharer's own counts live in its state and each shared instance's counts
 * in one index entry, so a share writes few index entries; a store an older version wrote (separate counter keys) is
 * converted without changing a total.
 */
class ShareCountersTopologyTest {

    private static final String SHARER = uuid(1);
    private static final String SEP = "\u0001";

    @Test
    void shouldWriteOneInstanceEntryAndTheTwoSetEntriesPerNewRecipientWhenKnownSharerShares() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            final TestOutputTopic<String, String> changelog = driver.createOutputTopic(indexChangelog(driver),
                Serdes.String().deserializer(), Serdes.String().deserializer());
            pipe(in, SHARER, shareOf("s1", SHARER, "sku-1", "instagram", T0, "@old"));
            changelog.readRecordsToList();

            pipe(in, SHARER, shareOf("s2", SHARER, "sku-1", "instagram", T0.plusSeconds(1), "@n1", "@n2", "@n3"));

            final Map<String, Integer> writesByFamily = new TreeMap<>();
            changelog.readKeyValuesToList().forEach(kv -> writesByFamily.merge(kv.key.substring(0, 2), 1,
                Integer::sum));
            // ii: the instance's counts, once; ir and rr: the two sets per new recipient; dx: the decay schedule of
            // the three new connections. The counters rc, ic, ns, iy, sy of the older layout (13 writes of this share
            // with ir, rr and ii) and the dedupe purge schedule se are gone.
            assertThat(writesByFamily).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ii", 1, "ir", 3, "rr", 3, "dx", 3));
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            assertThat(index.get(instanceKey("sku-1"))).isEqualTo("2,4,0");
            final InsiderState sharer = insider(driver, SHARER);
            assertThat(sharer.getDistinctRecipients()).isEqualTo(4);
            assertThat(sharer.getInstancesSharedTotal()).isEqualTo(1);
        }
    }

    @Test
    void shouldConvertCountersOfOlderVersionWithoutChangingAnyTotal() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, SHARER, shareOf("s1", SHARER, "sku-1", "instagram", T0, "@r1", "@r2"));
            pipe(in, SHARER, shareOf("s2", SHARER, "sku-2", "instagram", T0.plusSeconds(1), "@r2", "@r3"));
            pipe(in, SHARER, shareOf("s3", SHARER, "sku-2", "tiktok", T0.plusSeconds(2), "@r3"));
            // the index as the older version wrote it: empty shared-instance entries, their counts under ns, iy and
            // sy, the sharer's distinct recipients and instances under rc and ic
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            final List<KeyValue<String, String>> entries = new ArrayList<>();
            try (var all = index.prefixScan("ii" + SEP, Serdes.String().serializer())) {
                all.forEachRemaining(entries::add);
            }
            assertThat(entries).hasSize(2);
            for (final KeyValue<String, String> entry : entries) {
                final String[] counts = entry.value.split(",");
                final String tail = entry.key.substring(2);
                index.put("ns" + tail, counts[0]);
                index.put("iy" + tail, counts[1]);
                index.put(entry.key, "");
            }
            index.put("sy" + SEP + SHARER + SEP + "sku-2", "1");
            index.put("rc" + SEP + SHARER, "3");
            index.put("ic" + SEP + SHARER, "2");

            // first use of sku-1 converts its entry; the wall-clock punctuation converts sku-2 and deletes rc and ic
            pipe(in, SHARER, shareOf("s4", SHARER, "sku-1", "instagram", T0.plusSeconds(3), "@r3", "@r4"));
            assertThat(index.get(instanceKey("sku-1"))).isEqualTo("2,4,0");
            assertThat(index.get(instanceKey("sku-2"))).isEmpty();
            settle(driver, PARAMETERS);

            assertThat(index.get(instanceKey("sku-2"))).isEqualTo("2,2,1");
            for (final String kind : List.of("ns", "iy", "sy", "rc", "ic")) {
                try (var left = index.prefixScan(kind + SEP, Serdes.String().serializer())) {
                    assertThat(left.hasNext()).as(kind).isFalse();
                }
            }
            final InsiderState sharer = insider(driver, SHARER);
            assertThat(sharer.getTotalShares()).isEqualTo(4);
            assertThat(sharer.getInstancesSharedTotal()).isEqualTo(2);
            assertThat(sharer.getDistinctRecipients()).isEqualTo(4);
            final InstanceShared sku1 = sharer.getInstancesShared().stream()
                .filter(s -> s.getInstanceId().equals("sku-1")).findFirst().orElseThrow();
            assertThat(sku1.getShares()).isEqualTo(2);
            assertThat(sku1.getSharedWithTotal()).isEqualTo(4);

            // sku-2's converted counts carry on: one more share, one new recipient
            pipe(in, SHARER, shareOf("s5", SHARER, "sku-2", "instagram", T0.plusSeconds(4), "@r5"));
            assertThat(index.get(instanceKey("sku-2"))).isEqualTo("3,3,1");
            final InsiderState after = insider(driver, SHARER);
            assertThat(after.getDistinctRecipients()).isEqualTo(5);
            final InstanceShared sku2 = after.getInstancesShared().stream()
                .filter(s -> s.getInstanceId().equals("sku-2")).findFirst().orElseThrow();
            assertThat(sku2.getShares()).isEqualTo(3);
            assertThat(sku2.getSharedWithTotal()).isEqualTo(3);
            assertThat(sku2.getSignupTotal()).isEqualTo(1);
        }
    }

    @Test
    void shouldDropInstanceCountsThatDoNotParseAndKeepProcessing() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            final TestInputTopic<String, PartnerEvent> in = input(driver);
            pipe(in, SHARER, shareOf("s1", SHARER, "sku-1", "instagram", T0, "@r1"));
            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            index.put(instanceKey("sku-1"), "1,x");

            pipe(in, SHARER, shareOf("s2", SHARER, "sku-1", "instagram", T0.plusSeconds(1), "@r2"));

            // the entry's counts start again; the instance stays known, so the sharer's totals stay exact
            assertThat(index.get(instanceKey("sku-1"))).isEqualTo("1,1,0");
            final InsiderState sharer = insider(driver, SHARER);
            assertThat(sharer.getTotalShares()).isEqualTo(2);
            assertThat(sharer.getInstancesSharedTotal()).isEqualTo(1);
            assertThat(sharer.getDistinctRecipients()).isEqualTo(2);
        }
    }

    @Test
    void shouldSeedTotalsOfStateWrittenBeforeListsWereBoundedIntoStateAndInstanceEntries() {
        try (TopologyTestDriver driver = driver(PARAMETERS)) {
            // a state as versions before the bounded lists wrote it: no totals, complete lists
            final InsiderState legacy = InsiderStates.create(SHARER, "mybrand", 1, T0, SignupStatus.SIGNED_UP);
            legacy.setTotalShares(2);
            legacy.setInstancesShared(new ArrayList<>(List.of(InstanceShared.newBuilder().setInstanceId("sku-1")
                .setShares(2).setPlatforms(new ArrayList<>(List.of("instagram")))
                .setSharedWith(new ArrayList<>(List.of("@a", "@b"))).setSignup(new ArrayList<>(List.of("@c")))
                .setTimeUpdated(T0).setSharedWithTotal(0).setSignupTotal(0).build())));
            driver.<String, InsiderState>getKeyValueStore(StoreNames.INSIDERS).put(SHARER, legacy);

            pipe(input(driver), SHARER, shareOf("s1", SHARER, "sku-2", "instagram", T0.plusSeconds(1), "@a", "@d"));

            final KeyValueStore<String, String> index = driver.getKeyValueStore(StoreNames.INDEX);
            assertThat(index.get(instanceKey("sku-1"))).isEqualTo("2,3,1");
            assertThat(index.get(instanceKey("sku-2"))).isEqualTo("1,2,0");
            final InsiderState sharer = insider(driver, SHARER);
            assertThat(sharer.getInstancesSharedTotal()).isEqualTo(2);
            assertThat(sharer.getDistinctRecipients()).isEqualTo(4);
            final InstanceShared sku1 = sharer.getInstancesShared().stream()
                .filter(s -> s.getInstanceId().equals("sku-1")).findFirst().orElseThrow();
            assertThat(sku1.getSharedWithTotal()).isEqualTo(3);
            assertThat(sku1.getSignupTotal()).isEqualTo(1);
        }
    }

    private static String instanceKey(final String instance) {
        return "ii" + SEP + SHARER + SEP + instance;
    }

    private static String indexChangelog(final TopologyTestDriver driver) {
        return driver.producedTopicNames().stream().filter(t -> t.endsWith(StoreNames.INDEX + "-changelog"))
            .findFirst().orElse("graph-test-" + StoreNames.INDEX + "-changelog");
    }
}
