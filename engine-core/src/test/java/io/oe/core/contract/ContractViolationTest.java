package io.oe.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContractViolationTest {
    @Test
    void aViolationSaysItsArtifactPointerMessageAndRule() {
        assertThat(new ContractViolation("design.json", "/services/1/port", "maximum", "must be at most 65535"))
                .hasToString("design.json /services/1/port: must be at most 65535 (maximum)");
    }

    @Test
    void anEmptyPointerIsTheWholeDocumentAndAnEmptyRuleIsLeftOut() {
        assertThat(ContractViolation.describe("users.csv", "", "", "cannot be converted"))
                .isEqualTo("users.csv /: cannot be converted");
        assertThat(ContractViolation.withRule("required", null)).isEqualTo("required");
    }
}
