package io.oe.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tools the benchmark and the browser test need but the JDK does not bring (Snakemake, Chromium): present, or
 * installed from Debian's packages when this machine has apt-get and the rights to use it.
 */
public final class DebianPackages {
    private DebianPackages() {
    }

    /**
     * True when {@code probe} runs with exit code 0, after installing {@code packages} if it did not at first (apt-get
     * install, then once more after apt-get update, for a machine whose package lists are stale).
     */
    public static boolean ensure(List<String> probe, String... packages) {
        if (run(probe, 60) == 0) {
            return true;
        }
        for (boolean update : new boolean[] {false, true}) {
            if (update && run(List.of("apt-get", "update", "-q"), 600) != 0) {
                return false;
            }
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
            install.addAll(List.of(packages));
            System.out.println(String.join(" ", probe) + " failed: trying `" + String.join(" ", install) + "` ...");
            if (run(install, 900) == 0 && run(probe, 60) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Exit code, or -1 when the program is not there or did not end in time. */
    static int run(List<String> cmd, int seconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
