package io.insidernetwork.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The text rule against its definition: Unicode category Cc and unpaired surrogates are refused, nothing else. */
class TextRulesPropertyTest {

    /** The definition, written independently of {@link TextRules}: code point by code point. */
    private static boolean forbidden(final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c <= 0x1f || c >= 0x7f && c <= 0x9f) {
                return true;
            }
            if (Character.isSurrogate(c)) {
                final boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    @Property(tries = 2_000)
    void shouldAgreeWithTheDefinitionWhenGivenAnyString(@ForAll final String value) {
        assertThat(TextRules.isClean(value)).isEqualTo(!forbidden(value));
    }

    @Property(tries = 2_000)
    void shouldFindLoneSurrogatesOnlyWhenCheckingFreeText(@ForAll final String value) {
        final boolean lone = value.codePoints().anyMatch(cp -> cp >= 0xd800 && cp <= 0xdfff);
        assertThat(TextRules.surrogateProblem(value) != null).isEqualTo(lone);
    }

    @Property(tries = 1_000)
    void shouldRejectNamingFieldWhenStringHoldsAControlCharacter(@ForAll("clean") final String prefix,
                                                                   @ForAll("control") final char control,
                                                                   @ForAll("clean") final String suffix) {
        assertThatThrownBy(() -> TextRules.check("events[3].instance_id", prefix + control + suffix))
            .isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("events[3].instance_id"));
    }

    @Property(tries = 1_000)
    void shouldRejectWhenStringHoldsALoneSurrogate(@ForAll("clean") final String prefix,
                                                   @ForAll("loneSurrogate") final String lone,
                                                   @ForAll("clean") final String suffix) {
        assertThat(TextRules.isClean(prefix + lone + suffix)).isFalse();
    }

    @Property(tries = 2_000)
    void shouldAcceptWhenStringHoldsNoControlCharacterNorLoneSurrogate(@ForAll("clean") final String value)
        throws InvalidFieldException {
        assertThat(TextRules.check("f", value)).isEqualTo(value);
    }

    /** Strings of any code points except Cc and surrogates (supplementary characters come as valid pairs). */
    @Provide
    Arbitrary<String> clean() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
            .filter(cp -> Character.getType(cp) != Character.CONTROL && Character.getType(cp) != Character.SURROGATE)
            .list().ofMaxSize(20)
            .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString());
    }

    @Provide
    Arbitrary<Character> control() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'),
            Arbitraries.chars().range('\u007f', '\u009f'));
    }

    /** A high surrogate not followed by a low one, or a low surrogate alone. */
    @Provide
    Arbitrary<String> loneSurrogate() {
        final Arbitrary<Character> high = Arbitraries.chars().range('\ud800', '\udbff');
        final Arbitrary<Character> low = Arbitraries.chars().range('\udc00', '\udfff');
        return Arbitraries.oneOf(
            low.map(String::valueOf),
            Combinators.combine(high, Arbitraries.chars().range('a', 'z')).as((h, next) -> "" + h + next));
    }
}
