package io.oe.cli;

import io.oe.core.auth.BearerToken;
import io.oe.core.auth.Role;
import io.oe.core.auth.TokensFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tokens of the tokens file (OE_TOKENS_FILE, docs/security.md). */
@Command(name = "token", description = "Manage the tokens file (OE_TOKENS_FILE): identities with roles.",
        subcommands = TokenCommand.Add.class)
public class TokenCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("say what to do: oe token add --name NAME --role ROLE --file F", CliException.REJECTED);
    }

    @Command(name = "add", description = "Add an identity to the tokens file (created if missing) with a new random"
            + " token, printed once: the file keeps only its SHA-256. The services read the file at start: restart them.")
    public static class Add implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "Who: a person or a system (letters, digits, _ . @ : + -)")
        String name;

        @Option(names = "--role", required = true, description = "reader, operator or admin")
        String role;

        @Option(names = "--file", required = true, description = "The tokens file (YAML, or JSON when it ends in .json)")
        Path file;

        @Override
        public Integer call() {
            Role r = Role.named(role).orElseThrow(() -> new CliException("--role: unknown role '" + role + "' (one of "
                    + Role.labels() + ")", CliException.REJECTED));
            String token = BearerToken.generate();
            String text;
            try {
                String existing = Files.exists(file) ? Files.readString(file) : null;
                text = TokensFile.withEntry(existing, file.toString(), name, r, token);
            } catch (IllegalArgumentException e) { // a taken name, a bad name, a malformed file: nothing written
                throw new CliException(e.getMessage(), CliException.REJECTED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(file.toAbsolutePath(), text);
            System.out.println(name + " (" + r.label() + ") added to " + file + ". The token, shown only now:");
            System.out.println(token);
            return 0;
        }

        /** Whole or not at all: a temporary file beside it, readable by its owner only, renamed into place. */
        private static void write(Path file, String text) {
            try {
                Files.createDirectories(file.getParent());
                Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, text);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
