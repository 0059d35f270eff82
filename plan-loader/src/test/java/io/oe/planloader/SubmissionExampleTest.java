package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import io.oe.events.PlanLoaded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples the OpenAPI document shows are requests the plan-loader accepts. */
class SubmissionExampleTest {
    @TempDir
    Path root;

    @Test
    void theDocumentedPlanBundleIsAcceptedAsItIs() throws Exception {
        ObjectNode bundle = (ObjectNode) PlanJson.parse(Submission.EXAMPLE);
        Path project = Files.createDirectories(root.resolve("myapp"));
        bundle.put("project_dir", project.toString()); // the example's /srv/projects/myapp, here
        Submission submission = PlanJson.MAPPER.treeToValue(bundle, Submission.class);
        PlanLoaded event = new BundleIntake(new PlanValidator(EngineSchemas.load()), root, Clock.systemUTC()).accept(submission);
        assertThat(event.getPlanId()).isEqualTo("myapp");
        assertThat(event.getSubmissionId()).isEqualTo("myapp-release-42");
        assertThat(event.getAutostart()).isTrue();
        assertThat(event.getAgents()).containsOnlyKeys("architect", "developer");
    }

    @Test
    void theDocumentedCommandIsARetryOfAPhase() {
        var command = PlanJson.parse(CommandRequest.EXAMPLE);
        assertThat(command.path("command").asText()).isEqualTo("RETRY");
        assertThat(command.path("phase_id").canConvertToInt()).isTrue();
    }
}
