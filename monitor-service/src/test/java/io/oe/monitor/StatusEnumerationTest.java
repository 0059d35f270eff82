package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.scheduler.ExecutionStatus;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document lists an execution's statuses in an annotation, which must be a constant: this keeps that copy
 * the statuses {@link ExecutionStatus} has.
 */
class StatusEnumerationTest {

    @Test
    void theSummarysDocumentedStatusesAreExactlyTheExecutionStatuses() throws Exception {
        Schema schema = ExecutionSummary.class.getDeclaredField("status").getAnnotation(Schema.class);
        assertThat(schema.enumeration()).containsExactlyElementsOf(
                Arrays.stream(ExecutionStatus.values()).map(ExecutionStatus::json).toList());
    }
}
