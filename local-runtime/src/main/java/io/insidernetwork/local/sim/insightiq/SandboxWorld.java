package io.insidernetwork.local.sim.insightiq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The generated InsightIQ data of the sandbox, in the seed's shapes: one user per insider (external_id = insider id),
 * one or two connected accounts on the four social platforms, a profile and an audience per account, contents per
 * account and comments written by other insiders. Reproducible from the seed; {@link #grow()} adds contents and
 * comments as time passes. Thread-safe (one lock).
 */
public final class SandboxWorld {

    /** The work platforms of the sandbox, with the ids of the seed's samples. */
    public static final Map<String, String> PLATFORMS = Map.of(
        "Instagram", "9bb8913b-ddd9-430b-a66a-d74d846e6c66",
        "TikTok", "de55aeec-0dc8-4119-bf90-16b3d1f0c987",
        "Twitter", "7645460a-96e0-4192-a3ce-a1fc30641f72",
        "Facebook", "ad2fec62-2987-40a0-89fb-23485972598c");
    private static final List<String> PLATFORM_NAMES = List.of("Instagram", "TikTok", "Twitter", "Facebook");
    private static final DateTimeFormatter SEED_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private final ObjectMapper json = new ObjectMapper();
    private final Random random;
    private final Clock clock;
    private final List<ObjectNode> users = new ArrayList<>();
    private final List<ObjectNode> accounts = new ArrayList<>();
    private final Map<String, ObjectNode> profiles = new LinkedHashMap<>();
    private final Map<String, ObjectNode> audiences = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> contentsByAccount = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> commentsByContent = new LinkedHashMap<>();
    private final Map<String, ObjectNode> contentsById = new LinkedHashMap<>();

    public SandboxWorld(final long seed, final List<String> insiderIds, final Clock clock) {
        this.random = new Random(seed ^ 0x5EEDL);
        this.clock = clock;
        for (final String insider : insiderIds) {
            addUser(insider);
        }
        for (final ObjectNode account : List.copyOf(accounts)) {
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                addContent(account);
            }
        }
    }

    /** Adds a few contents and comments; returns the ids of the new contents (for CONTENTS.ADDED webhooks). */
    public synchronized List<ObjectNode> grow(final int contents) {
        final List<ObjectNode> added = new ArrayList<>();
        for (int i = 0; i < contents && !accounts.isEmpty(); i++) {
            added.add(addContent(accounts.get(random.nextInt(accounts.size()))));
        }
        return added;
    }

    /** Users, as listed by GET /v1/users. */
    public synchronized List<ObjectNode> users() {
        return List.copyOf(users);
    }

    /** Accounts, optionally of one user. */
    public synchronized List<ObjectNode> accounts(final String userId) {
        return accounts.stream().filter(a -> userId == null || a.path("user").path("id").asText().equals(userId))
            .toList();
    }

    /** The profile of an account, if any. */
    public synchronized List<ObjectNode> profiles(final String accountId) {
        return profiles.entrySet().stream().filter(e -> accountId == null || e.getKey().equals(accountId))
            .map(Map.Entry::getValue).toList();
    }

    /** The audience of an account, or null. */
    public synchronized ObjectNode audience(final String accountId) {
        return audiences.get(accountId);
    }

    /** Contents of an account published within [from, to] (dates, inclusive, null = open). */
    public synchronized List<ObjectNode> contents(final String accountId, final String from, final String to) {
        return contentsByAccount.getOrDefault(accountId, List.of()).stream()
            .filter(c -> within(c.path("published_at").asText().substring(0, 10), from, to)).toList();
    }

    /** Contents by id. */
    public synchronized List<ObjectNode> contentsByIds(final List<String> ids) {
        return ids.stream().map(contentsById::get).filter(c -> c != null).toList();
    }

    /** Comments of a content. */
    public synchronized List<ObjectNode> comments(final String contentId) {
        return commentsByContent.getOrDefault(contentId, List.of());
    }

    /** The work platforms. */
    public List<ObjectNode> workPlatforms() {
        return PLATFORM_NAMES.stream().map(this::workPlatform).toList();
    }

    private static boolean within(final String date, final String from, final String to) {
        return (from == null || date.compareTo(from) >= 0) && (to == null || date.compareTo(to) <= 0);
    }

    private void addUser(final String insiderId) {
        final String now = now();
        final ObjectNode user = json.createObjectNode()
            .put("name", "Insider " + insiderId.substring(0, 8))
            .put("external_id", insiderId)
            .put("id", uuid())
            .put("created_at", now)
            .put("updated_at", now)
            .put("status", "ACTIVE");
        users.add(user);
        final int count = 1 + (random.nextDouble() < 0.3 ? 1 : 0);
        final List<String> platforms = new ArrayList<>(PLATFORM_NAMES);
        for (int i = 0; i < count; i++) {
            addAccount(user, platforms.remove(random.nextInt(platforms.size())));
        }
    }

    private void addAccount(final ObjectNode user, final String platform) {
        final String now = now();
        final String handle = "user_" + user.path("external_id").asText().substring(0, 8) + "_"
            + platform.toLowerCase(java.util.Locale.ROOT);
        final ObjectNode account = json.createObjectNode()
            .put("id", uuid())
            .put("created_at", now)
            .put("updated_at", now);
        account.set("user", json.createObjectNode().put("id", user.path("id").asText())
            .put("name", user.path("name").asText()));
        account.set("work_platform", workPlatformRef(platform));
        account.put("platform_username", handle)
            .put("profile_pic_url", "https://example.invalid/pics/" + handle + ".jpg")
            .put("status", "CONNECTED")
            .put("platform_profile_name", handle)
            .put("platform_profile_id", Long.toString(Math.abs(random.nextLong() % 10_000_000_000L)))
            .put("platform_profile_published_at", now);
        final ObjectNode data = json.createObjectNode();
        data.set("identity", json.createObjectNode().put("status", "SYNCED").put("last_sync_at", now)
            .put("monitoring_type", "ONE_TIME"));
        data.set("engagement", json.createObjectNode().put("status", "SYNCED").put("last_sync_at", now)
            .put("monitoring_type", "ONE_TIME"));
        account.set("data", data);
        accounts.add(account);
        profiles.put(account.path("id").asText(), profile(user, account, platform, handle, now));
        audiences.put(account.path("id").asText(), audience(user, account, platform, now));
        contentsByAccount.put(account.path("id").asText(), new ArrayList<>());
    }

    private ObjectNode profile(final ObjectNode user, final ObjectNode account, final String platform,
                               final String handle, final String now) {
        final ObjectNode profile = json.createObjectNode().put("id", uuid()).put("created_at", now)
            .put("updated_at", now);
        profile.set("user", account.get("user"));
        profile.set("account", json.createObjectNode().put("id", account.path("id").asText())
            .put("platform_username", handle));
        profile.set("work_platform", workPlatformRef(platform));
        profile.put("platform_username", handle)
            .put("full_name", user.path("name").asText())
            .put("first_name", "Insider")
            .put("last_name", user.path("external_id").asText().substring(0, 8))
            .putNull("nick_name")
            .put("url", "https://example.invalid/" + handle)
            .put("introduction", "Sharing what I love")
            .put("image_url", "https://example.invalid/pics/" + handle + ".jpg")
            .putNull("date_of_birth")
            .put("external_id", account.path("platform_profile_id").asText())
            .put("platform_account_type", random.nextBoolean() ? "CREATOR" : "PERSONAL")
            .put("category", "Lifestyle")
            .putNull("website");
        final long followers = (long) Math.exp(4 + random.nextGaussian() * 1.5);
        profile.set("reputation", json.createObjectNode()
            .put("follower_count", followers)
            .put("following_count", 50 + random.nextInt(500))
            .putNull("subscriber_count")
            .putNull("paid_subscriber_count")
            .put("content_count", 10 + random.nextInt(300))
            .putNull("content_group_count")
            .putNull("watch_time_in_hours")
            .putNull("average_open_rate")
            .putNull("average_click_rate"));
        profile.set("emails", json.createArrayNode());
        profile.set("phone_numbers", json.createArrayNode());
        profile.set("addresses", json.createArrayNode());
        profile.put("gender", random.nextBoolean() ? "FEMALE" : "MALE")
            .put("country", random.nextBoolean() ? "US" : "DE")
            .put("platform_profile_name", handle)
            .put("platform_profile_id", account.path("platform_profile_id").asText())
            .put("platform_profile_published_at", now)
            .put("is_verified", random.nextDouble() < 0.05)
            .put("is_business", false);
        return profile;
    }

    private ObjectNode audience(final ObjectNode user, final ObjectNode account, final String platform,
                                final String now) {
        final ObjectNode audience = json.createObjectNode().put("id", uuid()).put("created_at", now)
            .put("updated_at", now);
        audience.set("user", account.get("user"));
        audience.set("account", json.createObjectNode().put("id", account.path("id").asText())
            .put("platform_username", account.path("platform_username").asText()));
        audience.set("work_platform", workPlatformRef(platform));
        final double us = 30 + random.nextInt(40);
        audience.set("countries", json.createArrayNode()
            .add(json.createObjectNode().put("code", "US").put("value", us))
            .add(json.createObjectNode().put("code", "DE").put("value", 100 - us)));
        audience.set("cities", json.createArrayNode()
            .add(json.createObjectNode().put("name", "New York, New York, United States").put("value", us / 3)));
        audience.set("gender_age_distribution", json.createArrayNode()
            .add(json.createObjectNode().put("gender", "FEMALE").put("age_range", "18-24").put("value", 40.0))
            .add(json.createObjectNode().put("gender", "MALE").put("age_range", "25-34").put("value", 60.0)));
        return audience;
    }

    private ObjectNode addContent(final ObjectNode account) {
        final String now = now();
        final String platform = account.path("work_platform").path("name").asText();
        final ObjectNode content = json.createObjectNode().put("id", uuid()).put("created_at", now)
            .put("updated_at", now);
        content.set("user", account.get("user"));
        content.set("account", json.createObjectNode().put("id", account.path("id").asText())
            .put("platform_username", account.path("platform_username").asText()));
        content.set("work_platform", workPlatformRef(platform));
        final int comments = random.nextInt(4);
        content.set("engagement", json.createObjectNode()
            .put("like_count", random.nextInt(500))
            .putNull("dislike_count")
            .put("comment_count", comments)
            .putNull("impression_organic_count")
            .put("reach_organic_count", random.nextInt(5_000))
            .putNull("save_count")
            .put("view_count", random.nextInt(10_000))
            .putNull("watch_time_in_hours")
            .put("share_count", platform.equals("Twitter") ? random.nextInt(50) : null));
        content.put("external_id", Long.toString(Math.abs(random.nextLong() % 1_000_000_000_000L)))
            .put("title", "Look what I found")
            .put("format", "IMAGE")
            .put("type", "POST")
            .put("url", "https://example.invalid/p/" + content.path("id").asText())
            .put("media_url", "https://example.invalid/m/" + content.path("id").asText())
            .putNull("duration")
            .put("description", "Loving this #ad")
            .put("visibility", "PUBLIC")
            .putNull("thumbnail_url")
            .putNull("persistent_thumbnail_url")
            .put("published_at", now)
            .put("platform_profile_id", account.path("platform_profile_id").asText())
            .put("platform_profile_name", account.path("platform_username").asText())
            .put("audience", "FREE")
            .put("platform", "WEB");
        content.set("hashtags", json.createArrayNode().add("#ad"));
        content.set("mentions", json.createArrayNode());
        content.set("authors", json.createArrayNode());
        content.set("content_tags", json.createArrayNode());
        content.set("sponsored", json.createObjectNode().put("is_sponsored", false).putNull("tags"));
        content.set("collaboration", json.createObjectNode().put("has_collaborators", false));
        contentsByAccount.get(account.path("id").asText()).add(content);
        contentsById.put(content.path("id").asText(), content);
        final List<ObjectNode> list = new ArrayList<>();
        for (int i = 0; i < comments && accounts.size() > 1; i++) {
            list.add(comment(content, accounts.get(random.nextInt(accounts.size())), now));
        }
        commentsByContent.put(content.path("id").asText(), list);
        return content;
    }

    private ObjectNode comment(final ObjectNode content, final ObjectNode commenter, final String now) {
        final ObjectNode comment = json.createObjectNode().put("id", uuid()).put("created_at", now)
            .putNull("updated_at").put("published_at", now);
        comment.set("user", content.get("user"));
        comment.set("account", content.get("account"));
        comment.set("work_platform", content.get("work_platform"));
        comment.set("content", json.createObjectNode().put("id", content.path("id").asText())
            .put("url", content.path("url").asText()).put("published_at", content.path("published_at").asText()));
        comment.put("external_id", Long.toString(Math.abs(random.nextLong() % 1_000_000_000_000L)))
            .put("text", "Need this!")
            .put("commenter_username", commenter.path("platform_username").asText())
            .put("commenter_display_name", commenter.path("platform_username").asText())
            .put("commenter_id", commenter.path("platform_profile_id").asText())
            .put("commenter_profile_url", "https://example.invalid/" + commenter.path("platform_username").asText())
            .put("like_count", random.nextInt(20))
            .put("reply_count", 0);
        return comment;
    }

    private ObjectNode workPlatformRef(final String name) {
        return json.createObjectNode().put("id", PLATFORMS.get(name)).put("name", name)
            .put("logo_url", "https://example.invalid/logos/" + name.toLowerCase(java.util.Locale.ROOT) + ".png");
    }

    private ObjectNode workPlatform(final String name) {
        final ObjectNode platform = workPlatformRef(name)
            .put("created_at", "2021-09-01T00:00:00.000000")
            .put("updated_at", "2021-09-01T00:00:00.000000")
            .put("category", "SOCIAL")
            .put("status", "ACTIVE")
            .put("url", "https://www." + name.toLowerCase(java.util.Locale.ROOT) + ".com");
        final ObjectNode supported = json.createObjectNode().put("is_supported", true);
        final ObjectNode products = json.createObjectNode();
        products.set("identity", supported.deepCopy().set("audience", supported.deepCopy()));
        products.set("engagement", supported.deepCopy().set("audience", supported.deepCopy()));
        platform.set("products", products);
        return platform;
    }

    private String now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(SEED_TIME);
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
