package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answers the OpenAPI document describes by a record have exactly the fields the monitor writes. */
class DocumentedShapesTest {
    private static List<String> documented(Class<? extends Record> shape) {
        // a record component's @JsonProperty lands on its accessor
        return Arrays.stream(shape.getRecordComponents()).map(c -> c.getAccessor().isAnnotationPresent(JsonProperty.class)
                ? c.getAccessor().getAnnotation(JsonProperty.class).value() : c.getName()).toList();
    }

    @Test
    void anExecutionSummaryIsWhatStateJsonWrites() {
        JsonNode summary = StateJson.summary(Fixtures.state("e1", "/p", "in_progress", 7, "{}"));
        assertThat(summary.fieldNames()).toIterable().containsExactlyElementsOf(documented(ExecutionSummary.class));
    }

    @Test
    void anArtifactIsWhatArtifactsListWrites() {
        JsonNode artifact = Artifacts.list(Fixtures.state("e1", "/p", "completed", 9, "{}")).get(0);
        // transform is there only for a converted artifact
        assertThat(artifact.fieldNames()).toIterable().containsExactlyElementsOf(documented(ArtifactJson.class).stream()
                .filter(f -> !f.equals("transform")).toList());
    }

    @Test
    void theJsonReportHasTheDocumentedSections() {
        JsonNode report = Report.json(Fixtures.state("e1", "/p", "completed", 9, "{}"));
        assertThat(report.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(documented(ReportJson.class));
    }

    @Test
    void anOutputPageAndItsChunksAreWhatPhaseOutputWrites() {
        var chunk = io.oe.events.AgentOutput.newBuilder().setExecutionId("e1").setPhaseId(1).setAttempt(1)
                .setStream(io.oe.events.OutputStream.STDERR).setSeq(0).setText("x").setAt(java.time.Instant.now()).build();
        JsonNode page = PhaseOutput.page("e1", 1, new PhaseOutput.Attempt(1, false), List.of(chunk), 0);
        assertThat(page.fieldNames()).toIterable().containsExactlyElementsOf(documented(OutputPageJson.class));
        assertThat(page.path("chunks").get(0).fieldNames()).toIterable()
                .containsExactlyElementsOf(documented(OutputChunkJson.class));
    }
}
