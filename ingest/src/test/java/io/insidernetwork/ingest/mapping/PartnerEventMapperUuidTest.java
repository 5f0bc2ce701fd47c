package io.insidernetwork.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartnerEventMapperUuidTest {

    /** The definition the hand-written check replaces. */
    private static final Pattern UUID =
        Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    @ParameterizedTest
    @ValueSource(strings = {"a1b2c3d4-e5f6-7890-1234-567890abcdef", "A1B2C3D4-E5F6-7890-1234-567890ABCDEF",
        "00000000-0000-0000-0000-000000000000"})
    void shouldAcceptUuidWhenEightFourFourFourTwelveHexDigits(final String value) {
        assertThat(PartnerEventMapper.isUuid(value)).isTrue().isEqualTo(UUID.matcher(value).matches());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-uuid", "a1b2c3d4-e5f6-7890-1234-567890abcde",
        "a1b2c3d4-e5f6-7890-1234-567890abcdef0", "a1b2c3d4-e5f6-7890-1234-567890abcdeg",
        "a1b2c3d4e-5f6-7890-1234-567890abcdef", "a1b2c3d4-e5f6-7890-1234-567890abcde\n",
        "a1b2c3d4 e5f6-7890-1234-567890abcdef", "\u0661\u0662b2c3d4-e5f6-7890-1234-567890abcdef",
        "a1b2c3d4-e5f6-7890-1234_567890abcdef", "{1b2c3d4-e5f6-7890-1234-567890abcde}"})
    void shouldRefuseWhenNotExactlyAUuid(final String value) {
        assertThat(PartnerEventMapper.isUuid(value)).isFalse().isEqualTo(UUID.matcher(value).matches());
    }
}
