package io.oe.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TooLargeTest {
    @Test
    void aSizeAndItsLimitAreSaidInMegabytesWithTheExactBytes() {
        assertThat(TooLarge.sentence("the plan bundle", 22_548_578, 16L * 1024 * 1024))
                .isEqualTo("the plan bundle is 21.5 MB (22,548,578 bytes); the limit is 16 MB (16,777,216 bytes)");
    }

    @Test
    void smallSizesAreSaidInKilobytesOrBytes() {
        assertThat(TooLarge.amount(1_536, TooLarge.Unit.BYTES)).isEqualTo("1.5 KB (1,536 bytes)");
        assertThat(TooLarge.amount(512, TooLarge.Unit.BYTES)).isEqualTo("512 bytes");
        assertThat(TooLarge.amount(1, TooLarge.Unit.BYTES)).isEqualTo("1 byte");
    }

    @Test
    void otherUnitsAreCountedAsThemselves() {
        assertThat(TooLarge.sentence("a string in the plan bundle", 20_000_100, 20_000_000, TooLarge.Unit.CHARACTERS))
                .isEqualTo("a string in the plan bundle is 20,000,100 characters; the limit is 20,000,000 characters");
        assertThat(TooLarge.atLeast("the nesting depth of the plan bundle", 1_001, 1_000, TooLarge.Unit.LEVELS))
                .isEqualTo("the nesting depth of the plan bundle is at least 1,001 levels; the limit is 1,000 levels");
    }
}
