package io.insidernetwork.graph.logic;

import io.insidernetwork.schemas.graph.IiqAccountStatus;
import io.insidernetwork.schemas.graph.IiqContentEngagement;
import io.insidernetwork.schemas.graph.IiqProfileReputation;
import io.insidernetwork.schemas.graph.IiqUserSeen;
import io.insidernetwork.schemas.graph.InsightIqFact;
import io.insidernetwork.schemas.insightiq.InsightIqAccount;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqContentEngagement;
import io.insidernetwork.schemas.insightiq.InsightIqProfile;
import io.insidernetwork.schemas.insightiq.InsightIqProfileReputation;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Maps raw InsightIQ records (as ingest writes them, keyed by their own id) to the small {@link InsightIqFact}s
 * graph-stream routes by account or user id, and says what is wrong with a record that cannot be mapped.
 */
public final class InsightIqFacts {

    /** Upstream status of an account that was disconnected (the seed's disconnect endpoint answers it). */
    public static final String NOT_CONNECTED = "NOT_CONNECTED";
    /** Status recorded for an {@link InsightIqAccountDisconnected} record. */
    public static final String DISCONNECTED = "DISCONNECTED";

    /** Where a fact goes: to the task of an InsightIQ account or of an InsightIQ user. */
    public enum Route { ACCOUNT, USER }

    /** A mapped fact with its route and key, or a problem naming the field at fault. */
    public sealed interface Mapped permits Routed, Rejected {
    }

    /** A fact to send, keyed by {@code key} on the {@code route}'s topic. */
    public record Routed(Route route, String key, InsightIqFact fact) implements Mapped {
    }

    /** A record that cannot be mapped; {@code reason} names the field ("user.id: blank"). */
    public record Rejected(String reason) implements Mapped {
    }

    private InsightIqFacts() {
    }

    /** Maps any of the five InsightIQ record types graph-stream reads. */
    public static Mapped map(final SpecificRecord record) {
        if (record instanceof InsightIqUser user) {
            return user(user);
        } else if (record instanceof InsightIqAccount account) {
            return account(account);
        } else if (record instanceof InsightIqContent content) {
            return content(content);
        } else if (record instanceof InsightIqProfile profile) {
            return profile(profile);
        } else if (record instanceof InsightIqAccountDisconnected disconnected) {
            return disconnected(disconnected);
        }
        return new Rejected("value: unexpected type " + (record == null ? "null" : record.getClass().getName()));
    }

    static Mapped user(final InsightIqUser user) {
        final Optional<Mapped> unsafe = unsafe("id", user.getId(), "external_id", user.getExternalId());
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        if (blank(user.getId())) {
            return new Rejected("id: blank");
        }
        if (!EventValidator.isInsiderId(user.getExternalId())) {
            return new Rejected("external_id: not an insider UUID");
        }
        return new Routed(Route.USER, user.getId(), new InsightIqFact(user.getUpdatedAt(),
            new IiqUserSeen(user.getId(), user.getExternalId(),
                user.getCreatedAt())));
    }

    static Mapped account(final InsightIqAccount account) {
        final Optional<Mapped> unsafe = unsafe("id", account.getId(), "user.id", account.getUser().getId(),
            "work_platform.name", account.getWorkPlatform().getName(), "status", account.getStatus());
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        if (blank(account.getId())) {
            return new Rejected("id: blank");
        }
        if (blank(account.getUser().getId())) {
            return new Rejected("user.id: blank");
        }
        final String status = account.getStatus() == null ? "" : account.getStatus().trim();
        return new Routed(Route.ACCOUNT, account.getId(), new InsightIqFact(account.getUpdatedAt(),
            new IiqAccountStatus(account.getId(), account.getUser().getId(),
                ConnectionStates.platformKey(account.getWorkPlatform().getName()),
                !NOT_CONNECTED.equalsIgnoreCase(status), status)));
    }

