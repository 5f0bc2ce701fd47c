package io.insidernetwork.ingest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A local fake of the InsightIQ API for tests, built from the seed's sample responses: every object is a copy of a
 * sample with its own id, owner and publish date. It pages with limit/offset, filters contents by publish day,
 * answers the bulk search and job endpoints, checks Basic auth, sends a request-id, records every request and plays
 * queued faults (status, Retry-After, malformed body, delay) before normal answers.
 */
public final class FakeInsightIq implements AutoCloseable {

    /** Size of the generated data set. */
    public record Dataset(int users, int accountsPerUser, int contentsPerAccount, int commentsPerContent,
                          int groupsPerAccount, int publishSpreadDays) {
    }

    /** One request received. */
    public record Request(String method, String path, Map<String, String> query, String body, Instant at) {
        public long offset() {
            return Long.parseLong(query.getOrDefault("offset", "0"));
        }
    }

    /** A canned answer played instead of the normal one. */
    public record Fault(int status, String body, String retryAfter, long delayMillis) {
        public static Fault status(final int status) {
            return new Fault(status, "{\"error\":{\"http_status_code\":" + status + "}}", null, 0);
        }

        public static Fault tooManyRequests(final String retryAfter) {
            return new Fault(429, "{\"error\":\"rate limited\"}", retryAfter, 0);
        }

        public static Fault malformed() {
            return new Fault(200, "{\"data\": [ {\"id\": ", null, 0);
        }

        public static Fault slow(final long delayMillis) {
            return new Fault(-1, null, null, delayMillis);
        }
    }

    public static final String USER = "client-id";
    public static final String PASSWORD = "s3cr3t-pa55word";

    private final ObjectMapper json = new ObjectMapper();
    private final Javalin http;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<ObjectNode> platforms = new ArrayList<>();
    private final List<ObjectNode> users = new ArrayList<>();
    private final Map<String, List<ObjectNode>> accountsByUser = new LinkedHashMap<>();
    private final Map<String, ObjectNode> accounts = new LinkedHashMap<>();
    private final Map<String, ObjectNode> profiles = new LinkedHashMap<>();
    private final Map<String, ObjectNode> audiences = new LinkedHashMap<>();
    private final Map<String, ObjectNode> contents = new LinkedHashMap<>();
    private final Map<String, ObjectNode> groups = new LinkedHashMap<>();
    private final Map<String, ObjectNode> comments = new LinkedHashMap<>();
    private volatile boolean rejectAll;

