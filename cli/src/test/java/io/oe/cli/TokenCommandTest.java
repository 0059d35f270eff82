package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.auth.Identity;
import io.oe.core.auth.Role;
import io.oe.core.auth.TokensFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oe token add: a new identity in the tokens file, its token printed once and never written. */
class TokenCommandTest {
    @TempDir
    Path dir;

    private static String token(Console.Run run) {
        return run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void addingIdentitiesWritesTheirDigestsAndPrintsEachTokenOnce() throws Exception {
        Path file = dir.resolve("conf/tokens.yaml");
        Console.Run alice = Console.oe("token", "add", "--name", "alice", "--role", "operator", "--file", file.toString());
        Console.Run bob = Console.oe("token", "add", "--name", "bob", "--role", "Reader", "--file", file.toString());
        assertThat(alice.code()).as(alice.err()).isZero();
        assertThat(bob.code()).as(bob.err()).isZero();
        assertThat(alice.out()).contains("alice (operator) added to " + file);
        String text = Files.readString(file);
        assertThat(text).doesNotContain(token(alice), token(bob)).contains(TokensFile.digest(token(alice)));
        TokensFile tokens = TokensFile.read(file);
        assertThat(tokens.identify(token(alice))).contains(new Identity("alice", Role.OPERATOR));
        assertThat(tokens.identify(token(bob))).contains(new Identity("bob", Role.READER));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aTakenNameOrAnUnknownRoleIsRefusedAndTheFileIsUnchanged() throws Exception {
        Path file = dir.resolve("tokens.json");
        assertThat(Console.oe("token", "add", "--name", "ci", "--role", "admin", "--file", file.toString()).code()).isZero();
        String before = Files.readString(file);
        Console.Run taken = Console.oe("token", "add", "--name", "ci", "--role", "reader", "--file", file.toString());
        assertThat(taken.code()).isEqualTo(CliException.REJECTED);
        assertThat(taken.err()).contains("entry 2 (ci): duplicate name: entry 1 is also ci");
        Console.Run role = Console.oe("token", "add", "--name", "dan", "--role", "root", "--file", file.toString());
        assertThat(role.code()).isEqualTo(CliException.REJECTED);
        assertThat(role.err()).contains("--role: unknown role 'root' (one of reader, operator, admin)");
        assertThat(Files.readString(file)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }
}
