package io.insidernetwork.ingest.export.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadAheadTest {

    private static List<Integer> drain(final ReadAhead<Integer> ahead) throws Exception {
        final List<Integer> items = new ArrayList<>();
        for (Integer item = ahead.next(); item != null; item = ahead.next()) {
            items.add(item);
        }
        return items;
    }

    @Test
    void shouldHandOverEveryItemInOrderWhenSourceEnds() throws Exception {
        final AtomicInteger n = new AtomicInteger();
        try (ReadAhead<Integer> ahead = new ReadAhead<>("test-read-ahead",
            () -> n.get() < 1000 ? n.incrementAndGet() : null, 7, 2)) {
            assertThat(drain(ahead)).hasSize(1000).isSorted().startsWith(1).endsWith(1000);
            assertThat(ahead.next()).isNull();
        }
    }

    @Test
    void shouldThrowSourceFailureAfterItsEarlierItemsWhenSourceFails() throws Exception {
        final AtomicInteger n = new AtomicInteger();
        try (ReadAhead<Integer> ahead = new ReadAhead<>("test-read-ahead", () -> {
            if (n.get() == 10) {
                throw new IOException("connection reset");
            }
            return n.incrementAndGet();
        }, 4, 2)) {
            for (int i = 1; i <= 10; i++) {
                assertThat(ahead.next()).isEqualTo(i);
            }
            assertThatThrownBy(ahead::next).isInstanceOf(IOException.class).hasMessage("connection reset");
        }
    }

    @Test
    void shouldStopSourceThreadWhenClosedWhileItWaitsForRoom() throws Exception {
        final AtomicInteger n = new AtomicInteger();
        final ReadAhead<Integer> ahead = new ReadAhead<>("test-read-ahead-stop", n::incrementAndGet, 1, 2);
        assertThat(ahead.next()).isEqualTo(1);
        // An endless source: two batches queued, one more in hand, then it waits for room.
        await().atMost(Duration.ofSeconds(5)).until(() -> n.get() >= 4);
        ahead.close();
        assertThat(n.get()).isLessThanOrEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("test-read-ahead-stop")));
    }
}
