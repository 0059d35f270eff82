package io.oe.gateway;

import io.oe.core.agent.RunnerConfig;
import io.oe.events.ModelUsage;
import io.oe.schemas.Usages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one attempt's agent reported it used, summed by model as the reports come (a flood of reports costs no
 * memory), each priced on arrival: the agent's own cost when it gives one, else its tokens at the runner
 * configuration's price for its model. Refused reports and unpriced models are kept as problems for the event.
 */
final class AttemptUsage {
    /** Problems kept word for word; beyond this many they are only counted. */
    static final int MAX_PROBLEMS = 20;

    private final String runModel;
    private final RunnerConfig prices;
    private final Map<String, ModelUsage> byModel = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> unpricedModels = new TreeSet<>();
    private int moreProblems;

    /** @param runModel the model the profile ran ({@code {model}}), for reports that name none; "" when unknown */
    AttemptUsage(String runModel, RunnerConfig prices) {
        this.runModel = runModel == null ? "" : runModel;
        this.prices = prices;
    }

    synchronized void add(UsageLine line) {
        if (line.problem() != null) {
            problem(line.problem());
            return;
        }
        UsageLine.Report r = line.report();
        String model = r.model() != null ? r.model() : runModel;
        Double cost = r.costUsd();
        if (cost == null) {
            cost = prices.priceOf(model).map(p -> p.cost(r.input(), r.output(), r.cached())).orElse(null);
        }
        boolean unpriced = cost == null && r.input() + r.output() + r.cached() > 0;
        if (unpriced) {
            unpricedModels.add(model);
        }
        byModel.merge(model, new ModelUsage("", model, r.input(), r.output(), r.cached(), cost == null ? 0d : cost, 1,
                unpriced ? 1 : 0), Usages::plus);
    }

    private void problem(String text) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(text);
        } else {
            moreProblems++;
        }
    }

    synchronized List<ModelUsage> usage() {
        return Usages.byModel(byModel.values(), "");
    }

    /** The refusals, then one line per model that could not be priced. */
    synchronized List<String> problems() {
        List<String> out = new ArrayList<>(problems);
        if (moreProblems > 0) {
            out.add("… and " + moreProblems + " more usage report(s) refused");
        }
        for (String model : unpricedModels) {
            out.add("no cost for model '" + (model.isEmpty() ? "(none named)" : model) + "': the agent gave none and the"
                    + " runner configuration's prices do not list it (its tokens are counted, its cost is not)");
        }
        return out;
    }
}
