package io.oe.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.artifact.Paths2;
import io.oe.core.sample.SampleOutputs;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import java.io.IOException;
import java.util.Map;

/**
 * A dry run's attempt: instead of starting the agent, the gateway writes the phase's outputs into the workspace's
 * {@code outputs/} with engine-core's {@link SampleOutputs} (what the demo agent writes), in-process. The attempt's
 * result then goes through the handoff-service like any other, so every output is checked against its contract.
 */
final class DryRunOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DryRunOutputs() {
    }

    /** Writes every output; returns null, or why one could not be written (the attempt fails with it). */
    static String write(PhaseReady r, Workspace ws) {
        var writer = new SampleOutputs.Writer(r.getPhaseName(), r.getAgent(), r.getProjectName(), r.getAttempt(),
                r.getTasks().stream().map(t -> Map.entry(t.getId(), t.getTitle())).toList());
        for (OutputSpec o : r.getOutputs()) {
            try {
                JsonNode contract = o.getContractJson() == null ? null : JSON.readTree(o.getContractJson());
                SampleOutputs.write(ws.outputs().resolve(Paths2.checkName(o.getArtifact())), o.getArtifact(), contract, writer);
            } catch (IOException | RuntimeException e) {
                return "dry run: sample output " + o.getArtifact() + " not written: " + e.getMessage();
            }
        }
        return null;
    }
}