    static Mapped disconnected(final InsightIqAccountDisconnected disconnected) {
        final Optional<Mapped> unsafe = unsafe("account_id", disconnected.getAccountId(), "user_id",
            disconnected.getUserId());
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        if (blank(disconnected.getAccountId())) {
            return new Rejected("account_id: blank");
        }
        final String user = blank(disconnected.getUserId()) ? null : disconnected.getUserId();
        return new Routed(Route.ACCOUNT, disconnected.getAccountId(), new InsightIqFact(
            disconnected.getDisconnectedAt(), new IiqAccountStatus(disconnected.getAccountId(), user, null, false,
                DISCONNECTED)));
    }

    static Mapped content(final InsightIqContent content) {
        final Optional<Mapped> unsafe = unsafe("id", content.getId(), "account.id", content.getAccount().getId(),
            "user.id", content.getUser().getId(), "work_platform.name", content.getWorkPlatform().getName());
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        if (blank(content.getId())) {
            return new Rejected("id: blank");
        }
        if (blank(content.getAccount().getId())) {
            return new Rejected("account.id: blank");
        }
        if (blank(content.getUser().getId())) {
            return new Rejected("user.id: blank");
        }
        final InsightIqContentEngagement engagement = content.getEngagement();
        final long shares = engagement == null || engagement.getShareCount() == null ? 0
            : engagement.getShareCount();
        final long comments = engagement == null || engagement.getCommentCount() == null ? 0
            : engagement.getCommentCount();
        if (shares < 0) {
            return new Rejected("engagement.share_count: negative");
        }
        if (comments < 0) {
            return new Rejected("engagement.comment_count: negative");
        }
        return new Routed(Route.ACCOUNT, content.getAccount().getId(), new InsightIqFact(content.getUpdatedAt(),
            new IiqContentEngagement(content.getId(), content.getAccount().getId(), content.getUser().getId(),
                ConnectionStates.platformKey(content.getWorkPlatform().getName()), shares + comments)));
    }

    static Mapped profile(final InsightIqProfile profile) {
        final Optional<Mapped> unsafe = unsafe("id", profile.getId(), "account.id", profile.getAccount().getId(),
            "user.id", profile.getUser().getId(), "work_platform.name", profile.getWorkPlatform().getName());
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        if (blank(profile.getId())) {
            return new Rejected("id: blank");
        }
        if (blank(profile.getAccount().getId())) {
            return new Rejected("account.id: blank");
        }
        if (blank(profile.getUser().getId())) {
            return new Rejected("user.id: blank");
        }
        final InsightIqProfileReputation reputation = profile.getReputation();
        Long followers = null;
        if (reputation != null) {
            followers = reputation.getFollowerCount() != null ? reputation.getFollowerCount()
                : reputation.getSubscriberCount();
        }
        if (followers != null && followers < 0) {
            return new Rejected("reputation.follower_count: negative");
        }
        return new Routed(Route.ACCOUNT, profile.getAccount().getId(), new InsightIqFact(profile.getUpdatedAt(),
            new IiqProfileReputation(profile.getId(), profile.getAccount().getId(), profile.getUser().getId(),
                ConnectionStates.platformKey(profile.getWorkPlatform().getName()), followers)));
    }

    /** The later of two instants. */
    public static Instant later(final Instant a, final Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * A rejection naming the first of the (field, value) pairs whose value has a control character or a lone
     * surrogate: these values become store keys and index key parts ({@link SafeText}).
     */
    private static Optional<Mapped> unsafe(final String... fieldsAndValues) {
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            final Optional<String> problem = SafeText.problem(fieldsAndValues[i], fieldsAndValues[i + 1]);
            if (problem.isPresent()) {
                return Optional.of(new Rejected(problem.get()));
            }
        }
        return Optional.empty();
    }

    private static boolean blank(final String value) {
        return value == null || value.isBlank();
    }
}
