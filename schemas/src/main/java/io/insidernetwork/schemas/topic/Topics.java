package io.insidernetwork.schemas.topic;

import io.insidernetwork.schemas.export.InsiderExportLink;
import io.insidernetwork.schemas.export.InsiderExportProgress;
import io.insidernetwork.schemas.export.InsiderExportRequest;
import io.insidernetwork.schemas.export.InsiderExportRow;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InsightIqFact;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.insightiq.InsightIqAccount;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqAudience;
import io.insidernetwork.schemas.insightiq.InsightIqComment;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqContentGroup;
import io.insidernetwork.schemas.insightiq.InsightIqPollCursor;
import io.insidernetwork.schemas.insightiq.InsightIqProfile;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import io.insidernetwork.schemas.insightiq.InsightIqWebhookNotification;
import io.insidernetwork.schemas.insightiq.InsightIqWorkPlatform;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.WebhookDelivery;
import io.insidernetwork.schemas.serde.AvroSerdes;
import io.insidernetwork.schemas.topic.TopicSpec.Cleanup;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue shared by every service: names, partitions, cleanup, retention and serdes. An instance is
 * immutable; tests build one with a unique prefix so that runs never share topics.
 */
public final class Topics {

    /** Default number of partitions of every topic (the unit of parallelism of the Streams apps). */
    public static final int DEFAULT_PARTITIONS = 3;

    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    private final TopicSpec<String, PartnerEvent> partnerEvents;
    private final TopicSpec<String, InsiderState> insiderState;
    private final TopicSpec<String, ConnectionState> connectionState;
    private final TopicSpec<String, NetworkUpdate> networkUpdates;
    private final TopicSpec<String, NetworkSizes> networkSizes;
    private final TopicSpec<String, PurchaseRecord> purchases;
    private final TopicSpec<String, InsightIqWorkPlatform> workPlatforms;
    private final TopicSpec<String, InsightIqUser> users;
    private final TopicSpec<String, InsightIqAccount> accounts;
    private final TopicSpec<String, InsightIqProfile> profiles;
    private final TopicSpec<String, InsightIqContent> contents;
    private final TopicSpec<String, InsightIqContentGroup> contentGroups;
    private final TopicSpec<String, InsightIqComment> comments;
    private final TopicSpec<String, InsightIqAudience> audiences;
    private final TopicSpec<String, InsightIqAccountDisconnected> accountDisconnects;
    private final TopicSpec<String, InsightIqWebhookNotification> insightIqWebhooks;
    private final TopicSpec<String, InsiderExportLink> exportLinks;
    private final TopicSpec<String, InsiderExportRow> exportEvents;
    private final TopicSpec<String, InsiderExportProgress> exportProgress;
    private final TopicSpec<String, InsightIqPollCursor> pollCursors;
    private final TopicSpec<String, InsiderExportRequest> exportRequests;
    private final TopicSpec<String, WebhookDelivery> webhookDeliveries;
    private final TopicSpec<byte[], byte[]> ingestDeadLetters;
    private final TopicSpec<byte[], byte[]> graphDeadLetters;
    private final TopicSpec<String, GraphCommand> graphCommands;
    private final TopicSpec<String, InsightIqFact> graphInsightIqAccounts;
    private final TopicSpec<String, InsightIqFact> graphInsightIqUsers;
    private final TopicSpec<String, InsightIqFact> graphInsightIqInsiders;

