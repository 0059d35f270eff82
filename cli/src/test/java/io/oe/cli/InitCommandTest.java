package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPlanOfTwentyOneMegabytesIsRefusedBeforeSendingWithTheSizeAndTheLimit() throws Exception {
        Path plan = dir.resolve("orchestration-plan.json");
        Files.writeString(plan, "{\"plan_id\": \"" + "p".repeat(22_548_563) + "\"}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try { // nothing listens on port 1: sending anything would fail differently
            code = OeCli.run("init", "--orchestration-plan", plan.toString(), "--plan-loader-url", "http://127.0.0.1:1");
        } finally {
            System.setErr(before);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(CliException.REJECTED);
        assertThat(said).startsWith("oe init: the orchestration plan " + plan + " is 21.5 MB (22,548,578 bytes); the limit"
                + " is 16 MB (16,777,216 bytes)").doesNotContain("IOException", "cannot reach");
    }
}
