package io.insidernetwork.graph.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CommandDelayTest {

    private static RecordHeaders sentAt(final long time) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(CommandDelay.SENT_HEADER, CommandDelay.sentAt(time));
        return headers;
    }

    @Test
    void shouldWaitTheConfiguredTimeWhenCommandsAreFast() {
        final CommandDelay delay = new CommandDelay();
        delay.observe(sentAt(1_000), 1_050);
        assertThat(delay.settleWait(300, 1_050)).isEqualTo(300);
    }

    @Test
    void shouldWaitTwiceTheRecentDelayWhileCommandsAreSlow() {
        final CommandDelay delay = new CommandDelay();
        delay.observe(sentAt(10_000), 14_000);
        delay.observe(sentAt(13_000), 14_000);
        assertThat(delay.settleWait(300, 14_000)).isEqualTo(8_000);
    }

    @Test
    void shouldHalveTheEstimateEveryHalfLifeWithoutSlowerCommands() {
        final CommandDelay delay = new CommandDelay();
        delay.observe(sentAt(0), 4_000);
        assertThat(delay.current(4_000 + CommandDelay.HALF_LIFE_MS)).isCloseTo(2_000, within(1.0));
        assertThat(delay.current(4_000 + 3 * CommandDelay.HALF_LIFE_MS)).isCloseTo(500, within(1.0));
    }

    @Test
    void shouldCapTheWaitAndIgnoreCommandsWithoutAValidHeader() {
        final CommandDelay delay = new CommandDelay();
        delay.observe(new RecordHeaders(), 1_000_000);
        final RecordHeaders bad = new RecordHeaders();
        bad.add(CommandDelay.SENT_HEADER, new byte[] {1, 2});
        delay.observe(bad, 1_000_000);
        assertThat(delay.settleWait(300, 1_000_000)).isEqualTo(300);
        delay.observe(sentAt(0), 1_000_000);
        assertThat(delay.settleWait(300, 1_000_000)).isEqualTo(CommandDelay.MAX_WAIT_MS);
    }
}
