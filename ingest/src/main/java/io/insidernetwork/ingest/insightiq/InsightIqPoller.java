package io.insidernetwork.ingest.insightiq;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.ingest.health.Readiness;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.schemas.insightiq.InsightIqPollCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Walks InsightIQ in cycles: work platforms, users → accounts → (connected accounts) profiles, audience, contents
 * (→ comments of each content with comments) and content groups. Lists are read with offset pagination until a
 * short page; contents and content groups in from_date/to_date windows that reach back {@code overlapDays} before
 * the end of the last completed window.
 *
 * <p>Invariant: a cursor moves past a page only after Kafka acknowledged every record of that page and of the walks
 * nested in it (accounts of its users, comments of its contents). A restart (even after kill -9) resumes each walk at
 * its cursor, so nothing is skipped; the page in flight at the kill, and nested walks already finished under it, are
 * published again (duplicates with the same key, which the compacted topics collapse).
 */
public final class InsightIqPoller implements AutoCloseable {

    /** Poller settings. */
    public record Settings(int pageSize, Duration interval, int overlapDays, int lookbackDays, Duration ackTimeout) {
    }

    /** The credential name shown by /health/ready when InsightIQ rejects it. */
    public static final String CREDENTIAL = "insightiq";

    private static final Logger log = LoggerFactory.getLogger(InsightIqPoller.class);
    private static final String ORIGIN = "poller";
    private static final String ALL = "all";
    private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

    private final InsightIqClient client;
    private final ObjectPublisher objects;
    private final CursorStore cursors;
    private final Readiness readiness;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Settings settings;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    // routine work is DEBUG; a summary at most once a minute at INFO
    private final PollerSummary summary;

    @FunctionalInterface
    private interface Children {
        void afterPage(Page page);
    }

    public InsightIqPoller(final InsightIqClient client, final ObjectPublisher objects, final CursorStore cursors,
                           final Readiness readiness, final IngestMetrics metrics, final Clock clock,
                           final Settings settings) {
        this.client = client;
        this.objects = objects;
        this.cursors = cursors;
        this.readiness = readiness;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
        this.summary = new PollerSummary(clock, SUMMARY_EVERY, () -> metrics.upstreamCalls("retry"));
        this.thread = new Thread(this::loop, "insightiq-poller");
        thread.setDaemon(true);
    }

    /** Starts polling on its own thread: one cycle now, then one every interval. */
    public void start() {
        thread.start();
    }

    private void loop() {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("poller", "insightiq")) {
            do {
                if (!cycle()) {
                    return;
                }
            } while (!stop.await(settings.interval().toMillis(), TimeUnit.MILLISECONDS));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("InsightIQ poller stopped");
    }

    /** Runs one cycle; false when the poller must stop (credential rejected or closing). */
    boolean cycle() {
        final long started = System.nanoTime();
        log.debug("InsightIQ poll cycle starting");
        try {
            walk(ALL, ObjectKind.WORK_PLATFORMS, Map.of(), page -> { });
            walk(ALL, ObjectKind.USERS, Map.of(), users -> users.items().forEach(this::pollUser));
            metrics.pollCycle("completed");
            log.debug("InsightIQ poll cycle completed in {} ms", (System.nanoTime() - started) / 1_000_000);
            summary.cycle(true);
            summarizeAtMostPerMinute();
            return true;
        } catch (final InsightIqException.CredentialRejected e) {
            readiness.credentialStopped(CREDENTIAL, e.getMessage());
            metrics.pollCycle("stopped");
            log.error("InsightIQ rejected the credential, poller stops: {}", e.getMessage());
            return false;
        } catch (final StoppedException e) {
            return false;
        } catch (final RuntimeException e) {
            if (stop.getCount() == 0) {
                return false;
            }
            metrics.pollCycle("failed");
            log.error("InsightIQ poll cycle failed, next cycle resumes at the cursors: {}", e.toString());
            summary.cycle(false);
            summarizeAtMostPerMinute();
            return true;
        }
    }

    private void pollUser(final JsonNode user) {
        final String userId = user.path("id").asText(null);
        if (userId == null) {
            return;
        }
        isolated("user " + userId, () -> walk(userId, ObjectKind.ACCOUNTS, Map.of("user_id", userId),
            accounts -> accounts.items().forEach(this::pollAccount)));
    }