    public FakeInsightIq(final Dataset dataset) {
        generate(dataset);
        http = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        http.before(this::before);
        http.get("/v1/work-platforms", ctx -> page(ctx, platforms));
        http.get("/v1/users", ctx -> page(ctx, users));
        http.get("/v1/accounts", ctx -> page(ctx, accountsByUser.getOrDefault(ctx.queryParam("user_id"), List.of())));
        http.get("/v1/accounts/{id}", ctx -> one(ctx, accounts.get(ctx.pathParam("id"))));
        http.get("/v1/profiles", ctx -> page(ctx, filter(profiles, byAccount(ctx))));
        http.get("/v1/profiles/{id}", ctx -> one(ctx, profiles.get(ctx.pathParam("id"))));
        http.get("/v1/audience", ctx -> one(ctx, audiences.get(ctx.queryParam("account_id"))));
        http.get("/v1/social/contents", ctx -> page(ctx, filter(contents, byAccount(ctx).and(inWindow(ctx)))));
        http.post("/v1/social/contents/search", ctx -> search(ctx, contents));
        http.get("/v1/social/content-groups", ctx -> page(ctx, filter(groups, byAccount(ctx).and(inWindow(ctx)))));
        http.post("/v1/social/content-groups/search", ctx -> search(ctx, groups));
        http.get("/v1/social/comments", ctx -> page(ctx, filter(comments, byAccount(ctx)
            .and(o -> o.path("content").path("id").asText().equals(ctx.queryParam("content_id"))))));
        http.get("/v1/social/creators/async/contents/fetch/{id}", ctx -> page(ctx, new ArrayList<>(contents.values())
            .subList(0, Math.min(3, contents.size()))));
        http.after(ctx -> ctx.header("request-id", UUID.randomUUID().toString()));
        http.start("127.0.0.1", 0);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    /** Queues {@code fault} for the next request whose path starts with {@code pathPrefix}. */
    public void enqueue(final String pathPrefix, final Fault fault) {
        faults.computeIfAbsent(pathPrefix, p -> new ConcurrentLinkedDeque<>()).add(fault);
    }

    /** From now on every request answers 401 (a revoked credential). */
    public void rejectAll(final boolean reject) {
        rejectAll = reject;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Ids of every object of {@code kind} (label of ObjectKind) the fake holds. */
    public Set<String> ids(final String kind) {
        return switch (kind) {
            case "work-platforms" -> platforms.stream().map(o -> o.path("id").asText()).collect(Collectors.toSet());
            case "users" -> users.stream().map(o -> o.path("id").asText()).collect(Collectors.toSet());
            case "accounts" -> accounts.keySet();
            case "profiles" -> profiles.keySet();
            case "audience" -> audiences.keySet();
            case "contents" -> contents.keySet();
            case "content-groups" -> groups.keySet();
            case "comments" -> comments.keySet();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Makes content number {@code index} unmappable (a text like count); returns its id. */
    public String corruptContent(final int index) {
        final ObjectNode content = new ArrayList<>(contents.values()).get(index);
        ((ObjectNode) content.path("engagement")).put("like_count", "many");
        return content.path("id").asText();
    }

    /** Every content id (in generation order). */
    public List<String> contentIds() {
        return List.copyOf(contents.keySet());
    }

    public String accountId(final int index) {
        return new ArrayList<>(accounts.keySet()).get(index);
    }

    private void before(final Context ctx) throws InterruptedException {
        final Map<String, String> query = ctx.queryParamMap().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
        requests.add(new Request(ctx.method().name(), ctx.path(), query, ctx.body(), Instant.now()));
        final String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
        if (rejectAll || !expected.equals(ctx.header("Authorization"))) {
            ctx.header("request-id", UUID.randomUUID().toString());
            ctx.status(401).result("{\"error\":{\"error_code\":\"UNAUTHORIZED\"}}");
            ctx.skipRemainingHandlers();
            return;
        }
        for (final Map.Entry<String, Deque<Fault>> entry : faults.entrySet()) {
            if (ctx.path().startsWith(entry.getKey())) {
                final Fault fault = entry.getValue().poll();
                if (fault == null) {
                    continue;
                }
                if (fault.delayMillis() > 0) {
                    // the injected fault is a slow upstream: the delay is the behaviour under test
                    Thread.sleep(fault.delayMillis());
                }
                if (fault.status() > 0) {
                    ctx.header("request-id", UUID.randomUUID().toString());
                    if (fault.retryAfter() != null) {
                        ctx.header("Retry-After", fault.retryAfter());
                    }
                    ctx.status(fault.status()).contentType("application/json").result(fault.body());
                    ctx.skipRemainingHandlers();
                }
                return;
            }
        }
    }

    private void page(final Context ctx, final List<ObjectNode> all) {
        final int limit = Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("10"));
        final int offset = Integer.parseInt(ctx.queryParamAsClass("offset", String.class).getOrDefault("0"));
        if (limit < 1 || limit > 100) {
            ctx.status(400).result("{\"error\":\"limit\"}");
            return;
        }
        final ObjectNode body = json.createObjectNode();
        final ArrayNode data = body.putArray("data");
        all.stream().skip(offset).limit(limit).forEach(data::add);
        body.putObject("metadata").put("offset", offset).put("limit", limit)
            .put("from_date", ctx.queryParam("from_date")).put("to_date", ctx.queryParam("to_date"));
        ctx.contentType("application/json").result(body.toString());
    }

    private void one(final Context ctx, final ObjectNode object) {
        if (object == null) {
            ctx.status(404).result("{\"error\":\"not found\"}");
        } else {
            ctx.contentType("application/json").result(object.toString());
        }
    }

    private void search(final Context ctx, final Map<String, ObjectNode> all) throws IOException {
        final JsonNode ids = json.readTree(ctx.body()).path("ids");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > 100) {
            ctx.status(400).result("{\"error\":\"ids must have 1 to 100 items\"}");
            return;
        }
        final ObjectNode body = json.createObjectNode();
        final ArrayNode data = body.putArray("data");
        ids.forEach(id -> {
            if (all.containsKey(id.asText())) {
                data.add(all.get(id.asText()));
            }
        });
        ctx.contentType("application/json").result(body.toString());
    }

    private static Predicate<ObjectNode> byAccount(final Context ctx) {
        final String account = ctx.queryParam("account_id");
        return o -> o.path("account").path("id").asText().equals(account);
    }

    private static Predicate<ObjectNode> inWindow(final Context ctx) {
        final String from = ctx.queryParam("from_date");
        final String to = ctx.queryParam("to_date");
        return o -> {
            final LocalDate day = LocalDate.parse(o.path("published_at").asText().substring(0, 10));
            return (from == null || !day.isBefore(LocalDate.parse(from)))
                && (to == null || !day.isAfter(LocalDate.parse(to)));
        };
    }

    private static List<ObjectNode> filter(final Map<String, ObjectNode> all, final Predicate<ObjectNode> keep) {
        return all.values().stream().filter(keep).toList();
    }

    private void generate(final Dataset d) {
        final JsonNode platformSample = sample("work-platforms");
        platformSample.path("data").forEach(p -> platforms.add((ObjectNode) p));
        final ObjectNode user = first("users");
        final ObjectNode account = first("accounts");
        final ObjectNode profile = first("profiles");
        final ObjectNode audience = (ObjectNode) sample("audience");
        final ObjectNode content = first("contents");
        final ObjectNode group = first("content-groups");
        final ObjectNode comment = first("comments");
        final LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        for (int u = 0; u < d.users(); u++) {
            final ObjectNode usr = copy(user, id("user", u));
            usr.put("external_id", id("insider", u));
            users.add(usr);
            final List<ObjectNode> owned = new ArrayList<>();
            for (int a = 0; a < d.accountsPerUser(); a++) {
                final String accountId = id("account", u * 100 + a);
                final ObjectNode acc = copy(account, accountId);
                acc.put("status", "CONNECTED");
                ((ObjectNode) acc.path("user")).put("id", usr.path("id").asText());
                owned.add(acc);
                accounts.put(accountId, acc);
                final ObjectNode prof = own(copy(profile, id("profile:" + accountId, 0)), usr, accountId);
                profiles.put(prof.path("id").asText(), prof);
                audiences.put(accountId, own(copy(audience, id("audience:" + accountId, 0)), usr, accountId));
                for (int c = 0; c < d.contentsPerAccount(); c++) {
                    final ObjectNode cnt = own(copy(content, id("content:" + accountId, c)), usr, accountId);
                    cnt.put("published_at", today.minusDays(c % Math.max(1, d.publishSpreadDays())) + "T00:00:00");
                    final boolean commented = c % 5 == 0 && d.commentsPerContent() > 0;
                    ((ObjectNode) cnt.path("engagement")).put("comment_count", commented ? d.commentsPerContent() : 0);
                    contents.put(cnt.path("id").asText(), cnt);
                    for (int k = 0; commented && k < d.commentsPerContent(); k++) {
                        final ObjectNode cmt = own(copy(comment, id("comment:" + cnt.path("id").asText(), k)), usr,
                            accountId);
                        ((ObjectNode) cmt.path("content")).put("id", cnt.path("id").asText());
                        comments.put(cmt.path("id").asText(), cmt);
                    }
                }
                for (int g = 0; g < d.groupsPerAccount(); g++) {
                    final ObjectNode grp = own(copy(group, id("group:" + accountId, g)), usr, accountId);
                    grp.put("published_at", today.minusDays(g % Math.max(1, d.publishSpreadDays())) + "T00:00:00");
                    groups.put(grp.path("id").asText(), grp);
                }
            }
            accountsByUser.put(usr.path("id").asText(), owned);
        }
    }

    private static ObjectNode own(final ObjectNode object, final ObjectNode user, final String accountId) {
        ((ObjectNode) object.path("user")).put("id", user.path("id").asText());
        ((ObjectNode) object.path("account")).put("id", accountId);
        return object;
    }

    private static ObjectNode copy(final ObjectNode template, final String id) {
        final ObjectNode copy = template.deepCopy();
        copy.put("id", id);
        return copy;
    }

    private static String id(final String kind, final int index) {
        return UUID.nameUUIDFromBytes((kind + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private ObjectNode first(final String name) {
        return (ObjectNode) sample(name).path("data").get(0);
    }

    private JsonNode sample(final String name) {
        try (InputStream in = FakeInsightIq.class.getResourceAsStream("/insightiq/" + name + ".json")) {
            return json.readTree(in);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.stop();
    }
}
