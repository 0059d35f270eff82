package io.oe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokensFileTest {
    private static final String ALICE = TokensFile.digest("alice-secret");
    private static final String BOB = TokensFile.digest("bob-secret");

    private static String file(String entries) {
        return "tokens:\n" + entries;
    }

    @Test
    void aTokenIsKnownByItsDigestAndGivesItsEntrysIdentity() {
        TokensFile f = TokensFile.parse(file("""
                  - name: alice
                    role: operator
                    sha256: %s
                  - name: bob
                    role: reader
                    sha256: %s
                """.formatted(ALICE, BOB)), "tokens.yaml");
        assertThat(f.identify("alice-secret")).contains(new Identity("alice", Role.OPERATOR));
        assertThat(f.identify("bob-secret")).contains(new Identity("bob", Role.READER));
        assertThat(f.identify("alice-secret ")).isEmpty();
        assertThat(f.identify(ALICE)).as("the digest itself is not a token").isEmpty();
    }

    @Test
    void jsonIsReadToo() {
        TokensFile f = TokensFile.parse("{\"tokens\": [{\"name\": \"ci\", \"role\": \"admin\", \"sha256\": \"" + ALICE
                + "\"}]}", "tokens.json");
        assertThat(f.identify("alice-secret")).contains(new Identity("ci", Role.ADMIN));
    }

    @Test
    void anUnknownRoleIsRefusedNamingTheEntry() {
        assertThatThrownBy(() -> TokensFile.parse(file("""
                  - {name: alice, role: operator, sha256: %s}
                  - {name: bob, role: boss, sha256: %s}
                """.formatted(ALICE, BOB)), "t.yaml"))
                .hasMessage("tokens file t.yaml: entry 2 (bob): unknown role 'boss' (one of reader, operator, admin)");
    }

    @Test
    void aDuplicateNameIsRefusedNamingBothEntries() {
        assertThatThrownBy(() -> TokensFile.parse(file("""
                  - {name: alice, role: operator, sha256: %s}
                  - {name: alice, role: reader, sha256: %s}
                """.formatted(ALICE, BOB)), "t.yaml"))
                .hasMessage("tokens file t.yaml: entry 2 (alice): duplicate name: entry 1 is also alice");
    }

    @Test
    void aDuplicateHashIsRefused() {
        assertThatThrownBy(() -> TokensFile.parse(file("""
                  - {name: alice, role: operator, sha256: %s}
                  - {name: bob, role: reader, sha256: %s}
                """.formatted(ALICE, ALICE)), "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml: entry 2 (bob): duplicate sha256: entry 1 has the same token");
    }

    @Test
    void aHashThatIsNotSixtyFourLowercaseHexDigitsIsRefused() {
        assertThatThrownBy(() -> TokensFile.parse(file("  - {name: alice, role: operator, sha256: abc123}\n"), "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml: entry 1 (alice): sha256 must be 64 lowercase hex digits");
        assertThatThrownBy(() -> TokensFile.parse(file("  - {name: alice, role: operator, sha256: "
                + ALICE.toUpperCase() + "}\n"), "t.yaml")).hasMessageContaining("entry 1 (alice): sha256 must be");
    }

    @Test
    void aTokenWrittenInTheFileInsteadOfItsDigestIsRefused() {
        assertThatThrownBy(() -> TokensFile.parse(file("  - {name: alice, role: operator, token: hunter2}\n"), "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml: entry 1 (alice): unknown field 'token'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aNameWithSpacesOrNoNameIsRefused() {
        assertThatThrownBy(() -> TokensFile.parse(file("  - {name: 'alice smith', role: reader, sha256: " + ALICE + "}\n"),
                "t.yaml")).hasMessageStartingWith("tokens file t.yaml: entry 1 (alice smith): name must be");
        assertThatThrownBy(() -> TokensFile.parse(file("  - {role: reader, sha256: " + ALICE + "}\n"), "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml: entry 1: name must be");
    }

    @Test
    void aFileThatIsNotAListOfTokensOrIsEmptyIsRefused() {
        assertThatThrownBy(() -> TokensFile.parse("- alice\n", "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml must be an object with a list 'tokens'");
        assertThatThrownBy(() -> TokensFile.parse("tokens: [\n", "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml is not YAML or JSON");
        assertThatThrownBy(() -> TokensFile.parse("tokens: []\n", "t.yaml"))
                .hasMessageStartingWith("tokens file t.yaml has no entries");
    }

    @Test
    void anEntryAddedToAFileKeepsTheOthersAndRefusesATakenName() {
        String one = TokensFile.withEntry(null, "t.yaml", "alice", Role.OPERATOR, "alice-secret");
        String two = TokensFile.withEntry(one, "t.yaml", "bob", Role.READER, "bob-secret");
        TokensFile f = TokensFile.parse(two, "t.yaml");
        assertThat(f.identify("alice-secret")).contains(new Identity("alice", Role.OPERATOR));
        assertThat(f.identify("bob-secret")).contains(new Identity("bob", Role.READER));
        assertThat(two).doesNotContain("alice-secret", "bob-secret");
        assertThatThrownBy(() -> TokensFile.withEntry(two, "t.yaml", "bob", Role.ADMIN, "other"))
                .hasMessageContaining("entry 3 (bob): duplicate name: entry 2 is also bob");
        String json = TokensFile.withEntry(null, "t.json", "ci", Role.ADMIN, "ci-secret");
        assertThat(json).startsWith("{");
        assertThat(TokensFile.parse(json, "t.json").identify("ci-secret")).contains(new Identity("ci", Role.ADMIN));
    }
}
