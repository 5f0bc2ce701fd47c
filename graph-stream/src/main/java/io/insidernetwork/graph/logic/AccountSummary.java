package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.IiqAccountEngagement;
import io.insidernetwork.schemas.graph.IiqAccountStatus;
import io.insidernetwork.schemas.graph.IiqProfileReputation;
import java.util.Optional;

/**
 * What the account task knows of one InsightIQ account, built from account, disconnect, profile and content facts
 * in any order. Owner and platform are filled from whichever fact names them first (an account record's platform
 * wins); status and follower count keep the value with the latest fact time (a disconnect wins a tie);
 * {@code interactions} is the sum of the latest interactions of every content of the account.
 *
 * @param userId        InsightIQ user owning the account; null until a fact names it
 * @param platform      lowercase platform key; null until a fact names it
 * @param connected     false once disconnected (true before any status is known: contents imply a connection)
 * @param statusTime    fact time of the status ({@link Long#MIN_VALUE} before any)
 * @param followers     follower count of the latest profile; null while unknown
 * @param followersTime fact time of the follower count ({@link Long#MIN_VALUE} before any)
 * @param interactions  Σ (share_count + comment_count) over the account's contents, latest value of each
 */
public record AccountSummary(String userId, String platform, boolean connected, long statusTime, Long followers,
                             long followersTime, long interactions) {

    private static final String SEP = "\t";

    /** An account nothing is known of yet. */
    public static AccountSummary empty() {
        return new AccountSummary(null, null, true, Long.MIN_VALUE, null, Long.MIN_VALUE, 0);
    }

    /** With an account's status (from an account record or a disconnect record) at {@code time}. */
    public AccountSummary withStatus(final IiqAccountStatus status, final long time) {
        final String user = userId != null ? userId : status.getUserId();
        final String key = status.getPlatform() != null ? status.getPlatform() : platform;
        final boolean later = time > statusTime || time == statusTime && !status.getConnected();
        return new AccountSummary(user, key, later ? status.getConnected() : connected,
            later ? time : statusTime, followers, followersTime, interactions);
    }

    /** With a profile's follower count at {@code time} (kept only when not older than the known one). */
    public AccountSummary withProfile(final IiqProfileReputation profile, final long time) {
        final boolean later = time >= followersTime;
        return new AccountSummary(userId != null ? userId : profile.getUserId(),
            platform != null ? platform : profile.getPlatform(), connected, statusTime,
            later ? profile.getFollowerCount() : followers, later ? time : followersTime, interactions);
    }

    /** With owner and platform from a content (when not known yet) and the new interaction sum. */
    public AccountSummary withContent(final String contentUser, final String contentPlatform,
                                      final long interactionSum) {
        return new AccountSummary(userId != null ? userId : contentUser,
            platform != null ? platform : contentPlatform, connected, statusTime, followers, followersTime,
            interactionSum);
    }

    /** The account's engagement for its owner's task, once owner and platform are known. */
    public Optional<IiqAccountEngagement> engagement(final String accountId) {
        if (userId == null || platform == null) {
            return Optional.empty();
        }
        return Optional.of(new IiqAccountEngagement(accountId, userId, null, platform, interactions, followers,
            connected));
    }

    /** Store encoding (tab-separated; ids and platform keys never contain tabs once trimmed). */
    public String encode() {
        return String.join(SEP, nullable(userId), nullable(platform), Boolean.toString(connected),
            Long.toString(statusTime), followers == null ? "" : followers.toString(), Long.toString(followersTime),
            Long.toString(interactions));
    }

    /** Decodes {@link #encode()}; {@link #empty()} for null. */
    public static AccountSummary decode(final String encoded) {
        if (encoded == null) {
            return empty();
        }
        final String[] f = encoded.split(SEP, -1);
        return new AccountSummary(f[0].isEmpty() ? null : f[0], f[1].isEmpty() ? null : f[1],
            Boolean.parseBoolean(f[2]), Long.parseLong(f[3]), f[4].isEmpty() ? null : Long.valueOf(f[4]),
            Long.parseLong(f[5]), Long.parseLong(f[6]));
    }

    private static String nullable(final String value) {
        return value == null ? "" : value.replace(SEP, " ");
    }
}
