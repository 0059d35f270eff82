package io.oe.gateway;

import io.oe.core.agent.AgentDefinition;
import io.oe.events.ArtifactRef;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import io.oe.events.TaskSpec;
import java.util.List;

/**
 * The prompt an agent is given (prompt.md): its instructions, the phase, its tasks, the project specification, inputs,
 * outputs, and after a rerun a person's feedback and the previous outputs, and why the last attempt failed.
 */
final class Prompt {
    private Prompt() {
    }

    /** @param specification the files of the project specification in the workspace, by their path in the project */
    static String render(PhaseReady r, Workspace ws, List<String> specification) {
        StringBuilder p = new StringBuilder();
        p.append("# Phase ").append(r.getPhaseId()).append(": ").append(oneLine(r.getPhaseName())).append("\n\n");
        p.append("Project: ").append(oneLine(r.getProjectName())).append(" · agent ").append(r.getAgent())
                .append(" · attempt ").append(r.getAttempt()).append("\n\n");
        p.append("## Instructions\n\n").append(instructions(r.getAgentDefinition())).append("\n\n");
        p.append("## Tasks\n\n");
        for (TaskSpec t : r.getTasks()) {
            p.append("- ").append(t.getId()).append(": ").append(oneLine(t.getTitle())).append('\n');
        }
        p.append("\nReport progress on stdout: `::task-started ID::`, `::progress task=ID percent=NN::`, `::task-completed ID::`.\n\n");
        if (!specification.isEmpty()) {
            p.append("## Project specification (in `").append(Specification.DIR).append("/`)\n\n");
            specification.forEach(file -> p.append("- `").append(Specification.DIR).append('/').append(file).append("`\n"));
            p.append('\n');
        }
        p.append("## Inputs (in `inputs/`)\n\n");
        for (ArtifactRef in : r.getInputs()) {
            p.append("- `inputs/").append(in.getName()).append("` from phase ").append(in.getPhaseId());
            if (in.getTransform() != null) {
                p.append(" (its ").append(in.getTransform().getSource()).append(", converted from ")
                        .append(in.getTransform().getFromFormat()).append(" to ").append(in.getTransform().getToFormat())
                        .append(')');
            }
            p.append(" (sha256 ").append(in.getSha256()).append(')');
            if (r.getInputContracts().containsKey(in.getName())) {
                p.append(", which satisfies the contract in `contracts/").append(ws.contractFor(in.getName()).getFileName())
                        .append('`');
            }
            p.append('\n');
        }
        p.append("\n## Outputs you must write (in `outputs/`)\n\n");
        for (OutputSpec o : r.getOutputs()) {
            p.append("- `outputs/").append(o.getArtifact()).append('`');
            if (o.getContractJson() != null) {
                p.append(", satisfying the JSON Schema in `contracts/").append(ws.contractFor(o.getArtifact()).getFileName())
                        .append('`');
            }
            p.append('\n');
        }
        if (r.getFeedback() != null) {
            String text = r.getFeedback().getText();
            String fence = fenceFor(text);
            p.append("\n## Feedback on the previous attempt\n\n").append(oneLine(r.getFeedback().getActor())).append(" at ")
                    .append(r.getFeedback().getAt()).append(" asked for this attempt; follow it:\n\n")
                    .append(fence).append('\n').append(text).append('\n').append(fence).append('\n');
        }
        if (!r.getPreviousOutputs().isEmpty()) {
            p.append("\n## Your previous outputs (in `").append(Workspace.PREVIOUS).append("/`)\n\n")
                    .append("What the last completed attempt handed over; revise them rather than start afresh, and write"
                            + " the new versions to `outputs/`.\n\n");
            for (ArtifactRef out : r.getPreviousOutputs()) {
                p.append("- `").append(Workspace.PREVIOUS).append('/').append(out.getName()).append("` (sha256 ")
                        .append(out.getSha256()).append(")\n");
            }
        }
        if (r.getPreviousError() != null) {
            p.append("\n## The previous attempt failed\n\nFix this:\n\n```\n").append(r.getPreviousError()).append("\n```\n");
        }
        return p.toString();
    }

    /** A code fence longer than any run of backticks in {@code text}, so a person's text cannot close it early. */
    static String fenceFor(String text) {
        int longest = 0;
        int run = 0;
        for (char c : text.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** The Markdown body of an .agent.md file (after its YAML front matter). */
    static String instructions(String definition) {
        if (definition == null) {
            return "(no agent definition)";
        }
        return AgentDefinition.tryParse(definition).map(AgentDefinition::instructions).orElse(definition.strip());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }
}
