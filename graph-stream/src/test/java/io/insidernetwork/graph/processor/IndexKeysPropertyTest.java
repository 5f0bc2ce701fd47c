package io.insidernetwork.graph.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.insidernetwork.graph.logic.SafeText;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Index keys: any accepted parts round-trip; any text with a control character is refused as a part. */
class IndexKeysPropertyTest {

    @Property(tries = 2_000)
    void shouldRoundTripPartsWhenEveryPartIsAccepted(@ForAll("kinds") final String kind,
                                                     @ForAll @Size(max = 6) final List<@From("accepted") String> parts) {
        final String key = IndexKeys.join(kind, parts.toArray(String[]::new));
        final List<String> expected = new ArrayList<>();
        expected.add(kind);
        expected.addAll(parts);
        assertThat(IndexKeys.split(key)).isEqualTo(expected);
    }

    @Property(tries = 2_000)
    void shouldRoundTripPurchaseKeyWhenPartsAreAccepted(@ForAll("accepted") final String buyer,
                                                        @ForAll("accepted") final String instance,
                                                        @ForAll("times") final long time,
                                                        @ForAll("accepted") final String eventId) {
        final List<String> parts = IndexKeys.split(IndexKeys.purchase(buyer, instance, time, eventId));
        assertThat(parts).containsExactly("pu", buyer, instance, IndexKeys.pad(time), eventId);
        assertThat(IndexKeys.time(parts.get(3))).isEqualTo(time);
    }

    @Property(tries = 2_000)
    void shouldRefuseEveryTextWithAControlCharacter(@ForAll("accepted") final String before,
                                                    @ForAll("controls") final char control,
                                                    @ForAll("accepted") final String after) {
        final String text = before + control + after;
        assertThat(SafeText.isSafe(text)).isFalse();
        assertThatThrownBy(() -> IndexKeys.part(text)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexKeys.touch("r", text, 1, "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexKeys.purchase("b", "i", 1, text))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void shouldRefuseLoneSurrogates(@ForAll("accepted") final String before,
                                    @ForAll("surrogates") final char surrogate) {
        Assume.that(before.isEmpty() || !Character.isHighSurrogate(before.charAt(before.length() - 1)));
        assertThatThrownBy(() -> IndexKeys.part(before + surrogate)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<String> accepted() {
        // any text without Cc characters or lone surrogates, supplementary characters included
        return Arbitraries.strings().all().ofMaxLength(40).filter(SafeText::isSafe);
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.strings().withCharRange('a', 'z').ofLength(2);
    }

    @Provide
    Arbitrary<Long> times() {
        return Arbitraries.longs().between(0, 9_999_999_999_999_999L);
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'),
            Arbitraries.chars().range('\u007f', '\u009f'));
    }

    @Provide
    Arbitrary<Character> surrogates() {
        return Arbitraries.chars().range('\ud800', '\udfff');
    }
}
