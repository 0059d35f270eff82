package io.oe.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redocly CLI, the OpenAPI linter: found in the user's cache, or installed there with npm when missing (as
 * DashboardIT installs Chromium). The version is pinned: later releases need Node 22, the build machines have 20.
 */
final class RedoclyCli {
    static final String VERSION = "2.77.0";

    private RedoclyCli() {
    }

    /** What a run printed and how it ended. */
    record Run(int exitCode, String output) {
    }

    /** The {@code redocly} command, installed first if needed; fails the test with the reason if it cannot be. */
    static Path ensure() {
        Path dir = cacheDir().resolve("redocly-cli-" + VERSION);
        Path bin = dir.resolve("node_modules/.bin/redocly");
        if (works(bin)) {
            return bin;
        }
        // installed beside the final place, then moved there whole: two builds installing at once never mix
        Path staging = cacheDir().resolve("redocly-cli-" + VERSION + ".installing-" + ProcessHandle.current().pid());
        System.out.println("[e2e] Redocly CLI " + VERSION + " missing: npm install into " + dir + " ...");
        Run install = run(List.of("npm", "install", "--prefix", staging.toString(), "--no-audit", "--no-fund",
                "--loglevel=error", "@redocly/cli@" + VERSION), 600);
        if (install.exitCode() != 0) {
            throw new AssertionError("cannot install Redocly CLI " + VERSION + " with npm (Node 20.19+ or 22.12+ and npm"
                    + " are needed, and the npm registry):\n" + install.output());
        }
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // another build was first: use its copy
            deleteQuietly(staging);
        }
        if (!works(bin)) {
            throw new AssertionError("Redocly CLI " + VERSION + " installed into " + dir + " but " + bin + " does not run");
        }
        return bin;
    }

    static Run run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // the process ends when its output does
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, new String(out) + "\n(did not end within " + timeoutSeconds + " s)");
            }
            return new Run(p.exitValue(), new String(out));
        } catch (IOException e) {
            return new Run(-1, command.get(0) + " cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }

    private static boolean works(Path bin) {
        return Files.isExecutable(bin) && run(List.of(bin.toString(), "--version"), 60).output().contains(VERSION);
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("oe");
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            // a leftover staging directory is harmless
        }
    }
}
