package io.insidernetwork.graph.it;

import io.insidernetwork.schemas.insightiq.InsightIqAccount;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqAccountUserAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqAccountWorkPlatformAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqContentAccountAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqContentEngagement;
import io.insidernetwork.schemas.insightiq.InsightIqContentUserAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqContentWorkPlatformAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqProfile;
import io.insidernetwork.schemas.insightiq.InsightIqProfileAccountAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqProfileReputation;
import io.insidernetwork.schemas.insightiq.InsightIqProfileUserAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqProfileWorkPlatformAttribute;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import java.time.Instant;

/** InsightIQ records in the shapes ingest writes them (only the fields graph-stream reads are meaningful). */
public final class InsightIqRecords {

    private static final String PLATFORM_ID = "9bb8913b-ddd9-430b-a66a-d74d846e6c66";

    private InsightIqRecords() {
    }

    public static InsightIqUser user(final String id, final String externalId, final Instant createdAt) {
        return InsightIqUser.newBuilder().setId(id).setExternalId(externalId).setCreatedAt(createdAt)
            .setUpdatedAt(createdAt).setFetchedAt(createdAt).setEnvironment("sandbox").setRawJson("{}").build();
    }

    public static InsightIqAccount account(final String id, final String userId, final String platform,
                                           final String status, final Instant updatedAt) {
        return InsightIqAccount.newBuilder().setId(id).setCreatedAt(updatedAt).setUpdatedAt(updatedAt)
            .setUser(new InsightIqAccountUserAttribute(userId, null))
            .setWorkPlatform(new InsightIqAccountWorkPlatformAttribute(PLATFORM_ID, platform, null))
            .setStatus(status).setFetchedAt(updatedAt).setEnvironment("sandbox").setRawJson("{}").build();
    }

    public static InsightIqProfile profile(final String id, final String accountId, final String userId,
                                           final String platform, final Long followers, final Instant updatedAt) {
        return InsightIqProfile.newBuilder().setId(id).setCreatedAt(updatedAt).setUpdatedAt(updatedAt)
            .setUser(new InsightIqProfileUserAttribute(userId, null))
            .setAccount(new InsightIqProfileAccountAttribute(accountId, null))
            .setWorkPlatform(new InsightIqProfileWorkPlatformAttribute(PLATFORM_ID, platform, null))
            .setReputation(InsightIqProfileReputation.newBuilder().setFollowerCount(followers).build())
            .setFetchedAt(updatedAt).setEnvironment("sandbox").setRawJson("{}").build();
    }

    public static InsightIqContent content(final String id, final String accountId, final String userId,
                                           final String platform, final Long shares, final Long comments,
                                           final Instant updatedAt) {
        return InsightIqContent.newBuilder().setId(id).setCreatedAt(updatedAt).setUpdatedAt(updatedAt)
            .setUser(new InsightIqContentUserAttribute(userId, null))
            .setAccount(new InsightIqContentAccountAttribute(accountId, null))
            .setWorkPlatform(new InsightIqContentWorkPlatformAttribute(PLATFORM_ID, platform, null))
            .setEngagement(InsightIqContentEngagement.newBuilder().setShareCount(shares).setCommentCount(comments)
                .build())
            .setPublishedAt(updatedAt).setFetchedAt(updatedAt).setEnvironment("sandbox").setRawJson("{}").build();
    }

    public static InsightIqAccountDisconnected disconnected(final String accountId, final Instant at) {
        return InsightIqAccountDisconnected.newBuilder().setAccountId(accountId).setDisconnectedAt(at).build();
    }
}
