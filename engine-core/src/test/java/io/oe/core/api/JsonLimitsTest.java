package io.oe.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLimitsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String refusalOf(String json) {
        return JsonLimits.sentence("the plan bundle",
                catchThrowableOfType(StreamConstraintsException.class, () -> MAPPER.readTree(json)));
    }

    @Test
    void aTwentyMegabyteStringIsTooLargeNotInvalidJson() {
        assertThat(refusalOf("{\"title\": \"" + "x".repeat(20_000_100) + "\"}"))
                .isEqualTo("a string in the plan bundle is 20,000,100 characters; the limit is 20,000,000 characters");
    }

    @Test
    void aNumberOfTwoThousandDigitsIsTooLarge() {
        assertThat(refusalOf("{\"id\": " + "1".repeat(2_000) + "}"))
                .isEqualTo("a number in the plan bundle is 2,000 digits; the limit is 1,000 digits");
    }

    @Test
    void deepNestingIsSaidAsALowerBoundOfTheDepth() {
        assertThat(refusalOf("[".repeat(100_000) + "]".repeat(100_000)))
                .isEqualTo("the nesting depth of the plan bundle is at least 1,001 levels; the limit is 1,000 levels");
    }

    @Test
    void aMessageJacksonMayWordDifferentlyIsPassedOn() {
        assertThat(JsonLimits.sentence("the plan bundle", new StreamConstraintsException("Token count (9) exceeds 8")))
                .isEqualTo("the plan bundle is beyond the JSON parser's limits: Token count (9) exceeds 8");
    }
}
