package io.oe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessRuleTest {
    private static final Identity READER = new Identity("rita", Role.READER);
    private static final Identity OPERATOR = new Identity("otto", Role.OPERATOR);
    private static final Identity ADMIN = new Identity("ada", Role.ADMIN);

    @Test
    void eachRoleIncludesTheOnesBeforeIt() {
        assertThat(Role.ADMIN.allows(Role.OPERATOR)).isTrue();
        assertThat(Role.ADMIN.allows(Role.READER)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.READER)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.ADMIN)).isFalse();
        assertThat(Role.READER.allows(Role.OPERATOR)).isFalse();
        assertThat(Role.READER.allows(Role.READER)).isTrue();
    }

    @Test
    void aReaderReadsButNeitherSubmitsNorCommands() {
        assertThat(AccessRule.READ.allows(READER)).isTrue();
        assertThat(AccessRule.SUBMIT.allows(READER)).isFalse();
        assertThat(AccessRule.COMMAND.allows(READER)).isFalse();
    }

    @Test
    void anOperatorSubmitsAndCommandsButCannotChangeTheTrustedConfiguration() {
        assertThat(AccessRule.SUBMIT.allows(OPERATOR)).isTrue();
        assertThat(AccessRule.COMMAND.allows(OPERATOR)).isTrue();
        assertThat(AccessRule.CHANGE_TRUSTED_CONFIGURATION.allows(OPERATOR)).isFalse();
        assertThat(AccessRule.CHANGE_TRUSTED_CONFIGURATION.allows(ADMIN)).isTrue();
    }

    @Test
    void aRefusalNamesTheRoleNeededAndTheIdentitysOwn() {
        assertThat(AccessRule.COMMAND.refusal(READER))
                .isEqualTo("commanding an execution needs the operator role; rita is a reader");
        assertThat(AccessRule.CHANGE_TRUSTED_CONFIGURATION.refusal(OPERATOR))
                .isEqualTo("changing the trusted configuration needs the admin role; otto is an operator");
    }

    @Test
    void rolesAreNamedInLowerCaseAndReadInAnyCase() {
        assertThat(Role.named("Operator")).contains(Role.OPERATOR);
        assertThat(Role.named("root")).isEmpty();
        assertThat(Role.labels()).isEqualTo("reader, operator, admin");
    }
}
