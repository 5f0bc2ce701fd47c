package io.insidernetwork.api.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records instances exchange and handlers render: plain values (times as epoch millis), independent of Avro so
 * that local and remote reads share one shape.
 */
public final class Dtos {

    private Dtos() {
    }

    /**
     * One outgoing connection source → target: the connection's own facts. The target's status and figures are the
     * target's own ({@link InsiderFacts}), read where the target is hosted.
     */
    public record Edge(String source, String target, String networkId, double weight,
                       Map<String, Double> platformStrengths, String lastSharedInstanceId, Long lastSharedAt,
                       long firstConnected, long timeUpdated) {

        /** From the materialized state. */
        public static Edge of(final ConnectionState c) {
            return new Edge(c.getSourceId(), c.getTargetId(), c.getNetworkId(), c.getWeight(),
                new TreeMap<>(c.getPlatformStrengths()), c.getLastSharedInstanceId(), millis(c.getLastSharedAt()),
                c.getFirstConnected().toEpochMilli(), c.getTimeUpdated().toEpochMilli());
        }
    }

    /**
     * What other insiders' answers need of one insider: its partner network (scope checks) and the figures a
     * connection to it shows (signup status, conversion rate, total generated amount, when the rate last changed).
     */
    public record InsiderFacts(String networkId, String signupStatus, double conversionRate,
                               BigDecimal totalGeneratedAmount, Long conversionRateUpdated) {

        /** From the materialized state. */
        public static InsiderFacts of(final InsiderState s) {
            return new InsiderFacts(s.getNetworkId(), s.getSignupStatus().name(), s.getConversionRate(),
                s.getTotalGeneratedAmount(), millis(s.getConversionRateUpdated()));
        }
    }

    /** One purchase of an insider. */
    public record Purchase(String insiderId, long seq, String orderId, long timestamp, String partnerNetworkId,
                           String storeName, String storeCategory, String instanceId, String campaignId,
                           BigDecimal amount, String currency, String orderSummary, String campaignSummary,
                           String behaviorSummary, String spendingRange) {

        /** Category used for sorting and display when the partner sent none. */
        public static final String UNCATEGORIZED = "uncategorized";

        /** From the materialized record. */
        public static Purchase of(final PurchaseRecord p) {
            return new Purchase(p.getInsiderId(), p.getSeq(), p.getOrderId(), p.getTimestamp().toEpochMilli(),
                p.getPartnerNetworkId(), p.getStoreName(),
                p.getStoreCategory() == null ? UNCATEGORIZED : p.getStoreCategory(), p.getInstanceId(),
                p.getCampaignId(), p.getAmount(), p.getCurrency(), p.getOrderSummary(), p.getCampaignSummary(),
                p.getBehaviorSummary(), p.getSpendingRange());
        }

        /** Newest first, then the higher seq first: the activities order. */
        public static final Comparator<Purchase> NEWEST_FIRST = Comparator.comparingLong(Purchase::timestamp)
            .thenComparingLong(Purchase::seq).reversed();
    }

    /** One insider of the dump with its outgoing connections. */
    public record DumpEntry(long seq, long joinedDate, String insiderId, List<Target> connections) {
    }

    /** A connection as the dump shows it: the target, its weight, and its first and latest contact (epoch millis). */
    public record Target(String target, double weight, long firstContact, long lastContact) {
    }

    /** One change-feed entry with its position (updated_at, insider id, source offset). */
    public record UpdateEntry(long updatedAt, String insiderId, long offset, String updateType, Long joinedDate,
                              List<Change> connections) {

        /** The order of the feed. */
        public static final Comparator<UpdateEntry> ORDER = Comparator.comparingLong(UpdateEntry::updatedAt)
            .thenComparing(UpdateEntry::insiderId).thenComparingLong(UpdateEntry::offset);

        /** From the indexed record at {@code offset}. */
        public static UpdateEntry of(final NetworkUpdate u, final long offset) {
            return new UpdateEntry(u.getUpdatedAt().toEpochMilli(), u.getInsiderId(), offset, u.getUpdateType().name(),
                millis(u.getJoinedDate()), u.getConnections().stream().map(Change::of).toList());
        }

        /** This entry's position. */
        @JsonIgnore
        public UpdatePosition position() {
            return new UpdatePosition(updatedAt, insiderId, offset);
        }
    }

    /** A changed connection in the feed. */
    public record Change(String target, double weight, String changeType) {
        static Change of(final ConnectionChange c) {
            return new Change(c.getTarget(), c.getWeight(), c.getChangeType().name());
        }
    }

    /** A position in the change feed. */
    public record UpdatePosition(long updatedAt, String insiderId, long offset) {
    }

    /**
     * A page read from some partitions: which partitions answered (so a coordinator can prove every partition was
     * read exactly once), the entries in order, and whether more follow.
     */
    public record PartialPage<T>(List<Integer> partitions, List<T> entries, boolean hasMore) {
    }

    /** Outgoing edges per insider id, and the ids this instance does not host. */
    public record EdgesAnswer(Map<String, List<Edge>> edges, List<String> notHosted) {
    }

    /** Purchases per insider id, and the ids this instance does not host. */
    public record PurchasesAnswer(Map<String, List<Purchase>> purchases, List<String> notHosted) {
    }

    /** Facts per insider id (ids that are no insider are left out), and the ids this instance does not host. */
    public record InsiderFactsAnswer(Map<String, InsiderFacts> facts, List<String> notHosted) {
    }

    /** Ids asked of a peer. */
    public record IdsRequest(List<String> ids) {
    }

    private static Long millis(final Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
