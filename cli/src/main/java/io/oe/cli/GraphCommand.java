package io.oe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanDot;
import io.oe.core.plan.PlanGraph;
import io.oe.core.plan.PlanJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The plan as Graphviz DOT (the seed's .github/phase-flow.gv), offline: no stack needed. */
@Command(name = "graph", description = "Write the plan's phase flow as Graphviz DOT (e.g. .github/phase-flow.gv); render "
        + "with `dot -Tsvg`. A plan with a dependency cycle is drawn on standard output only, and the cycle named on "
        + "standard error (exit 2).")
public class GraphCommand implements Callable<Integer> {
    @Option(names = "--orchestration-plan", required = true, paramLabel = "FILE", description = "orchestration-plan.json")
    Path plan;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (atomically) instead of standard output.")
    Path out;

    @Override
    public Integer call() {
        Plan p;
        try {
            p = PlanJson.plan(PlanJson.parse(Files.readString(plan)));
        } catch (IOException e) {
            throw new CliException("cannot read " + plan + ": " + e.getMessage(), CliException.REJECTED);
        } catch (IllegalArgumentException e) {
            Throwable why = e.getCause() instanceof JsonProcessingException j ? j : e;
            throw new CliException(plan + " is not a plan: " + why.getMessage(), CliException.REJECTED);
        }
        String dot = PlanDot.render(p);
        Optional<String> cycle = PlanGraph.cycleOf(p);
        if (out == null) {
            System.out.print(dot); // a drawing of the cycle helps to find it; nothing is written anywhere
        } else if (cycle.isEmpty()) {
            OutputFile.write(out, dot);
            System.out.println("phase flow of " + p.phases().size() + " phases written to " + out);
        }
        if (cycle.isPresent()) {
            throw new CliException(plan + ": dependency cycle: " + cycle.get() + "; the engine refuses this plan"
                    + (out == null ? "" : ", so " + out + " was not written"), CliException.REJECTED);
        }
        return 0;
    }
}
