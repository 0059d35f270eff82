package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every size the intake refuses is named with its limit, in the words of TooLarge, and publishes nothing. */
class PlanIntakeSizeTest {
    @TempDir
    Path root;

    /** Nothing is published on these paths: no publisher is needed. */
    private PlanIntake intake(int maxEventBytes) {
        return new PlanIntake(null, new ExecutionDirectory(), root.toString(), maxEventBytes, "..", "deploy/runners/default.json",
                io.oe.service.traces.Tracing.of(io.opentelemetry.api.OpenTelemetry.noop(), false));
    }

    private static PlanIntake.Outcome.Rejected rejected(PlanIntake.Outcome outcome) {
        assertThat(outcome).isInstanceOf(PlanIntake.Outcome.Rejected.class);
        return (PlanIntake.Outcome.Rejected) outcome;
    }

    @Test
    void aRegisteredPlanOverTheEventLimitIsRefusedNamingItsSizeAndTheSetting() throws Exception {
        ObjectNode bundle = (ObjectNode) PlanJson.parse(Submission.EXAMPLE);
        bundle.put("project_dir", Files.createDirectories(root.resolve("myapp")).toString());
        var r = rejected(intake(1024).submit(bundle.toString(), null, null));
        assertThat(r.tooLarge()).isTrue();
        assertThat(r.error()).matches("the registered plan \\(its plan-loaded event\\) is [0-9.]+ KB \\([0-9,]+ bytes\\);"
                + " the limit is 1 KB \\(1,024 bytes\\)");
        assertThat(r.violations()).singleElement().satisfies(v -> assertThat(v.message()).contains("oe.intake.max-event-bytes"));
    }

    @Test
    void aNumberOverTheParsersLimitIsTooLargeNotMalformed() {
        var r = rejected(intake(8 << 20).submit("{\"plan\": {\"phases\": [{\"id\": " + "9".repeat(1_500) + "}]}}", null, null));
        assertThat(r.tooLarge()).isTrue();
        assertThat(r.error()).isEqualTo("a number in the plan bundle is 1,500 digits; the limit is 1,000 digits");
    }

    @Test
    void nestingOverTheParsersLimitIsTooLargeNotMalformed() {
        var r = rejected(intake(8 << 20).submit("[".repeat(5_000) + "]".repeat(5_000), null, null));
        assertThat(r.tooLarge()).isTrue();
        assertThat(r.error()).isEqualTo("the nesting depth of the plan bundle is at least 1,001 levels; the limit is 1,000 levels");
    }

    @Test
    void malformedJsonIsStillMalformed() {
        var r = rejected(intake(8 << 20).submit("{\"plan\": ", null, null));
        assertThat(r.tooLarge()).isFalse();
        assertThat(r.error()).isEqualTo("malformed plan bundle");
    }
}