    private void pollAccount(final JsonNode account) {
        final String accountId = account.path("id").asText(null);
        if (accountId == null || !"CONNECTED".equals(account.path("status").asText())) {
            return;
        }
        isolated("account " + accountId, () -> {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("account_id", accountId)) {
                final Map<String, String> byAccount = Map.of("account_id", accountId);
                walk(accountId, ObjectKind.PROFILES, byAccount, page -> { });
                acked(objects.publish(ObjectKind.AUDIENCE, fetch(() -> client.get(ObjectKind.AUDIENCE.path(),
                    byAccount), ObjectKind.AUDIENCE.path()), ORIGIN));
                walk(accountId, ObjectKind.CONTENTS, byAccount,
                    contents -> contents.items().forEach(content -> pollComments(accountId, content)));
                walk(accountId, ObjectKind.CONTENT_GROUPS, byAccount, page -> { });
            }
        });
    }

    /** Comments need content_id; they are walked whole inside their content's page, so they share its cursor. */
    private void pollComments(final String accountId, final JsonNode content) {
        final String contentId = content.path("id").asText(null);
        final JsonNode count = content.path("engagement").path("comment_count");
        if (contentId == null || count.isNumber() && count.asLong() == 0) {
            return;
        }
        long offset = 0;
        while (true) {
            checkRunning();
            final Map<String, String> query = Map.of("account_id", accountId, "content_id", contentId,
                "limit", Integer.toString(settings.pageSize()), "offset", Long.toString(offset));
            final Page page = fetch(() -> client.list(ObjectKind.COMMENTS.path(), query), ObjectKind.COMMENTS.path());
            acked(objects.publish(ObjectKind.COMMENTS, page, ORIGIN));
            if (page.items().size() < settings.pageSize()) {
                return;
            }
            offset += page.items().size();
        }
    }

    private void walk(final String scope, final ObjectKind kind, final Map<String, String> base,
                      final Children children) {
        final Optional<InsightIqPollCursor> saved = cursors.get(scope, kind);
        final LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long offset = 0;
        LocalDate from = null;
        LocalDate to = null;
        if (saved.isPresent() && saved.get().getInProgress()) {
            offset = saved.get().getNextOffset();
            from = saved.get().getWindowFrom();
            to = saved.get().getWindowTo();
        } else if (kind.windowed()) {
            to = today;
            from = saved.map(InsightIqPollCursor::getCompletedTo).map(d -> d.minusDays(settings.overlapDays()))
                .orElse(today.minusDays(settings.lookbackDays()));
        }
        final LocalDate completedBefore = saved.map(InsightIqPollCursor::getCompletedTo).orElse(null);
        final long walksBefore = saved.map(InsightIqPollCursor::getCompletedWalks).orElse(0L);
        log.debug("Walking {} of {} from offset {} window {}..{}", kind.label(), scope, offset, from, to);
        while (true) {
            checkRunning();
            final Map<String, String> query = new HashMap<>(base);
            query.put("limit", Integer.toString(settings.pageSize()));
            query.put("offset", Long.toString(offset));
            if (from != null) {
                query.put("from_date", from.toString());
                query.put("to_date", to.toString());
            }
            final Page page = fetch(() -> client.list(kind.path(), query), kind.path());
            final ObjectPublisher.Outcome outcome = acked(objects.publish(kind, page, ORIGIN));
            children.afterPage(page);
            final boolean last = page.items().size() < settings.pageSize();
            cursors.save(InsightIqPollCursor.newBuilder()
                .setScope(scope)
                .setKind(kind.label())
                .setInProgress(!last)
                .setNextOffset(last ? 0 : offset + page.items().size())
                .setWindowFrom(from)
                .setWindowTo(to)
                .setCompletedTo(last && to != null ? to : completedBefore)
                .setCompletedWalks(last ? walksBefore + 1 : walksBefore)
                .setLastRequestId(page.requestId())
                .setUpdatedAt(clock.instant())
                .build());
            log.debug("{} of {} offset {} yields {}/{} records (request-id {})", kind.label(), scope, offset,
                outcome.published(), page.items().size(), page.requestId());
            summary.page(outcome.published());
            summarizeAtMostPerMinute();
            if (last) {
                return;
            }
            offset += page.items().size();
        }
    }

    private void summarizeAtMostPerMinute() {
        summary.due().ifPresent(log::info);
    }

    private Page fetch(final java.util.function.Supplier<Page> call, final String path) {
        try {
            return call.get();
        } catch (final InsightIqException.Malformed e) {
            acked(objects.deadLetterBody(ORIGIN, e, path));
            throw e;
        }
    }

    private void isolated(final String what, final Runnable walk) {
        try {
            walk.run();
        } catch (final InsightIqException.CredentialRejected | StoppedException e) {
            throw e;
        } catch (final InsightIqException e) {
            if (stop.getCount() == 0 || Thread.currentThread().isInterrupted()) {
                // the poller is closing: the request failed because its retry wait was interrupted, not upstream
                throw new StoppedException();
            }
            // One account's upstream trouble must not starve the others; its cursor resumes next cycle.
            log.error("Giving up {} for this cycle: {}", what, e.getMessage());
        }
    }

    private <T> T acked(final CompletableFuture<T> future) {
        try {
            return future.get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the page: " + e, e);
        }
    }

    private void checkRunning() {
        if (stop.getCount() == 0 || Thread.currentThread().isInterrupted()) {
            throw new StoppedException();
        }
    }

    /** Thrown inside a walk when the poller is closing. */
    private static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedException() {
            super("poller stopping", null, false, false);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.interrupt();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