    private Topics(final String prefix, final int partitions, final Duration updatesRetention) {
        partnerEvents = new TopicSpec<>(prefix + "partner.events.v1", partitions, Cleanup.DELETE, null,
            Serdes.String(), AvroSerdes.serde(PartnerEvent.class));
        insiderState = new TopicSpec<>(prefix + "graph.insider-state.v1", partitions, Cleanup.COMPACT, null,
            Serdes.String(), AvroSerdes.serde(InsiderState.class));
        connectionState = new TopicSpec<>(prefix + "graph.connection-state.v1", partitions, Cleanup.COMPACT, null,
            Serdes.String(), AvroSerdes.serde(ConnectionState.class));
        networkSizes = compacted(prefix + "graph.network-sizes.v1", partitions, NetworkSizes.class);
        networkUpdates = new TopicSpec<>(prefix + "graph.network-updates.v1", partitions, Cleanup.DELETE,
            updatesRetention, Serdes.String(), AvroSerdes.serde(NetworkUpdate.class));
        workPlatforms = compacted(prefix + "insightiq.work-platforms.v1", partitions, InsightIqWorkPlatform.class);
        users = compacted(prefix + "insightiq.users.v1", partitions, InsightIqUser.class);
        accounts = compacted(prefix + "insightiq.accounts.v1", partitions, InsightIqAccount.class);
        profiles = compacted(prefix + "insightiq.profiles.v1", partitions, InsightIqProfile.class);
        contents = compacted(prefix + "insightiq.contents.v1", partitions, InsightIqContent.class);
        contentGroups = compacted(prefix + "insightiq.content-groups.v1", partitions, InsightIqContentGroup.class);
        comments = compacted(prefix + "insightiq.comments.v1", partitions, InsightIqComment.class);
        audiences = compacted(prefix + "insightiq.audiences.v1", partitions, InsightIqAudience.class);
        accountDisconnects = compacted(prefix + "insightiq.account-disconnects.v1", partitions,
            InsightIqAccountDisconnected.class);
        insightIqWebhooks = new TopicSpec<>(prefix + "insightiq.webhooks.v1", partitions, Cleanup.DELETE,
            Duration.ofDays(7), Serdes.String(), AvroSerdes.serde(InsightIqWebhookNotification.class));
        exportLinks = compacted(prefix + "insider.export-links.v1", partitions, InsiderExportLink.class);
        exportEvents = new TopicSpec<>(prefix + "insider.export-events.v1", partitions, Cleanup.DELETE, null,
            Serdes.String(), AvroSerdes.serde(InsiderExportRow.class));
        exportProgress = compacted(prefix + "insider.export-progress.v1", partitions, InsiderExportProgress.class);
        purchases = compacted(prefix + "graph.purchases.v1", partitions, PurchaseRecord.class);
        pollCursors = compacted(prefix + "ingest.poll-cursors.v1", partitions, InsightIqPollCursor.class);
        exportRequests = compacted(prefix + "insider.export-requests.v1", partitions, InsiderExportRequest.class);
        // each delivery id is written once: no compaction to do; kept as long as partners retry (a day or so),
        // counted from when it was written
        webhookDeliveries = new TopicSpec<>(prefix + "ingest.webhook-deliveries.v1", partitions,
            Cleanup.DELETE_BY_APPEND_TIME, Duration.ofDays(3), Serdes.String(),
            AvroSerdes.serde(WebhookDelivery.class));
        // dead letters keep the failed record's own timestamp, which may be an old event time: their retention
        // counts from when they were written, or a backfill's dead letters would be deleted at once
        ingestDeadLetters = new TopicSpec<>(prefix + "ingest.dead-letters.v1", partitions,
            Cleanup.DELETE_BY_APPEND_TIME, DEAD_LETTER_RETENTION, Serdes.ByteArray(), Serdes.ByteArray());
        graphDeadLetters = new TopicSpec<>(prefix + "graph.dead-letters.v1", partitions,
            Cleanup.DELETE_BY_APPEND_TIME, DEAD_LETTER_RETENTION, Serdes.ByteArray(), Serdes.ByteArray());
        // internal topics keep records without a time limit (their records carry event times, so a time retention
        // would delete a backfill's records before they are read); graph-stream deletes what it has committed
        graphCommands = new TopicSpec<>(prefix + "graph.internal.commands.v1", partitions, Cleanup.DELETE,
            null, Serdes.String(), AvroSerdes.serde(GraphCommand.class));
        graphInsightIqAccounts = internalFacts(prefix + "graph.internal.insightiq-accounts.v1", partitions);
        graphInsightIqUsers = internalFacts(prefix + "graph.internal.insightiq-users.v1", partitions);
        graphInsightIqInsiders = internalFacts(prefix + "graph.internal.insightiq-insiders.v1", partitions);
    }

    /** The production catalogue: no prefix, {@link #DEFAULT_PARTITIONS} partitions, 30 days of network updates. */
    public static Topics standard() {
        return new Topics("", DEFAULT_PARTITIONS, Duration.ofDays(30));
    }

    /** A catalogue whose topic names all start with {@code prefix} (may be empty). */
    public static Topics create(final String prefix, final int partitions, final Duration updatesRetention) {
        return new Topics(prefix, partitions, updatesRetention);
    }

    /** UTC days of Insider events ingest has requested an export of, keyed by "partner|day" (compacted). */
    public TopicSpec<String, InsiderExportRequest> exportRequests() {
        return exportRequests;
    }

    /** Webhook deliveries ingest accepted, keyed by "endpoint|webhook-id": its replay memory across restarts. */
    public TopicSpec<String, WebhookDelivery> webhookDeliveries() {
        return webhookDeliveries;
    }

    /** Partner events (visits, signups, shares, purchases), keyed by the insider the event is about. */
    public TopicSpec<String, PartnerEvent> partnerEvents() {
        return partnerEvents;
    }

    /** Compacted insider state, keyed by insider id. */
    public TopicSpec<String, InsiderState> insiderState() {
        return insiderState;
    }

    /** Compacted connection state, keyed by "source|target", partitioned by source. */
    public TopicSpec<String, ConnectionState> connectionState() {
        return connectionState;
    }

    /** Compacted exact network sizes, keyed by insider id (the partition of the insider's state). */
    public TopicSpec<String, NetworkSizes> networkSizes() {
        return networkSizes;
    }

    /** Change feed of the network, keyed by insider id. */
    public TopicSpec<String, NetworkUpdate> networkUpdates() {
        return networkUpdates;
    }

    /** Purchases per insider for the behavior endpoint, keyed by "insider|event_id", partitioned by insider. */
    public TopicSpec<String, PurchaseRecord> purchases() {
        return purchases;
    }

    /** InsightIQ work platforms, keyed by id. */
    public TopicSpec<String, InsightIqWorkPlatform> workPlatforms() {
        return workPlatforms;
    }

    /** InsightIQ users (external_id = insider id), keyed by user id. */
    public TopicSpec<String, InsightIqUser> users() {
        return users;
    }

    /** InsightIQ connected accounts, keyed by account id. */
    public TopicSpec<String, InsightIqAccount> accounts() {
        return accounts;
    }

    /** InsightIQ profiles, keyed by profile id. */
    public TopicSpec<String, InsightIqProfile> profiles() {
        return profiles;
    }

    /** InsightIQ social contents, keyed by content id. */
    public TopicSpec<String, InsightIqContent> contents() {
        return contents;
    }

    /** InsightIQ content groups, keyed by content group id. */
    public TopicSpec<String, InsightIqContentGroup> contentGroups() {
        return contentGroups;
    }

    /** InsightIQ comments, keyed by comment id. */
    public TopicSpec<String, InsightIqComment> comments() {
        return comments;
    }

    /** InsightIQ audience demographics, keyed by account id. */
    public TopicSpec<String, InsightIqAudience> audiences() {
        return audiences;
    }

    /** Accounts disconnected from InsightIQ, keyed by account id. */
    public TopicSpec<String, InsightIqAccountDisconnected> accountDisconnects() {
        return accountDisconnects;
    }

    /** Raw InsightIQ webhook notifications, keyed by account id (or job id). */
    public TopicSpec<String, InsightIqWebhookNotification> insightIqWebhooks() {
        return insightIqWebhooks;
    }

    /** Insider export file links, keyed by URL (compaction deduplicates). */
    public TopicSpec<String, InsiderExportLink> exportLinks() {
        return exportLinks;
    }

    /** Insider export rows not mapped to a typed partner event, keyed by user id. */
    public TopicSpec<String, InsiderExportRow> exportEvents() {
        return exportEvents;
    }

    /** Import progress of Insider export files, keyed by URL (compacted: the latest state per file). */
    public TopicSpec<String, InsiderExportProgress> exportProgress() {
        return exportProgress;
    }

    /** Progress of the InsightIQ poller, keyed by "scope|kind" (compacted: the latest cursor per key wins). */
    public TopicSpec<String, InsightIqPollCursor> pollCursors() {
        return pollCursors;
    }

    /** Records ingest could not map; the original bytes with reason and source headers. */
    public TopicSpec<byte[], byte[]> ingestDeadLetters() {
        return ingestDeadLetters;
    }

    /** Records graph-stream could not process; the original bytes with reason and source headers. */
    public TopicSpec<byte[], byte[]> graphDeadLetters() {
        return graphDeadLetters;
    }

    /** Internal to graph-stream: facts sent between its tasks, keyed and partitioned like partner events. */
    public TopicSpec<String, GraphCommand> graphCommands() {
        return graphCommands;
    }

    /** Internal to graph-stream: InsightIQ facts keyed by InsightIQ account id. */
    public TopicSpec<String, InsightIqFact> graphInsightIqAccounts() {
        return graphInsightIqAccounts;
    }

    /** Internal to graph-stream: InsightIQ facts keyed by InsightIQ user id. */
    public TopicSpec<String, InsightIqFact> graphInsightIqUsers() {
        return graphInsightIqUsers;
    }

    /** Internal to graph-stream: InsightIQ facts keyed by insider id, partitioned like partner events. */
    public TopicSpec<String, InsightIqFact> graphInsightIqInsiders() {
        return graphInsightIqInsiders;
    }

    /** Every topic of the catalogue. */
    public List<TopicSpec<?, ?>> all() {
        return List.of(partnerEvents, insiderState, connectionState, networkSizes, networkUpdates, purchases,
            workPlatforms, users, accounts, profiles, contents, contentGroups, comments, audiences, accountDisconnects, insightIqWebhooks,
            exportLinks, exportEvents, exportProgress, pollCursors, exportRequests, webhookDeliveries,
            ingestDeadLetters, graphDeadLetters,
            graphCommands, graphInsightIqAccounts, graphInsightIqUsers, graphInsightIqInsiders);
    }

    /** graph-stream's internal topics: read back by graph-stream only, purged by it once committed. */
    public List<TopicSpec<?, ?>> internal() {
        return List.of(graphCommands, graphInsightIqAccounts, graphInsightIqUsers,
            graphInsightIqInsiders);
    }

    private static TopicSpec<String, InsightIqFact> internalFacts(final String name, final int partitions) {
        return new TopicSpec<>(name, partitions, Cleanup.DELETE, null, Serdes.String(),
            AvroSerdes.serde(InsightIqFact.class));
    }

    private static <V extends SpecificRecord> TopicSpec<String, V> compacted(final String name, final int partitions,
                                                                           final Class<V> type) {
        return new TopicSpec<>(name, partitions, Cleanup.COMPACT, null, Serdes.String(), AvroSerdes.serde(type));
    }
}
